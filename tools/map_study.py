#!/usr/bin/env python3
"""Scores post-hoc transforms of exported anomaly maps, outside the plugin (issue 13, seventh round).

Reads the 32-bit `<name>_heatmap.tif` files that `bin/utad detect` writes, one output folder per
test folder of an MVTec-layout dataset, and prints image AUROC (score: the maximum of the map
without a 10 % margin on each side, as `detect.score_margin=0.1`) and pooled pixel AUROC (every
second pixel of each axis) for each transform, overall and per defect type. It answers "would this
change to the map help?" in minutes, before any Java is written. AUPRO is not computed.

Transforms:
  raw              the maps as detected (checks the script against the plugin's own numbers)
  centre/scale/iqr per-image: minus the median, over the median, robust z-score
  q<p>/mean        other image scores: a quantile of the map, or its mean (same margin)
  texture-*        per-pixel normalisation by the normal maps' level for the same local texture
                   (local standard deviation of the input, and with '2' also its local mean),
                   fitted on maps of training images (--train-maps)
  x<s>, mean1<s>   maps detected on the images scaled down s times (--scaled s=DIR), scaled back up,
                   alone and averaged with the full-resolution map

Usage:
  python3 tools/map_study.py --data ../shared/data/magnetic_tile --maps OUT \
      [--train-maps TRAIN --train-images ../shared/data/magnetic_tile/train/good] [--scaled 2=OUT2]
where OUT/<folder>/ holds the heatmaps of test/<folder> (same for OUT2 with the scaled images).
Needs numpy, scipy and Pillow (Debian: python3-numpy python3-scipy python3-pil).
"""
import argparse
import glob
import os

import numpy as np
from PIL import Image
from scipy import ndimage, stats

SUFFIX = '_heatmap.tif'


def read_map(path, shape=None):
    img = Image.open(path)
    if shape is not None and img.size != (shape[1], shape[0]):
        img = img.resize((shape[1], shape[0]), Image.BILINEAR)
    return np.asarray(img, dtype=np.float64)


def read_image(folder, name):
    path = glob.glob(os.path.join(folder, name + '.*'))[0]
    return np.asarray(Image.open(path).convert('L'), dtype=np.float64) / 255.0


def auroc(scores, labels):
    """Mann-Whitney AUROC with average ranks for ties."""
    ranks = stats.rankdata(scores)
    pos = labels.sum()
    neg = len(labels) - pos
    return (ranks[labels].sum() - pos * (pos + 1) / 2) / (pos * neg)


def inner(m, margin=0.1):
    h, w = m.shape
    dy, dx = int(h * margin), int(w * margin)
    return m[dy:h - dy, dx:w - dx]


def inner_max(m):
    return inner(m).max()


def local_stats(img, window):
    mean = ndimage.uniform_filter(img, window, mode='reflect')
    sq = ndimage.uniform_filter(img * img, window, mode='reflect')
    return mean, np.sqrt(np.maximum(sq - mean * mean, 0))


class TextureTable:
    """Mean and spread of normal maps per bin of local texture (and brightness)."""

    def __init__(self, maps, images, window, bins, two):
        self.window, self.bins, self.two = window, bins, two
        values = np.concatenate([m.ravel() for m in maps])
        feats = [local_stats(i, window) for i in images]
        mu = np.concatenate([f[0].ravel() for f in feats])
        sd = np.concatenate([f[1].ravel() for f in feats])
        inner = np.linspace(0, 1, bins + 1)[1:-1]
        self.mu_edges, self.sd_edges = np.quantile(mu, inner), np.quantile(sd, inner)
        b = self.index(mu, sd)
        n = bins * bins if two else bins
        self.mean = np.array([values[b == i].mean() if (b == i).any() else values.mean() for i in range(n)])
        self.std = np.array([values[b == i].std() if (b == i).sum() > 1 else values.std() for i in range(n)])

    def index(self, mu, sd):
        b = np.searchsorted(self.sd_edges, sd)
        return np.searchsorted(self.mu_edges, mu) * self.bins + b if self.two else b

    def apply(self, m, img, kind):
        b = self.index(*local_stats(img, self.window))
        if kind == 'z':
            return (m - self.mean[b]) / (self.std[b] + 1e-6)
        if kind == 'ratio':
            return m / (self.mean[b] + 1e-6)
        return m - self.mean[b]


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--data', required=True)
    p.add_argument('--maps', required=True)
    p.add_argument('--train-maps')
    p.add_argument('--train-images')
    p.add_argument('--scaled', action='append', default=[], help='s=DIR')
    p.add_argument('--window', type=int, default=9)
    p.add_argument('--bins', type=int, default=8)
    a = p.parse_args()

    folders = sorted(os.listdir(os.path.join(a.data, 'test')))
    rows = []
    for f in folders:
        for path in sorted(glob.glob(os.path.join(a.maps, f, '*' + SUFFIX))):
            name = os.path.basename(path)[:-len(SUFFIX)]
            m = read_map(path)
            img = read_image(os.path.join(a.data, 'test', f), name)
            if f == 'good':
                gt = np.zeros(m.shape, bool)
            else:
                gt = np.asarray(Image.open(os.path.join(a.data, 'ground_truth', f, name + '_mask.png'))
                                .convert('L')) > 127
            scaled = {s: read_map(os.path.join(d, f, name + SUFFIX), m.shape)
                      for s, d in (x.split('=', 1) for x in a.scaled)}
            rows.append((f, m, img, gt, scaled))
    types = np.array([r[0] for r in rows])
    labels = types != 'good'
    print(f'{len(rows)} test maps from {a.maps}')

    sub = [r[3][::2, ::2].ravel() for r in rows]
    kinds = [t for t in folders if t != 'good']
    selections = {t: (types == t) | (types == 'good') for t in kinds}
    gts = np.concatenate(sub)
    type_gts = {t: np.concatenate([g for g, s in zip(sub, sel) if s]) for t, sel in selections.items()}

    def report(name, maps, score=inner_max, pixels=True):
        """Prints one row; pixels=False for score-only variants, whose map (and pixel AUROC) is raw's."""
        sc = np.array([score(m) for m in maps])
        pix = [m[::2, ::2].ravel() for m in maps] if pixels else None
        per = []
        for t, sel in selections.items():
            cell = f'{t} {auroc(sc[sel], labels[sel]):.3f}'
            if pixels:
                cell += f'/{auroc(np.concatenate([m for m, s in zip(pix, sel) if s]), type_gts[t]):.3f}'
            per.append(cell)
        pixel = f'{auroc(np.concatenate(pix), gts):.3f}' if pixels else '-'
        print(f'{name:12s} image {auroc(sc, labels):.3f} pixel {pixel} | ' + ', '.join(per), flush=True)

    raw = [r[1] for r in rows]
    report('raw', raw)
    report('centre', [m - np.median(m) for m in raw])
    report('scale', [m / np.median(m) for m in raw])
    report('iqr', [(m - np.median(m)) / (np.subtract(*np.quantile(m, [.75, .25])) + 1e-6) for m in raw])
    for q in (0.999, 0.99, 0.9):
        report(f'q{q}', raw, lambda m, q=q: np.quantile(inner(m), q), pixels=False)
    report('mean', raw, lambda m: inner(m).mean(), pixels=False)
    if a.train_maps:
        names = [os.path.basename(x)[:-len(SUFFIX)] for x in sorted(glob.glob(os.path.join(a.train_maps, '*' + SUFFIX)))]
        tmaps = [read_map(os.path.join(a.train_maps, n + SUFFIX)) for n in names]
        timgs = [read_image(a.train_images, n) for n in names]
        for two in (False, True):
            table = TextureTable(tmaps, timgs, a.window, a.bins, two)
            for kind in ('z', 'ratio', 'sub'):
                report(f'texture-{kind}{"2" if two else ""}', [table.apply(r[1], r[2], kind) for r in rows])
    for s in sorted({k for r in rows for k in r[4]}):
        report(f'x{s}', [r[4][s] for r in rows])
        report(f'mean1{s}', [(r[1] + r[4][s]) / 2 for r in rows])


if __name__ == '__main__':
    main()
