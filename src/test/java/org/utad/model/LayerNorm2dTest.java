package org.utad.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.utad.engine.OwnedArrays;

/**
 * MUNIT's layer norm as {@link LayerNorm2d} computes it: (x - mean) / sqrt(std^2 + eps^2) * gamma +
 * beta per sample, with the unbiased std, checked by hand, against MUNIT's own (x - mean) / (std +
 * eps), and, for its gradients, against the same formula built from elementary operations.
 */
class LayerNorm2dTest {
    private static final float TOL = 1e-5f;
    private static final double EPS = LayerNorm2d.EPSILON;

    @BeforeAll
    static void start() {
        BlockChecks.startEngine(7);
    }

    private static LayerNorm2d norm(NDManager manager, Shape shape, float[] gamma, float[] beta) {
        LayerNorm2d norm = new LayerNorm2d((int) shape.get(1));
        norm.initialize(manager, DataType.FLOAT32, shape);
        norm.getParameters().get("gamma").getArray().set(gamma);
        norm.getParameters().get("beta").getArray().set(beta);
        return norm;
    }

    private static NDArray forward(LayerNorm2d norm, NDManager manager, NDArray x, boolean training) {
        return norm.forward(new ParameterStore(manager, false), new NDList(x), training).singletonOrThrow();
    }

    @Test
    void normalisesEachWholeSampleThenAppliesAPerChannelAffine() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {1, 2, 3, 4, 0, 0, 0, 8}, new Shape(2, 2, 1, 2));
            LayerNorm2d fresh = new LayerNorm2d(2);
            fresh.initialize(manager, DataType.FLOAT32, x.getShape());
            for (float g : fresh.getParameters().get("gamma").getArray().toFloatArray()) {
                assertEquals(0.5f, g, 0.5f, "MUNIT initialises gamma uniformly in [0, 1)");
            }
            assertArrayEquals(new float[] {0, 0}, fresh.getParameters().get("beta").getArray().toFloatArray());

            float[] y = forward(norm(manager, x.getShape(), new float[] {2, 3}, new float[] {0.5f, -1}), manager, x,
                    false).toFloatArray();
            // Sample 0: mean 2.5, unbiased variance 5/3. Sample 1: mean 2, unbiased variance 48/3 = 16.
            float a = (float) Math.sqrt(5.0 / 3 + EPS * EPS);
            float b = (float) Math.sqrt(16 + EPS * EPS);
            assertArrayEquals(new float[] {
                2 * -1.5f / a + 0.5f, 2 * -0.5f / a + 0.5f, 3 * 0.5f / a - 1, 3 * 1.5f / a - 1,
                2 * -2 / b + 0.5f, 2 * -2 / b + 0.5f, 3 * -2 / b - 1, 3 * 6 / b - 1}, y, TOL);
            assertThrows(IllegalArgumentException.class,
                    () -> new LayerNorm2d(3).initialize(manager, DataType.FLOAT32, x.getShape()));
        }
    }

    @Test
    void staysWithinEpsOverStdOfMunitsDivisorAndGivesBetaForConstantSamples() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // Sample 0 nearly constant (std 1.3e-4, where the two divisors differ by 7 %), sample 1
            // constant, in a shape of one value per sample as well.
            double[] values = {-1.5e-4, -0.5e-4, 0.5e-4, 1.5e-4, -2, -2, -2, -2};
            float[] data = new float[values.length];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) values[i];
            }
            NDArray x = manager.create(data, new Shape(2, 1, 2, 2));
            float[] y = forward(norm(manager, x.getShape(), new float[] {1}, new float[] {0.25f}), manager, x, true)
                    .toFloatArray();
            double mean = 0;
            for (int i = 0; i < 4; i++) {
                mean += data[i] / 4.0;
            }
            double squares = 0;
            for (int i = 0; i < 4; i++) {
                squares += (data[i] - mean) * (data[i] - mean);
            }
            double std = Math.sqrt(squares / 3);
            for (int i = 0; i < 4; i++) {
                double ours = (data[i] - mean) / Math.sqrt(std * std + EPS * EPS) + 0.25;
                double munits = (data[i] - mean) / (std + EPS) + 0.25;
                assertEquals(ours, y[i], 2e-3 * Math.abs(ours - 0.25), "value " + i);
                double gap = Math.abs(y[i] - munits) / Math.abs(munits - 0.25);
                assertTrue(gap <= EPS / std + 2e-3 && gap > 0.5 * EPS / std,
                        "value " + i + " differs from MUNIT's by " + gap + " of its size, eps / std " + EPS / std);
            }
            for (int i = 4; i < 8; i++) {
                assertEquals(0.25f, y[i], TOL, "a constant sample gives beta");
            }
            NDArray single = manager.create(new float[] {5, -7}, new Shape(2, 1, 1, 1));
            assertArrayEquals(new float[] {0.25f, 0.25f},
                    forward(norm(manager, single.getShape(), new float[] {1}, new float[] {0.25f}), manager, single,
                            true).toFloatArray(), TOL, "one value per sample gives beta, not NaN");
        }
    }

    @Test
    void gradientsMatchTheFormulaBuiltFromElementaryOperations() {
        Random random = new Random(11);
        Shape shape = new Shape(3, 4, 5, 6);
        float[] data = new float[(int) shape.size()];
        float[] weights = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (random.nextGaussian() * (1 + i / 120) + i / 90);
            weights[i] = (float) random.nextGaussian();
        }
        float[] gamma = {0.3f, 1.2f, 0.7f, 2f};
        float[] beta = {0.1f, -0.4f, 0f, 0.9f};
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.create(weights, shape);
            LayerNorm2d block = norm(manager, shape, gamma, beta);
            NDArray x = manager.create(data, shape);
            x.setRequiresGradient(true);
            float[] y;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = forward(block, manager, x, true);
                y = out.toFloatArray();
                collector.backward(out.mul(w).sum());
            }
            float[] xGrad = x.getGradient().toFloatArray();
            float[] gGrad = block.getParameters().get("gamma").getArray().getGradient().toFloatArray();
            float[] bGrad = block.getParameters().get("beta").getArray().getGradient().toFloatArray();

            NDArray x2 = manager.create(data, shape);
            NDArray g2 = manager.create(gamma, new Shape(1, 4, 1, 1));
            NDArray b2 = manager.create(beta, new Shape(1, 4, 1, 1));
            x2.setRequiresGradient(true);
            g2.setRequiresGradient(true);
            b2.setRequiresGradient(true);
            float[] y2;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray flat = x2.reshape(3, -1);
                NDArray centred = flat.sub(flat.mean(new int[] {1}, true));
                NDArray variance = OwnedArrays.dividedBy(centred.square().sum(new int[] {1}, true), 119);
                NDArray divisor = variance.add(OwnedArrays.of(manager, new float[] {(float) (EPS * EPS)}, new Shape(1)))
                        .sqrt();
                NDArray out = centred.div(divisor).reshape(shape).mul(g2).add(b2);
                y2 = out.toFloatArray();
                collector.backward(out.mul(w).sum());
            }
            assertClose(y2, y, "output");
            assertClose(x2.getGradient().toFloatArray(), xGrad, "input gradient");
            assertClose(g2.getGradient().toFloatArray(), gGrad, "gamma gradient");
            assertClose(b2.getGradient().toFloatArray(), bGrad, "beta gradient");
        }
    }

    /** Asserts agreement to 1e-5 of the expected array's largest magnitude. */
    private static void assertClose(float[] expected, float[] actual, String what) {
        float scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        assertArrayEquals(expected, actual, 1e-5f * scale, what);
    }
}
