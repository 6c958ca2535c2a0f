package org.utad.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Locale;
import org.utad.core.UtadException;

/**
 * The numerics self-check run once when the engine starts: a few tiny convolutions, forward and
 * backward, whose outputs and gradients are compared with the same sums computed in Java.
 *
 * <p>Why: a CPU kernel that gives wrong numbers does not fail, it trains a broken model for twenty
 * minutes (PyTorch 2.7.1's oneDNN gives NaN input gradients on AMD Zen 5 when a convolution's output
 * channels are not whole SIMD blocks, see {@link AlignedConvolution}). The problems chosen here have
 * exactly those shapes, so the check sees the fault where it exists, and it checks both the plain
 * convolution and the block-aligned form that training uses. The fault is intermittent (it depends
 * on what the freshly allocated memory held), so each shape runs several times; a check that finds
 * nothing on a faulty CPU is possible, which is why training always uses the aligned form and also
 * stops at the first non-finite loss.
 *
 * @param checks        convolution problems run in each form
 * @param plainFaults   problems whose plain convolution gave a non-finite or wrong value
 * @param alignedFaults problems whose block-aligned convolution gave a non-finite or wrong value
 * @param millis        wall time of the whole check
 */
public record NumericsCheck(int checks, int plainFaults, int alignedFaults, double millis) {
    /** Output channel counts of the problems: none a whole block, as in the UTAD networks' narrow layers. */
    private static final int[] OUT_CHANNELS = {1, 2, 4, 8, 12};
    private static final int BATCH = 2;
    private static final int IN_CHANNELS = 16;
    private static final int SIZE = 12;
    private static final int KERNEL = 3;
    /** Largest error allowed, relative to the largest reference value (float sums of ~300 terms). */
    private static final double TOLERANCE = 1e-4;

    /** A 3x3 convolution with padding 1, plain or block-aligned; tests inject faulty ones. */
    @FunctionalInterface
    public interface Convolution {
        /**
         * @param x       input (N, C, H, W)
         * @param w       weights (O, C, 3, 3)
         * @param aligned whether to use the block-aligned form
         * @return the output (N, O, H, W)
         */
        NDArray apply(NDArray x, NDArray w, boolean aligned);
    }

    /** The engine's own convolution, in the two forms {@link AlignedConvolution} offers. */
    public static final Convolution ENGINE = (x, w, aligned) -> AlignedConvolution.conv2d(x, w, null,
            new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1, aligned);

    /**
     * Runs the check on the CPU.
     *
     * @param conv   the convolution to check
     * @param rounds how many times each problem runs
     * @return the counts of faulty problems in each form
     */
    public static NumericsCheck run(Convolution conv, int rounds) {
        long t0 = System.nanoTime();
        int checks = 0;
        int plain = 0;
        int aligned = 0;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            for (int round = 0; round < rounds; round++) {
                for (int oc : OUT_CHANNELS) {
                    checks++;
                    if (!correct(manager, conv, oc, round, false)) {
                        plain++;
                    }
                    if (!correct(manager, conv, oc, round, true)) {
                        aligned++;
                    }
                }
            }
        }
        return new NumericsCheck(checks, plain, aligned, (System.nanoTime() - t0) / 1e6);
    }

    /** @return whether training can run: the block-aligned form gave only correct numbers */
    public boolean trainingSafe() {
        return alignedFaults == 0;
    }

    /**
     * Refuses to train on a CPU whose arithmetic is wrong even in the aligned form.
     *
     * @throws UtadException with what is wrong and what to do, if {@link #trainingSafe()} is false
     */
    public void requireTrainingSafe() {
        if (!trainingSafe()) {
            throw new UtadException("Training refused: the engine's numerics self-check found wrong convolution"
                    + " gradients on this CPU (" + alignedFaults + " of " + checks + " checks, even with"
                    + " block-aligned convolutions), so any model trained here would be broken. Try limiting the"
                    + " CPU instructions PyTorch's oneDNN may use: start Fiji (or bin/utad) with the environment"
                    + " variable ONEDNN_MAX_CPU_ISA=AVX set, then run Engine Info (bin/utad engine) again. If the"
                    + " check still fails, train on another computer or a GPU, and report the Engine Info text.");
        }
    }

    /** @return one line for logs, summaries and Engine Info */
    public String line() {
        String time = String.format(Locale.ROOT, "%.0f ms", millis);
        if (plainFaults == 0 && alignedFaults == 0) {
            return "correct (" + checks + " convolution gradient checks, " + time + "); training uses block-aligned"
                    + " convolutions on the CPU";
        }
        if (trainingSafe()) {
            return "this CPU's convolution kernels gave wrong gradients in " + plainFaults + " of " + checks
                    + " checks; the block-aligned convolutions that training uses were correct (" + time + ")";
        }
        return "WRONG: " + alignedFaults + " of " + checks + " convolution gradient checks failed even with"
                + " block-aligned convolutions; training is refused (" + time + ")";
    }

    private static boolean correct(NDManager parent, Convolution conv, int oc, int round, boolean aligned) {
        float[] x = pattern(BATCH * IN_CHANNELS * SIZE * SIZE, 1 + round + oc);
        float[] w = pattern(oc * IN_CHANNELS * KERNEL * KERNEL, 101 + round * 7 + oc);
        float[] g = pattern(BATCH * oc * SIZE * SIZE, 211 + round * 3 + oc);
        try (NDManager m = parent.newSubManager()) {
            NDArray xa = m.create(x, new Shape(BATCH, IN_CHANNELS, SIZE, SIZE));
            NDArray wa = m.create(w, new Shape(oc, IN_CHANNELS, KERNEL, KERNEL));
            NDArray ga = m.create(g, new Shape(BATCH, oc, SIZE, SIZE));
            xa.setRequiresGradient(true);
            wa.setRequiresGradient(true);
            float[] y;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = conv.apply(xa, wa, aligned);
                y = out.toFloatArray();
                collector.backward(out.mul(ga).sum());
            }
            float[] dx = xa.getGradient().toFloatArray();
            float[] dw = wa.getGradient().toFloatArray();
            Reference ref = Reference.of(x, w, g, oc);
            return close(y, ref.y) && close(dx, ref.dx) && close(dw, ref.dw);
        }
    }

    /** @return values in [-1, 1] that differ from problem to problem but are the same on every run */
    private static float[] pattern(int n, int seed) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) Math.sin(0.37 * i * seed + seed);
        }
        return v;
    }

    private static boolean close(float[] got, double[] want) {
        if (got.length != want.length) {
            return false;
        }
        double scale = 1e-12;
        for (double v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < got.length; i++) {
            if (!Float.isFinite(got[i]) || Math.abs(got[i] - want[i]) > TOLERANCE * scale) {
                return false;
            }
        }
        return true;
    }

    /** Output and gradients of sum(conv(x, w) * g), summed directly in double precision. */
    private record Reference(double[] y, double[] dx, double[] dw) {
        static Reference of(float[] x, float[] w, float[] g, int oc) {
            int c = IN_CHANNELS;
            int s = SIZE;
            int k = KERNEL;
            double[] y = new double[BATCH * oc * s * s];
            double[] dx = new double[x.length];
            double[] dw = new double[w.length];
            for (int n = 0; n < BATCH; n++) {
                for (int o = 0; o < oc; o++) {
                    for (int i = 0; i < s; i++) {
                        for (int j = 0; j < s; j++) {
                            int out = ((n * oc + o) * s + i) * s + j;
                            double sum = 0;
                            for (int ch = 0; ch < c; ch++) {
                                for (int ky = 0; ky < k; ky++) {
                                    int yy = i + ky - 1;
                                    if (yy < 0 || yy >= s) {
                                        continue;
                                    }
                                    for (int kx = 0; kx < k; kx++) {
                                        int xx = j + kx - 1;
                                        if (xx < 0 || xx >= s) {
                                            continue;
                                        }
                                        int xi = ((n * c + ch) * s + yy) * s + xx;
                                        int wi = ((o * c + ch) * k + ky) * k + kx;
                                        sum += (double) w[wi] * x[xi];
                                        dx[xi] += (double) g[out] * w[wi];
                                        dw[wi] += (double) g[out] * x[xi];
                                    }
                                }
                            }
                            y[out] = sum;
                        }
                    }
                }
            }
            return new Reference(y, dx, dw);
        }
    }
}
