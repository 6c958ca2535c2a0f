package org.utad.infer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.utad.config.Fusion;
import org.utad.config.Residual;
import org.utad.config.UtadConfig;
import org.utad.engine.DeviceFallback;
import org.utad.engine.Engines;
import org.utad.model.ImageOps;
import org.utad.model.ReflectionPad2d;
import org.utad.model.UtadNetworks;

/**
 * The networks' side of detection: runs batches of normalised images through both stages and fuses
 * the residual maps of DESIGN section 2 into one map per image,
 * {@code r(x, mean xe) + r(x, mean f) - var(xe) - r(mean xe, m)} clipped at 0, with SSIM or L2
 * residuals on grey values, all on the engine's device.
 *
 * <p>The random detail codes are fixed per model (from its seed), so the same image always gets the
 * same map, whichever thread asks. Batches that do not fit in memory are split, and a GPU that cannot
 * hold even one input gives way to the CPU, through the engine's {@link DeviceFallback}.
 */
final class ResidualMaps {
    /**
     * The most images per decoder pass when the random codes are decoded together: four codes of a
     * full batch of tiles ({@link Tiling#MAX_TILE_BATCH}), the {@code fast} preset's K.
     */
    static final int DECODE_BATCH = 4 * Tiling.MAX_TILE_BATCH;

    private final UtadConfig config;
    private final UtadNetworks nets;
    private final NDManager manager;
    private final float[] codes;
    private final int maxCodes;
    private final int decodeBatch;
    private final DeviceFallback fallback;

    /**
     * @param config  the model's configuration (seed, detail code size)
     * @param nets    the networks
     * @param manager the manager the networks live in; batch scopes are its children
     */
    ResidualMaps(UtadConfig config, UtadNetworks nets, NDManager manager) {
        this(config, nets, manager, DECODE_BATCH);
    }

    /**
     * @param config      the model's configuration (seed, detail code size)
     * @param nets        the networks
     * @param manager     the manager the networks live in; batch scopes are its children
     * @param decodeBatch the most images per decoder pass; 1 decodes the random codes one at a time
     */
    ResidualMaps(UtadConfig config, UtadNetworks nets, NDManager manager, int decodeBatch) {
        this.decodeBatch = decodeBatch;
        this.config = config;
        this.nets = nets;
        this.manager = manager;
        this.maxCodes = Math.max(64, config.detect().randomCodes());
        int d = config.expertNet().detailDim();
        Random r = new Random(config.seed() ^ 0x5DEECE66DL);
        this.codes = new float[maxCodes * d];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = (float) r.nextGaussian();
        }
        this.fallback = Engines.fallback(manager.getDevice(), Tiling.MAX_TILE_BATCH, message -> { });
    }

    /** @return what had to give way to fit in memory so far, oldest first */
    List<String> fallbackMessages() {
        return fallback.messages();
    }

    /**
     * Runs inputs through the out-of-memory policy: when the device runs out of memory, the batch is
     * split into halves (down to single inputs), and a GPU that cannot hold even one input gives way to
     * the CPU for this and later batches.
     *
     * @param inputs     normalised planar images of one size
     * @param w          their width
     * @param h          their height
     * @param c          their channels
     * @param o          method, fusion, residual, codes and intermediates
     * @param netSeconds receives the time spent in network forward passes
     * @return maps concatenated over the inputs: map (n*h*w), impression/expert (n*c*h*w), variance (n*h*w)
     */
    Maps run(List<float[]> inputs, int w, int h, int c, DetectOptions o, double[] netSeconds) {
        return fallback.run((device, size) -> {
            List<Maps> parts = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i += size) {
                parts.add(runBatch(inputs.subList(i, Math.min(inputs.size(), i + size)), w, h, c, o, netSeconds,
                        device));
            }
            return parts.size() == 1 ? parts.get(0) : Maps.concat(parts);
        });
    }

    /**
     * Runs the networks and the fusion on a batch of equally sized inputs, on the given device (the
     * parameters are copied there when they live on another).
     */
    private Maps runBatch(List<float[]> inputs, int w, int h, int c, DetectOptions o, double[] netSeconds,
                          Device device) {
        int n = inputs.size();
        int per = c * w * h;
        float[] data = new float[n * per];
        for (int i = 0; i < n; i++) {
            System.arraycopy(inputs.get(i), 0, data, i * per, per);
        }
        try (NDManager scope = manager.newSubManager(device)) {
            ParameterStore ps = new ParameterStore(scope, false);
            NDArray x01 = scope.create(data, new Shape(n, c, h, w));
            long t = System.nanoTime();
            NDArray m01 = UtadNetworks.forward(nets.ieNet(), ps, x01);
            netSeconds[0] += (System.nanoTime() - t) / 1e9;
            Fusion fu = o.fusion();
            NDArray gx = ImageOps.grey(x01);
            NDArray gm = ImageOps.grey(inInputRange(fu, m01, x01));
            NDArray map;
            NDArray expert = null;
            NDArray variance = null;
            if (o.method() == Method.BASELINE) {
                map = residual(gx, gm, o.residual(), fu);
            } else {
                boolean fusion = o.method() == Method.UTAD;
                // The expert map with the image's own code needs no random decodes: they feed only the
                // fusion's terms and the mean reconstruction it would otherwise use.
                int k = fusion || !fu.ownDetailCode() ? Math.min(o.randomCodes(), maxCodes) : 0;
                int d = config.expertNet().detailDim();
                NDArray x = x01.mul(2).sub(1);
                NDArray m = m01.mul(2).sub(1);
                t = System.nanoTime();
                NDArray cm = nets.impressionContent(ps, m);
                boolean fast = fusion && !fu.noFast();
                NDArray cx = fast ? UtadNetworks.forward(nets.expertImage().getContentEncoder(), ps, x) : null;
                if (o.intermediates() || fu.ownDetailCode()) {
                    expert = nets.expertReconstruction(ps, cm, x).add(1).div(2);
                }
                NDArray sumXe = null;
                NDArray sumXe2 = null;
                NDArray sumF = null;
                // Several codes go through the decoder as one batch, the content code repeated once per
                // code: fewer, larger operations (docs/BENCHMARKS.md, issue 17). The tile batch was sized
                // for all K decodes at once (Tiling.tileBatch), and a group stays within decodeBatch.
                int group = Math.max(1, decodeBatch / n);
                for (int j = 0; j < k; j += group) {
                    int g = Math.min(group, k - j);
                    float[] some = Arrays.copyOfRange(codes, j * d, (j + g) * d);
                    NDArray xe = UtadNetworks.decodeEach(nets.expertImage().getDecoder(), ps, cm, some, g)
                            .add(1).div(2);
                    sumXe = accumulate(sumXe, xe.sum(new int[] {0}));
                    sumXe2 = accumulate(sumXe2, xe.square().sum(new int[] {0}));
                    if (fast) {
                        sumF = accumulate(sumF, UtadNetworks.decodeEach(nets.expertImpression().getDecoder(), ps, cx,
                                some, g).add(1).div(2).sum(new int[] {0}));
                    }
                }
                netSeconds[0] += (System.nanoTime() - t) / 1e9;
                NDArray xeUsed = expert;
                if (k > 0) {
                    NDArray meanXe = sumXe.div(k);
                    variance = sumXe2.div(k).sub(meanXe.square()).maximum(0f).mean(new int[] {1}, true);
                    xeUsed = fu.ownDetailCode() ? expert : meanXe;
                }
                NDArray gXe = ImageOps.grey(inInputRange(fu, xeUsed, x01));
                map = residual(gx, gXe, o.residual(), fu);
                if (fast) {
                    NDArray gF = ImageOps.grey(inInputRange(fu, sumF.div(k), x01));
                    map = map.add(residual(gx, gF, o.residual(), fu));
                }
                if (fusion && !fu.noVariance()) {
                    map = map.sub(variance);
                }
                if (fusion && !fu.noGap()) {
                    map = map.sub(residual(gXe, gm, o.residual(), fu));
                }
                if (fusion) {
                    map = map.maximum(0f);
                }
            }
            boolean more = o.intermediates();
            return new Maps(map.toFloatArray(), more ? m01.toFloatArray() : null,
                    more && expert != null ? expert.toFloatArray() : null,
                    more && variance != null ? variance.toFloatArray() : null);
        }
    }

    private static NDArray accumulate(NDArray sum, NDArray more) {
        return sum == null ? more : sum.addi(more);
    }

    private static NDArray residual(NDArray a, NDArray b, Residual r, Fusion fu) {
        if (r == Residual.L2) {
            return a.sub(b).square();
        }
        float c1 = fu.softLuminance() ? ImageOps.SOFT_C1 : ImageOps.C1;
        if (!fu.reflectBorders()) {
            return ImageOps.ssimMap(a, b, c1).neg().add(1);
        }
        int pad = ImageOps.SSIM_WINDOW / 2;
        long h = a.getShape().get(2);
        long w = a.getShape().get(3);
        NDArray ssim = ImageOps.ssimMap(ReflectionPad2d.pad(a, pad), ReflectionPad2d.pad(b, pad), c1);
        return ssim.get(new NDIndex(":, :, {}:{}, {}:{}", pad, pad + h, pad, pad + w)).neg().add(1);
    }

    /**
     * Rescales each image of a batch to the value range of the matching input image, as the
     * reference implementation does before its residuals, when the fusion asks for it.
     */
    private static NDArray inInputRange(Fusion fu, NDArray rec, NDArray ref) {
        if (!fu.rangeMatch()) {
            return rec;
        }
        NDArray lo = perImage(rec, false);
        NDArray span = perImage(rec, true).sub(lo).maximum(1e-6f);
        NDArray refLo = perImage(ref, false);
        NDArray refSpan = perImage(ref, true).sub(refLo);
        return rec.sub(lo).div(span).mul(refSpan).add(refLo);
    }

    /** @return each image's maximum (or minimum) as an (N, 1, 1, 1) tensor that broadcasts over it */
    private static NDArray perImage(NDArray x, boolean max) {
        NDArray flat = x.reshape(x.getShape().get(0), -1);
        NDArray v = max ? flat.max(new int[] {1}) : flat.min(new int[] {1});
        return v.reshape(x.getShape().get(0), 1, 1, 1);
    }
}
