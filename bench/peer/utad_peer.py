#!/usr/bin/python3
"""Plain-PyTorch peer of UTAD's DJL networks, for a side-by-side speed benchmark and an
equivalence check.

The Java side (``bin/utad bench-peer``) exports the ``fast`` preset's networks, their parameters,
a few eval-mode outputs and the benchmark sizes into a directory, then runs

    /usr/bin/python3 bench/peer/utad_peer.py --export DIR --threads N --warmup W --serve

and sends it timing requests, alternating them with its own measurements round by round so that
both libraries see the same state of a shared machine. Run by hand on an export folder (by default
target/bench-peer after a ``bin/utad bench-peer``), without ``--serve``, it times everything once
and prints a JSON summary:

    /usr/bin/python3 bench/peer/utad_peer.py --export DIR [--threads N] [--repeats R] [--profile [WORK]]

This script rebuilds IE-Net and the two Expert-Net generators as torch modules that follow the
Java classes in src/main/java/org/utad/model one to one, loads the exported parameters through
a checked name translation, compares its outputs with Java's, and times the same units of work
Java times: one stage-1 step, one stage-2 generator step, one detection tile batch, and two raw
kernels (matmul, 3x3 convolution) that say how fast the BLAS/oneDNN underneath is. The last line
of stdout is one JSON object for the Java side to read; everything else is for people.

The numbers are not those of the same library: this runs Debian's torch 1.13 (with OpenBLAS and
oneDNN 2.6), while DJL runs libtorch 2.7.1 (with its own oneDNN 3.7). A difference between the two
therefore mixes DJL's own overhead with the libtorch version; the ``matmul`` and ``conv3x3`` lines
separate the kernels' share. Only the standard library, numpy and torch are used.
"""

import argparse
import copy
import ctypes
import json
import math
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# Switches set from the command line (see parse_args); module-level because the layers read them
# on every call, like the Java static helpers they mirror.
NATIVE_OPS = False
ALIGNED_CONV = False

# oneDNN's widest f32 channel block; the Java AlignedConvolution pads to it (see AlignedConv2d).
ALIGN_BLOCK = 16


def set_blas_threads(n):
    """Debian's torch does its matrix products in OpenBLAS, whose thread pool is its own:
    torch.set_num_threads does not reach it, so it is set here (on every OpenBLAS the process
    loaded, as libblas and liblapack may come as two copies). Returns the libraries set."""
    done = []
    for lib in ("libblas.so.3", "libopenblas.so.0"):
        try:
            ctypes.CDLL(lib).openblas_set_num_threads(ctypes.c_int(n))
            done.append(lib)
        except (OSError, AttributeError):
            pass
    return done


# --------------------------------------------------------------------------------------------
# Building blocks; each mirrors the Java class or factory of the same name.
# --------------------------------------------------------------------------------------------

class DjlBlock(nn.Module):
    """A module whose children are named as DJL names them: a two-digit position, then the
    name given to addChildBlock (SequentialBlock uses the child's class name). Using DJL's
    names as torch's module names makes the parameter translation a matter of joining the path
    with '_' and renaming the few leaf parameters whose names differ."""

    def child(self, name, module):
        self.add_module("%02d%s" % (len(self._modules) + 1, name), module)
        # Also reachable by its Java field name; set in __dict__ so torch does not register the
        # same module a second time under that name.
        self.__dict__[name] = module
        return module


class SequentialBlock(DjlBlock):
    def add(self, djl_class, module):
        self.add_module("%02d%s" % (len(self._modules) + 1, djl_class), module)
        return self

    def forward(self, x):
        for module in self._modules.values():
            x = module(x)
        return x


class ShapedLambda(nn.Module):
    """A parameter-free single-tensor operation (ShapedLambda.java)."""

    def __init__(self, name, fn):
        super().__init__()
        self.name = name
        self.fn = fn

    def forward(self, x):
        return self.fn(x)

    def extra_repr(self):
        return self.name


def relu():
    return ShapedLambda("relu", F.relu)


def leaky_relu(slope):
    return ShapedLambda("leakyRelu", lambda x: F.leaky_relu(x, slope))


def sigmoid():
    return ShapedLambda("sigmoid", torch.sigmoid)


def tanh():
    return ShapedLambda("tanh", torch.tanh)


def max_pool(kernel, stride, pad):
    # DJL's Pool.maxPool2d(..., ceil=false) is libtorch's max_pool2d in floor mode.
    return ShapedLambda("maxPool%d" % kernel, lambda x: F.max_pool2d(x, kernel, stride, pad))


class AlignedConv2d(nn.Conv2d):
    """Aligned.Conv2d: numerically a plain convolution. With --aligned-conv it also repeats
    the Java work-around for oneDNN 3.7's backward kernel: in passes that record gradients, the
    output channels are padded with zero filters to a multiple of 16 and sliced off again.
    That costs real time in training (a 1-channel output conv does 16 channels' work), so it
    is a switch: off measures what plain PyTorch does, on measures the work Java does."""

    def forward(self, x):
        return aligned_conv2d(x, self.weight, self.bias, self.stride, self.padding)


def pads_output(filters):
    """AlignedConvolution.padsOutput: whether a convolution to `filters` channels is padded here."""
    return ALIGNED_CONV and torch.is_grad_enabled() and filters % ALIGN_BLOCK != 0


def aligned_conv2d(x, w, b, stride, padding):
    """AlignedConvolution.conv2d for ungrouped convolutions (see AlignedConv2d)."""
    filters = w.shape[0]
    if not pads_output(filters):
        return F.conv2d(x, w, b, stride, padding)
    extra = ALIGN_BLOCK - filters % ALIGN_BLOCK
    w = torch.cat([w, w.new_zeros((extra,) + tuple(w.shape[1:]))], 0)
    b = None if b is None else torch.cat([b, b.new_zeros(extra)], 0)
    return F.conv2d(x, w, b, stride, padding)[:, :filters]


def conv(in_ch, filters, kernel, stride, pad, bias):
    """Layers.conv: a square convolution with zero padding."""
    return AlignedConv2d(in_ch, filters, kernel, stride, pad, bias=bias)


class ReflectionPad2d(nn.Module):
    """ReflectionPad2d.java: libtorch's own reflection padding, which Java reaches through a
    TorchScript helper (engine/ScriptedOps); both modes run F.pad."""

    def __init__(self, pad):
        super().__init__()
        self.pad = pad

    def forward(self, x):
        p = self.pad
        if p == 0:
            return x
        return F.pad(x, (p, p, p, p), mode="reflect")


def reflect_conv(in_ch, filters, kernel, stride, pad, bias):
    """Layers.reflectConv: [ReflectionPad2d(pad)], Conv2d without zero padding."""
    block = SequentialBlock()
    if pad > 0:
        block.add("ReflectionPad2d", ReflectionPad2d(pad))
    return block.add("Conv2d", conv(in_ch, filters, kernel, stride, 0, bias))


class NearestUpsample(nn.Module):
    """NearestUpsample.java: while training, a one-axis nearest interpolation of the rows, then a
    broadcast of each widened row; else reshape, broadcast and one copy (--native-ops: always
    F.interpolate)."""

    def __init__(self, factor):
        super().__init__()
        self.factor = factor

    def forward(self, x):
        f = self.factor
        if f == 1:
            return x
        if NATIVE_OPS:
            return F.interpolate(x, scale_factor=f, mode="nearest")
        n, c, h, w = x.shape
        if self.training:
            wide = F.interpolate(x.reshape(n, c * h, w), size=w * f, mode="nearest")
            return wide.reshape(n, c, h, 1, w * f).expand(n, c, h, f, w * f).reshape(n, c, h * f, w * f)
        return x.reshape(n, c, h, 1, w, 1).expand(n, c, h, f, w, f).reshape(n, c, h * f, w * f)


# InstanceNorm2d.EPSILON, as in torch.nn.InstanceNorm2d.
IN_EPSILON = 1e-5


def instance_normalize(x):
    """InstanceNorm2d.normalize: per (sample, channel), biased variance, eps 1e-5, computed as
    Java does, by a layer norm over the last two axes with unit scale and zero shift."""
    if NATIVE_OPS:
        return F.instance_norm(x, eps=IN_EPSILON)
    plane = x.shape[-2:]
    return F.layer_norm(x, plane, torch.ones(plane), torch.zeros(plane), IN_EPSILON)


class InstanceNorm2d(nn.Module):
    """Instance norm without affine parameters (InstanceNorm2d.java)."""

    def forward(self, x):
        return instance_normalize(x)


class LayerNorm2d(nn.Module):
    """MUNIT's layer norm as LayerNorm2d.java computes it: per sample over C*H*W, divided by
    sqrt(std^2 + eps^2) with the unbiased std (MUNIT divides by std + eps), then a per-channel
    affine map; one layer norm with its eps and scale adjusted for the unbiased std."""

    EPSILON = 1e-5

    def __init__(self, channels):
        super().__init__()
        self.channels = channels
        self.gamma = nn.Parameter(torch.rand(channels))
        self.beta = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        sample = x.shape[1:]
        count = x[0].numel()
        unbiased = max(1, count - 1) / count
        scale = (self.gamma.reshape(-1, 1, 1) * math.sqrt(unbiased)).expand(sample)
        shift = self.beta.reshape(-1, 1, 1).expand(sample)
        return F.layer_norm(x, sample, scale, shift, self.EPSILON * self.EPSILON * unbiased)


class BatchNorm(nn.BatchNorm2d):
    """DJL's BatchNorm as InceptionBlock builds it: epsilon 1e-3; DJL's momentum 0.9 weights
    the old running value, and DJL passes 1 - 0.9 to libtorch, so torch's momentum is 0.1."""

    def __init__(self, channels):
        super().__init__(channels, eps=1e-3, momentum=0.1)



# ---------------------------------------------------------------- IE-Net

class InceptionBlock(DjlBlock):
    """Four branches on the same input, concatenated: 1x1, 3x3, 5x5, 3x3 max-pool then 1x1;
    each conv (no bias) -> BatchNorm -> LeakyReLU(0.1)."""

    def __init__(self, in_ch, filters):
        super().__init__()
        self.out_channels = 4 * filters
        self.filters = filters
        self.branches = []
        for name, kernel in (("conv1x1", 1), ("conv3x3", 3), ("conv5x5", 5)):
            self.branches.append(self.child(name, self._conv_bn_act(SequentialBlock(), in_ch, filters, kernel)))
        pool = SequentialBlock().add("ShapedLambda", max_pool(3, 1, 1))
        self.branches.append(self.child("pool1x1", self._conv_bn_act(pool, in_ch, filters, 1)))

    @staticmethod
    def _conv_bn_act(block, in_ch, filters, kernel):
        return (block.add("Conv2d", conv(in_ch, filters, kernel, 1, kernel // 2, False))
                .add("BatchNorm", BatchNorm(filters))
                .add("ShapedLambda", leaky_relu(0.1)))

    def forward(self, x):
        if NATIVE_OPS:
            return torch.cat([branch(x) for branch in self.branches], 1)
        pool = list(self.branches[3]._modules.values())
        return self._normalised(self._conv_branches(x) + [pool[1](pool[0](x))])

    def forward_upsampled(self, small, up):
        """InceptionBlock.forwardUpsampled: the block on up(small), up a twofold nearest
        up-sampling, with the pool branch's 3x3 pool and 1x1 convolution on the small map (a 2x2
        pool of stride 1, padded by one), up-sampled and cropped by one pixel (same values)."""
        raw = self._conv_branches(up(small))
        layers = list(self.branches[3]._modules.values())
        h, w = small.shape[2], small.shape[3]
        raw.append(up(layers[1](F.max_pool2d(small, 2, 1, 1)))[:, :, 1:2 * h + 1, 1:2 * w + 1])
        return self._normalised(raw)

    def _normalised(self, raw):
        """InceptionBlock.normalised: the four branches' BatchNorms and LeakyReLUs as one over the
        joined channels, the running averages written back into each branch's own."""
        norms = [list(b._modules.values())[-2] for b in self.branches]
        mean = torch.cat([n.running_mean for n in norms])
        var = torch.cat([n.running_var for n in norms])
        y = F.batch_norm(torch.cat(raw, 1), mean, var, torch.cat([n.weight for n in norms]),
                         torch.cat([n.bias for n in norms]), self.training, 0.1, 1e-3)
        if self.training:
            with torch.no_grad():
                for n, m, v in zip(norms, mean.split(self.filters), var.split(self.filters)):
                    n.running_mean.copy_(m)
                    n.running_var.copy_(v)
        return F.leaky_relu(y, 0.1)

    def _conv_branches(self, x):
        """The 1x1, 3x3 and 5x5 branches' convolution outputs, before BatchNorm (same-ops mode)."""
        convs = [list(b._modules.values())[0] for b in self.branches[:3]]
        if not pads_output(self.filters):
            return [c(x) for c in convs]
        # InceptionBlock.mergedConvolutions: where the branches would be padded, the 3x3 and 5x5
        # convolutions run as one 5x5 convolution (3x3 kernel in the middle), split between the branches.
        w = torch.cat([F.pad(convs[1].weight, (1, 1, 1, 1)), convs[2].weight], 0)
        return [convs[0](x)] + list(aligned_conv2d(x, w, None, 1, 2).split(self.filters, 1))


class IeNet(DjlBlock):
    """The impression extractor: Inception auto-encoder with a 32-fold bottleneck, sigmoid out."""

    STRIDE = 32

    def __init__(self, channels, filters):
        super().__init__()
        f2, f1, f0 = filters, filters // 2, filters // 4
        enc = SequentialBlock()
        c = channels
        for f, pool in ((f0, 4), (f0, 2), (f1, 2), (f2, 2)):
            enc.add("InceptionBlock", InceptionBlock(c, f)).add("ShapedLambda", max_pool(pool, pool, 0))
            c = 4 * f
        dec = SequentialBlock()
        for f, up in ((f2, 2), (f1, 4), (f1, 2), (f0, 2)):
            dec.add("InceptionBlock", InceptionBlock(c, f)).add("NearestUpsample", NearestUpsample(up))
            c = 4 * f
        dec.add("Conv2d", conv(c, channels, 1, 1, 0, True)).add("ShapedLambda", sigmoid())
        self.child("encoder", enc)
        self.child("decoder", dec)

    def forward(self, x):
        if x.shape[2] % self.STRIDE or x.shape[3] % self.STRIDE:
            raise ValueError("IE-Net needs H and W multiples of 32, got %s" % (tuple(x.shape),))
        if NATIVE_OPS:
            return self.decoder(self.encoder(x))
        # IeNet.java: the 1x1 convolution and the sigmoid act per pixel, so they run before the last
        # nearest up-sampling, on the quarter-size map (same values); a block after a twofold
        # up-sampling takes the small map (InceptionBlock.forward_upsampled).
        steps = list(self.decoder._modules.values())
        tail = len(steps) - 3
        y = self.encoder(x)
        i = 0
        while i < len(steps):
            step = steps[i]
            if (i < tail and isinstance(step, NearestUpsample) and step.factor == 2
                    and isinstance(steps[i + 1], InceptionBlock)):
                y = steps[i + 1].forward_upsampled(y, step)
                i += 1
            elif i != tail:
                y = step(y)
            i += 1
        return steps[tail](y)



# ---------------------------------------------------------------- Expert-Net

class ResidualBlock(DjlBlock):
    """x + IN(conv3x3(ReLU(IN(conv3x3(x))))), reflection padding, no conv bias."""

    def __init__(self, channels):
        super().__init__()
        self.child("body", SequentialBlock()
                   .add("SequentialBlock", reflect_conv(channels, channels, 3, 1, 1, False))
                   .add("InstanceNorm2d", InstanceNorm2d())
                   .add("ShapedLambda", relu())
                   .add("SequentialBlock", reflect_conv(channels, channels, 3, 1, 1, False))
                   .add("InstanceNorm2d", InstanceNorm2d()))

    def forward(self, x):
        return x + self.body(x)


class ContentEncoder(DjlBlock):
    """7x7 conv, IN, ReLU; nDownsample x [4x4 stride-2 conv doubling the channels, IN, ReLU];
    nRes residual blocks. Reflection padding, no conv bias."""

    def __init__(self, channels, cfg):
        super().__init__()
        dim = cfg["dim"]
        net = (SequentialBlock().add("SequentialBlock", reflect_conv(channels, dim, 7, 1, 3, False))
               .add("InstanceNorm2d", InstanceNorm2d()).add("ShapedLambda", relu()))
        for _ in range(cfg["nDownsample"]):
            net.add("SequentialBlock", reflect_conv(dim, dim * 2, 4, 2, 1, False))
            net.add("InstanceNorm2d", InstanceNorm2d()).add("ShapedLambda", relu())
            dim *= 2
        for _ in range(cfg["nRes"]):
            net.add("ResidualBlock", ResidualBlock(dim))
        self.output_channels = dim
        self.child("body", net)

    def forward(self, x):
        return self.body(x)


class DetailEncoder(DjlBlock):
    """Convs with bias and ReLU (no norm), global average pool, Linear to detailDim."""

    def __init__(self, channels, cfg, downsamplings):
        super().__init__()
        dim = cfg["dim"]
        net = SequentialBlock().add("SequentialBlock", reflect_conv(channels, dim, 7, 1, 3, True))
        net.add("ShapedLambda", relu())
        for i in range(downsamplings):
            out = dim * 2 if i < 2 else dim
            net.add("SequentialBlock", reflect_conv(dim, out, 4, 2, 1, True)).add("ShapedLambda", relu())
            dim = out
        self.child("convs", net)
        self.child("code", nn.Linear(dim, cfg["detailDim"]))

    def forward(self, x):
        features = self.convs(x)
        n, c = features.shape[0], features.shape[1]
        return self.code(features.reshape(n, c, -1).mean(2))


def adain(x, gamma, beta):
    """AdaIN.apply: instance-normalise, then a per-sample per-channel affine map."""
    n, c = x.shape[0], x.shape[1]
    return instance_normalize(x) * gamma.reshape(n, c, 1, 1) + beta.reshape(n, c, 1, 1)


class AdaInResidualBlock(DjlBlock):
    """x + AdaIN2(conv(ReLU(AdaIN1(conv(x))))); p holds [beta1, gamma1, beta2, gamma2]."""

    def __init__(self, channels):
        super().__init__()
        self.channels = channels
        self.child("conv1", reflect_conv(channels, channels, 3, 1, 1, False))
        self.child("conv2", reflect_conv(channels, channels, 3, 1, 1, False))

    @staticmethod
    def param_count(channels):
        return 4 * channels

    def _slice(self, p, index):
        return p[:, index * self.channels:(index + 1) * self.channels]

    def forward(self, x, p):
        y = F.relu(adain(self.conv1(x), self._slice(p, 1), self._slice(p, 0)))
        y = adain(self.conv2(y), self._slice(p, 3), self._slice(p, 2))
        return x + y


class ExpertDecoder(DjlBlock):
    """MLP(code) -> AdaIN parameters; AdaIN residual blocks; [up x2, 5x5 conv, LayerNorm2d,
    ReLU] per down-sampling; 7x7 conv to the image channels; tanh."""

    def __init__(self, channels, cfg):
        super().__init__()
        dim = cfg["dim"] << cfg["nDownsample"]
        self.content_channels = dim
        self.width = AdaInResidualBlock.param_count(dim)
        mlp = SequentialBlock()
        if cfg["nRes"] > 0:
            prev = cfg["detailDim"]
            for _ in range(cfg["mlpLayers"] - 1):
                mlp.add("Linear", nn.Linear(prev, cfg["mlpDim"])).add("ShapedLambda", relu())
                prev = cfg["mlpDim"]
            mlp.add("Linear", nn.Linear(prev, cfg["nRes"] * self.width))
        self.child("mlp", mlp)
        self.residuals = [self.child("res%d" % i, AdaInResidualBlock(dim)) for i in range(cfg["nRes"])]
        up = SequentialBlock()
        for _ in range(cfg["nDownsample"]):
            up.add("NearestUpsample", NearestUpsample(2))
            up.add("SequentialBlock", reflect_conv(dim, dim // 2, 5, 1, 2, True))
            up.add("LayerNorm2d", LayerNorm2d(dim // 2)).add("ShapedLambda", relu())
            dim //= 2
        up.add("SequentialBlock", reflect_conv(dim, channels, 7, 1, 3, True)).add("ShapedLambda", tanh())
        self.child("upsampling", up)

    def forward(self, content, code):
        x = content
        if self.residuals:
            p = self.mlp(code)
            for i, block in enumerate(self.residuals):
                x = block(x, p[:, i * self.width:(i + 1) * self.width])
        return self.upsampling(x)


def detail_downsamplings(image_size):
    """ExpertGenerator.detailDownsamplings: the reference's 4, fewer below 64 px."""
    if image_size <= 0:
        return 4
    n = 0
    while n < 4 and (image_size >> (n + 1)) >= 4:
        n += 1
    return n


class ExpertGenerator(DjlBlock):
    """One Expert-Net generator; stage 2 and detection call its three parts separately."""

    def __init__(self, channels, cfg, image_size):
        super().__init__()
        self.child("content", ContentEncoder(channels, cfg))
        self.child("detail", DetailEncoder(channels, cfg, detail_downsamplings(image_size)))
        self.child("decoder", ExpertDecoder(channels, cfg))

    def forward(self, x):
        return self.decoder(self.content(x), self.detail(x))


# --------------------------------------------------------------------------------------------
# Parameter translation and loading
# --------------------------------------------------------------------------------------------

# Leaf names that differ between torch and DJL; everything else keeps its name. Running
# statistics are parameters in DJL (not trained) and buffers in torch.
_BATCH_NORM_NAMES = {"weight": "gamma", "bias": "beta", "running_mean": "runningMean", "running_var": "runningVar"}


def djl_names(net):
    """Maps every DJL parameter name of a network to the torch tensor that holds it."""
    out = {}
    for path, module in net.named_modules():
        if isinstance(module, nn.BatchNorm2d):
            leaves = {_BATCH_NORM_NAMES[k]: t for k, t in
                      list(module.named_parameters(recurse=False)) + list(module.named_buffers(recurse=False))
                      if k != "num_batches_tracked"}
        elif isinstance(module, (nn.Conv2d, nn.Linear, LayerNorm2d)):
            leaves = dict(module.named_parameters(recurse=False))
        elif any(True for _ in module.named_parameters(recurse=False)):
            raise RuntimeError("no DJL translation for the parameters of %s at %r" % (type(module).__name__, path))
        else:
            continue
        for leaf, tensor in leaves.items():
            name = path.replace(".", "_") + "_" + leaf
            if name in out:
                raise RuntimeError("two torch tensors translate to the DJL name " + name)
            out[name] = tensor
    return out


def load_network(net, directory, stem):
    """Copies NET.f32 into net by the names in NET.json; every DJL parameter must be used exactly
    once and every torch tensor filled, with equal shapes, or this raises."""
    with open(os.path.join(directory, stem + ".json")) as f:
        entries = json.load(f)
    data = np.fromfile(os.path.join(directory, stem + ".f32"), dtype="<f4")
    targets = djl_names(net)
    used = set()
    listed = set()
    problems = []
    end = 0
    for e in entries:
        name, shape, offset = e["name"], tuple(e["shape"]), int(e["offset"])
        size = int(np.prod(shape)) if shape else 1
        end = max(end, offset + size)
        if name in listed:
            problems.append("DJL parameter listed twice: " + name)
            continue
        listed.add(name)
        if name not in targets:
            problems.append("DJL parameter with no torch counterpart: %s %s" % (name, list(shape)))
            continue
        t = targets[name]
        if tuple(t.shape) != shape:
            problems.append("shape of %s: DJL %s, torch %s" % (name, list(shape), list(t.shape)))
            continue
        if offset + size > data.size:
            problems.append("%s runs past the end of %s.f32" % (name, stem))
            continue
        with torch.no_grad():
            t.copy_(torch.from_numpy(data[offset:offset + size].reshape(shape).copy()))
        used.add(name)
    for name in sorted(set(targets) - listed):
        problems.append("torch tensor not in the export: %s %s" % (name, list(targets[name].shape)))
    if end != data.size:
        problems.append("%s.f32 holds %d floats, the list covers %d" % (stem, data.size, end))
    if problems:
        raise RuntimeError("cannot load %s:\n  %s" % (stem, "\n  ".join(problems)))
    return len(used), data.size


# --------------------------------------------------------------------------------------------
# The benchmarked units of work
# --------------------------------------------------------------------------------------------

def l1(a, b):
    return (a - b).abs().mean()


def mse(a, b):
    return (a - b).square().mean()


def make_adam(net, lr, beta1, beta2):
    # torch.optim.Adam is the algorithm of train/Adam.java: Java adds epsilon to sqrt(v) and folds
    # the bias corrections into the step size, torch divides sqrt(v) by sqrt(1 - beta2^t) before
    # adding epsilon; the two differ only in epsilon's scale. foreach=False picks the per-tensor
    # loop, which is what the Java optimiser does too.
    return torch.optim.Adam(net.parameters(), lr=lr, betas=(beta1, beta2), eps=1e-8, foreach=False)


class Stage1:
    """UtadTrainer.stage1 / GeneratorSteps.ieNet with input = target and no GAN or SSIM term.
    With channels_last, the network's weights and the batch are laid out channels-last first, as
    the Java side trains the IE-Net on a CPU (IeNet.java, ChannelsLast.java)."""

    def __init__(self, ie, cfg, channels, size, channels_last=False):
        s1 = cfg["stage1"]
        self.ie = ie.to(memory_format=torch.channels_last) if channels_last else ie
        self.weight = s1["recon_weight"]
        self.opt = make_adam(self.ie, s1["lr"], s1["beta1"], s1["beta2"])
        self.x = torch.rand(s1["batch"], channels, size, size)
        if channels_last:
            self.x = self.x.contiguous(memory_format=torch.channels_last)

    def __call__(self):
        self.ie.train()
        impression = self.ie(self.x)
        rec = mse(impression, self.x)
        loss = rec * self.weight
        rec.item()  # Java reads every loss term for its progress report
        loss.backward()
        self.opt.step()
        # Java zeroes gradients in place rather than dropping them.
        self.opt.zero_grad(set_to_none=False)
        return loss


class Stage2:
    """UtadTrainer.stage2 / GeneratorSteps.experts with the GAN weight taken as 0. Java runs the
    IE-Net with training=false outside any gradient collector, and every expert pass with
    training=true (which changes nothing: the expert nets have no batch norm or dropout)."""

    def __init__(self, ie, gi, gm, cfg, channels, size):
        s2 = cfg["stage2"]
        self.ie, self.gi, self.gm = ie, gi, gm
        self.s2 = s2
        self.detail_dim = cfg["expert"]["detailDim"]
        self.opt_i = make_adam(gi, s2["lr"], s2["beta1"], s2["beta2"])
        self.opt_m = make_adam(gm, s2["lr"], s2["beta1"], s2["beta2"])
        self.x01 = torch.rand(s2["batch"], channels, size, size)

    def __call__(self):
        s2, gi, gm = self.s2, self.gi, self.gm
        n = self.x01.shape[0]
        self.ie.eval()
        with torch.no_grad():
            m01 = self.ie(self.x01)
        x = self.x01 * 2 - 1
        m = m01 * 2 - 1
        rand_x = torch.randn(n, self.detail_dim)
        rand_m = torch.randn(n, self.detail_dim)
        gi.train()
        gm.train()
        cx = gi.content(x)
        sx = gi.detail(x)
        cm = gm.content(m)
        sm = gm.detail(m)
        if NATIVE_OPS:
            # One pass per decode: in PyTorch 1.13 the stacked decodes below took 1.23 times as long.
            x_rec, x_from_m, x_paired = gi.decoder(cx, sx), gi.decoder(cm, rand_x), gi.decoder(cm, sx)
            m_rec, m_from_x = gm.decoder(cm, sm), gm.decoder(cx, rand_m)
        else:
            # Each generator's decodes in one pass, as GeneratorSteps runs them (Stacked).
            x_rec, x_from_m, x_paired = gi.decoder(torch.cat((cx, cm, cm)), torch.cat((sx, rand_x, sx))).split(n)
            m_rec, m_from_x = gm.decoder(torch.cat((cm, cx)), torch.cat((sm, rand_m))).split(n)
        recon = l1(x_rec, x) + l1(m_rec, m)
        paired = l1(x_paired, x)
        content = l1(gi.content(x_from_m), cm) + l1(gm.content(m_from_x), cx)
        detail = l1(gi.detail(x_from_m), rand_x) + l1(gm.detail(m_from_x), rand_m)
        loss = (recon * s2["image_recon"] + paired * s2["paired"]
                + content * s2["content_recon"] + detail * s2["detail_recon"])
        for term in (recon, paired, content, detail):
            term.item()
        loss.backward()
        self.opt_i.step()
        self.opt_m.step()
        self.opt_i.zero_grad(set_to_none=False)
        self.opt_m.zero_grad(set_to_none=False)
        return loss


class DetectTiles:
    """The networks Detector.runBatch runs on one tile batch for the fast preset (method UTAD,
    fusion own_code,no_fast,soft_luminance): IE-Net, the impression generator's content encoder on
    m, the image generator's detail encoder on x, one decode with the image's own code and K
    decodes with fixed random codes, in one decoder pass. The residual/SSIM fusion after them is not
    included."""

    def __init__(self, ie, gi, gm, cfg, channels):
        d = cfg["detect"]
        self.ie, self.gi, self.gm = ie, gi, gm
        self.x01 = torch.rand(d["tile_batch"], channels, d["tile"], d["tile"])
        self.codes = torch.randn(d["random_codes"], cfg["expert"]["detailDim"])

    def __call__(self):
        for net in (self.ie, self.gi, self.gm):
            net.eval()
        with torch.inference_mode():
            n = self.x01.shape[0]
            m01 = self.ie(self.x01)
            x = self.x01 * 2 - 1
            m = m01 * 2 - 1
            cm = self.gm.content(m)
            sx = self.gi.detail(x)
            expert = (self.gi.decoder(cm, sx) + 1) / 2
            # The K random codes in one decoder pass, the content code repeated once per code.
            k = self.codes.shape[0]
            code = self.codes.repeat_interleave(n, dim=0)
            content = cm.repeat(k, 1, 1, 1)
            decodes = (self.gi.decoder(content, code) + 1) / 2
            return expert, decodes.reshape(k, n, *decodes.shape[1:]).sum(0)


def time_ms(fn, warmup, repeats):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(samples)


# --------------------------------------------------------------------------------------------
# Equivalence
# --------------------------------------------------------------------------------------------

def read_f32(path, shape):
    data = np.fromfile(path, dtype="<f4")
    if data.size != int(np.prod(shape)):
        raise RuntimeError("%s holds %d floats, config.json says %s" % (path, data.size, shape))
    return torch.from_numpy(data.reshape(shape).copy())


def equivalence(directory, cfg, nets):
    outputs = cfg.get("outputs") or {}
    if "input.f32" not in outputs or not os.path.exists(os.path.join(directory, "input.f32")):
        return None
    x = read_f32(os.path.join(directory, "input.f32"), outputs["input.f32"])
    for net in nets.values():
        net.eval()
    with torch.no_grad():
        e = x * 2 - 1
        ours = {"ie_net.out.f32": nets["ie_net"](x)}
        for g in ("expert_image", "expert_impression"):
            gen = nets[g]
            c = gen.content(e)
            d = gen.detail(e)
            ours[g + ".content.f32"] = c
            ours[g + ".detail.f32"] = d
            ours[g + ".decoded.f32"] = gen.decoder(c, d)
    result = {}
    for name, shape in outputs.items():
        if name == "input.f32":
            continue
        if name not in ours:
            print("equivalence: no peer computation for %s, skipped" % name, file=sys.stderr)
            continue
        java = read_f32(os.path.join(directory, name), shape)
        if tuple(ours[name].shape) != tuple(java.shape):
            raise RuntimeError("%s: Java shape %s, peer shape %s" % (name, list(java.shape), list(ours[name].shape)))
        diff = (ours[name] - java).abs().max().item()
        scale = java.abs().max().item()
        result[name] = {"max_abs": diff, "max_rel": diff / scale if scale > 0 else diff}
        print("equivalence %-28s max |peer - java| %.3e   relative to max |java| (%.3g) %.3e"
              % (name, diff, scale, result[name]["max_rel"]))
    return result


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--export", required=True, help="directory the Java side exported (config.json, ...)")
    p.add_argument("--threads", type=int, help="intra-op threads (default: config.json 'threads')")
    p.add_argument("--repeats", type=int, help="timed repeats per measurement (default: config.json 'repeats')")
    p.add_argument("--warmup", type=int, help="untimed runs first (default: config.json 'warmup')")
    p.add_argument("--profile", nargs="?", const="stage2_step", default=None,
                   choices=("stage1_step", "stage2_step", "detect_tile_batch"),
                   help="profile three runs of one work (default stage2_step); top ops to stderr")
    p.add_argument("--serve", action="store_true",
                   help="after loading and the equivalence check, answer timing requests on stdin"
                        " ('<work> <mirror|native> <repeats>' per line, 'quit' to end)")
    p.add_argument("--aligned-conv", action="store_true",
                   help="pad conv output channels to 16 in gradient passes, as Java's AlignedConvolution does,"
                        " and merge narrow Inception blocks' 3x3 and 5x5 convolutions as InceptionBlock does")
    p.add_argument("--native-ops", action="store_true",
                   help="use torch's nearest upsampling and instance norm instead of the Java formulations,"
                        " and the IE-Net's decoder in its textbook order (reflection padding is torch's in both);"
                        " stage 1 trains channels-last")
    return p.parse_args(argv)


def works(ie, gi, gm, cfg, channels, size):
    """The timed pieces of work by the names the Java side uses."""
    rate = cfg["rate"]
    n = int(rate["matmul_n"])
    a, b = torch.rand(n, n), torch.rand(n, n)
    nb, c, s = int(rate["conv_batch"]), int(rate["conv_channels"]), int(rate["conv_size"])
    xin, w = torch.rand(nb, c, s, s), torch.rand(c, c, 3, 3)

    def no_grad(fn):
        def run():
            with torch.inference_mode():
                fn()
        return run

    # PyTorch's own layers train stage 1 channels-last, on a copy of the IE-Net, as a PyTorch user
    # would on a CPU; the same operations as Java's keep NCHW (PyTorch 1.13's channels-last gained
    # nothing there: docs/BENCHMARKS.md, seventeenth pass).
    ie_channels_last = copy.deepcopy(ie)

    def stage1(c):
        variants = {False: Stage1(ie, c, channels, size),
                    True: Stage1(ie_channels_last, c, channels, size, channels_last=True)}
        return lambda: variants[NATIVE_OPS]()

    # The same training steps on one sample: what a step costs apart from its data.
    one = copy.deepcopy(cfg)
    one["stage1"]["batch"] = one["stage2"]["batch"] = int(cfg.get("one_sample_batch", 1))
    return {
        "stage1_step": stage1(cfg),
        "stage2_step": Stage2(ie, gi, gm, cfg, channels, size),
        "stage1_one": stage1(one),
        "stage2_one": Stage2(ie, gi, gm, one, channels, size),
        "detect_tile_batch": DetectTiles(ie, gi, gm, cfg, channels),
        "matmul": no_grad(lambda: a @ b),
        "conv3x3": no_grad(lambda: F.conv2d(xin, w, None, 1, 1)),
    }


def serve(timed, warmup):
    """Answers timing requests from the Java benchmark, one per line: '<work> <mirror|native> <repeats>'.

    The Java side alternates its own measurements with these, round by round, so that both
    libraries see the same state of a shared machine; a slow minute then slows both, and the
    ratio of each round stays meaningful.
    """
    global NATIVE_OPS
    warmed = set()
    print("ready", flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "quit":
            break
        name, variant, repeats = parts[0], parts[1], int(parts[2])
        NATIVE_OPS = variant == "native"
        fn = timed[name]
        ms = time_ms(fn, 0 if (name, variant) in warmed else warmup, repeats)
        warmed.add((name, variant))
        print(json.dumps({"work": name, "variant": variant, "ms": ms}), flush=True)


def main(argv=None):
    global NATIVE_OPS, ALIGNED_CONV
    args = parse_args(sys.argv[1:] if argv is None else argv)
    with open(os.path.join(args.export, "config.json")) as f:
        cfg = json.load(f)
    threads = args.threads or int(cfg.get("threads", 1))
    repeats = args.repeats or int(cfg.get("repeats", 10))
    warmup = args.warmup if args.warmup is not None else int(cfg.get("warmup", 3))
    NATIVE_OPS = args.native_ops
    ALIGNED_CONV = args.aligned_conv
    # Inter-op threads must be fixed before any parallel work; the benchmark runs one op at a time.
    torch.set_num_interop_threads(1)
    torch.set_num_threads(threads)
    blas = set_blas_threads(threads)
    torch.manual_seed(0)
    np.random.seed(0)

    channels, size = int(cfg["channels"]), int(cfg["size"])
    expert = cfg["expert"]
    nets = {
        "ie_net": IeNet(channels, int(cfg["ie_filters"])),
        "expert_image": ExpertGenerator(channels, expert, size),
        "expert_impression": ExpertGenerator(channels, expert, size),
    }
    print("torch %s, %d thread(s) (OpenBLAS set in %s), native ops %s, aligned conv %s"
          % (torch.__version__, torch.get_num_threads(), ", ".join(blas) or "nothing", NATIVE_OPS, ALIGNED_CONV))
    if not blas:
        # Debian resolves libblas.so.3 to the reference BLAS unless OpenBLAS is installed; its matrix
        # product ran 36 times slower here (428.7 against 11.8 ms for 1024^2), which no ratio survives.
        print("warning: no OpenBLAS loaded, so the matrix products run on the reference BLAS; install"
              " libopenblas0-pthread for numbers worth comparing")
    load = os.getloadavg()[0]
    if load > 1.0:
        # With every core in use, OpenMP's spinning workers wait on preempted ones and a step can
        # take ten times as long; such numbers say nothing about either library.
        print("warning: load average %.2f before the run; the machine is busy and timings will be"
              " unreliable" % load)
    for name, net in nets.items():
        if os.path.exists(os.path.join(args.export, name + ".json")):
            count, floats = load_network(net, args.export, name)
            print("loaded %-18s %3d parameters, %d floats" % (name, count, floats))
        else:
            print("%s: no exported parameters, random initialisation" % name)

    equiv = equivalence(args.export, cfg, nets)
    if equiv is None:
        print("equivalence: no input.f32 in the export, skipped")

    ie, gi, gm = nets["ie_net"], nets["expert_image"], nets["expert_impression"]
    if args.serve:
        print(json.dumps({"torch": torch.__version__, "threads": threads, "equivalence": equiv}), flush=True)
        serve(works(ie, gi, gm, cfg, channels, size), warmup)
        return
    ms = {}
    # Stage 2 and detection run before stage 1, which trains the loaded IE-Net in place.
    stage2 = Stage2(ie, gi, gm, cfg, channels, size)
    ms["stage2_step"] = time_ms(stage2, warmup, repeats)
    print("stage2_step        %9.2f ms  (batch %d)" % (ms["stage2_step"], cfg["stage2"]["batch"]))

    detect = DetectTiles(ie, gi, gm, cfg, channels)
    ms["detect_tile_batch"] = time_ms(detect, warmup, repeats)
    tiles = cfg["detect"]["tile_batch"]
    print("detect_tile_batch  %9.2f ms  (%d tiles, %.2f ms per tile)"
          % (ms["detect_tile_batch"], tiles, ms["detect_tile_batch"] / tiles))

    stage1 = Stage1(ie, cfg, channels, size, channels_last=NATIVE_OPS)
    ms["stage1_step"] = time_ms(stage1, warmup, repeats)
    print("stage1_step        %9.2f ms  (batch %d)" % (ms["stage1_step"], cfg["stage1"]["batch"]))

    rate = cfg["rate"]
    gflops = {}
    n = int(rate["matmul_n"])
    a, b = torch.rand(n, n), torch.rand(n, n)
    with torch.inference_mode():
        ms["matmul"] = time_ms(lambda: a @ b, warmup, repeats)
    gflops["matmul"] = 2.0 * n ** 3 / (ms["matmul"] / 1e3) / 1e9
    print("matmul             %9.2f ms  (%d x %d, %.1f GFLOP/s)" % (ms["matmul"], n, n, gflops["matmul"]))

    nb, c, s = int(rate["conv_batch"]), int(rate["conv_channels"]), int(rate["conv_size"])
    xin, w = torch.rand(nb, c, s, s), torch.rand(c, c, 3, 3)
    with torch.inference_mode():
        ms["conv3x3"] = time_ms(lambda: F.conv2d(xin, w, None, 1, 1), warmup, repeats)
    gflops["conv3x3"] = 2.0 * nb * c * c * 9 * s * s / (ms["conv3x3"] / 1e3) / 1e9
    print("conv3x3            %9.2f ms  (%d x %d x %d x %d, %.1f GFLOP/s)"
          % (ms["conv3x3"], nb, c, s, s, gflops["conv3x3"]))

    if args.profile:
        from torch.profiler import ProfilerActivity, profile
        work = {"stage1_step": stage1, "stage2_step": stage2, "detect_tile_batch": detect}[args.profile]
        with profile(activities=[ProfilerActivity.CPU]) as prof:
            for _ in range(3):
                work()
        print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=25), file=sys.stderr)

    print(json.dumps({
        "torch": torch.__version__,
        "threads": threads,
        "equivalence": equiv,
        "ms": {k: ms[k] for k in ("stage1_step", "stage2_step", "detect_tile_batch", "matmul", "conv3x3")},
        "gflops": gflops,
        "options": {"native_ops": NATIVE_OPS, "aligned_conv": ALIGNED_CONV},
    }))


if __name__ == "__main__":
    main()
