package org.utad.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.utad.engine.Engines;
import org.utad.engine.ScriptedOps;

/** The small layers DJL lacks, checked against hand-computed values and gradients. */
class LayersTest {
    private static final float TOL = 1e-5f;

    @BeforeAll
    static void start() {
        BlockChecks.startEngine(7);
    }

    private static NDList run(Block block, NDManager manager, NDArray... inputs) {
        Shape[] shapes = new Shape[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            shapes[i] = inputs[i].getShape();
        }
        block.initialize(manager, DataType.FLOAT32, shapes);
        NDList out = block.forward(new ParameterStore(manager, false), new NDList(inputs), false);
        assertArrayEquals(block.getOutputShapes(shapes), BlockChecks.shapes(out));
        return out;
    }

    @Test
    void nearestUpsampleRepeatsEachPixelAndSumsGradients() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
            NDArray y = run(new NearestUpsample(2), manager, x).singletonOrThrow();
            assertEquals(new Shape(1, 1, 4, 4), y.getShape());
            assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, y.toFloatArray());
            NDArray z = run(new NearestUpsample(3), manager, manager.create(new float[] {5, 6}, new Shape(1, 2, 1, 1)))
                    .singletonOrThrow();
            assertArrayEquals(new float[] {5, 5, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6}, z.toFloatArray());
            NDArray wide = NearestUpsample.upsample(manager.create(new float[] {7, 8}, new Shape(1, 1, 1, 2)), 2);
            assertEquals(new Shape(1, 1, 2, 4), wide.getShape());
            assertArrayEquals(new float[] {7, 7, 8, 8, 7, 7, 8, 8}, wide.toFloatArray());

            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray weights = manager.arange(16f).reshape(1, 1, 4, 4);
                collector.backward(NearestUpsample.upsample(x, 2).mul(weights).sum());
            }
            // Pixel (0,0) feeds outputs 0, 1, 4, 5: 10. (0,1): 2+3+6+7. (1,0): 8+9+12+13. (1,1): 10+11+14+15.
            assertArrayEquals(new float[] {10, 18, 42, 50}, x.getGradient().toFloatArray(), TOL);
        }
    }

    @Test
    void reflectionPadMirrorsWithoutRepeatingTheBorder() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, new Shape(1, 1, 3, 3));
            NDArray y = run(new ReflectionPad2d(2), manager, x).singletonOrThrow();
            assertEquals(new Shape(1, 1, 7, 7), y.getShape());
            assertArrayEquals(new float[] {
                9, 8, 7, 8, 9, 8, 7,
                6, 5, 4, 5, 6, 5, 4,
                3, 2, 1, 2, 3, 2, 1,
                6, 5, 4, 5, 6, 5, 4,
                9, 8, 7, 8, 9, 8, 7,
                6, 5, 4, 5, 6, 5, 4,
                3, 2, 1, 2, 3, 2, 1}, y.toFloatArray());

            NDArray wide = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(1, 1, 2, 3));
            assertArrayEquals(new float[] {
                5, 4, 5, 6, 5,
                2, 1, 2, 3, 2,
                5, 4, 5, 6, 5,
                2, 1, 2, 3, 2}, ReflectionPad2d.pad(wide, 1).toFloatArray());

            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(ReflectionPad2d.pad(x, 2).sum());
            }
            // Rows and columns 0 and 2 appear twice in the padded 7 rows, index 1 three times.
            assertArrayEquals(new float[] {4, 6, 4, 6, 9, 6, 4, 6, 4}, x.getGradient().toFloatArray(), TOL);
            assertThrows(IllegalArgumentException.class, () -> ReflectionPad2d.pad(x, 3));
        }
    }

    /** The two forms of the reflection padding: libtorch's own, reached as TorchScript, and the built-up one. */
    private static final List<BiFunction<NDArray, Integer, NDArray>> PADDINGS =
            List.of(ReflectionPad2d::pad, ReflectionPad2d::builtUp);

    @Test
    void reflectionPadGivesTheSameValuesInBothFormsWithAndWithoutGradients() {
        try (NDManager manager = NDManager.newBaseManager()) {
            int[][] cases = {{2, 3, 9, 7, 3}, {1, 2, 5, 5, 1}, {2, 4, 8, 8, 2}, {1, 1, 4, 6, 3}, {3, 16, 16, 16, 3}};
            for (int[] c : cases) {
                NDArray x = manager.randomNormal(new Shape(c[0], c[1], c[2], c[3]));
                assertTrue(ScriptedOps.reflects(x, c[4]), "the native padding is in use: " + ScriptedOps.problem());
                Engines.noGradientsOnThisThread();
                NDArray nativeForm = ReflectionPad2d.pad(x, c[4]);
                NDArray written = ReflectionPad2d.builtUp(x, c[4]);
                NDArray nativeRecorded;
                NDArray concatenated;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    nativeRecorded = ReflectionPad2d.pad(x, c[4]);
                    concatenated = ReflectionPad2d.builtUp(x, c[4]);
                }
                for (NDArray other : new NDArray[] {written, nativeRecorded, concatenated}) {
                    assertEquals(nativeForm.getShape(), other.getShape(), Arrays.toString(c));
                    assertArrayEquals(nativeForm.toFloatArray(), other.toFloatArray(), 0f, Arrays.toString(c));
                }
                assertArrayEquals(x.toFloatArray(), written.get(new NDIndex(":, :, {}:{}, {}:{}", c[4], c[4] + c[2],
                        c[4], c[4] + c[3])).toFloatArray(), 0f, "the input is left as it was");
            }
        }
    }

    @Test
    void reflectionPadSendsEachMirroredGradientToItsSource() {
        // Weighted sums make every padded pixel's gradient distinct, so a strip taken from the wrong
        // row, left unflipped where it needs a flip, or dropped in the backward pass shows. The cases
        // cover the one-split form (both axes, pad 1 and 3, and the edge 2 pad + 2), the two-split form
        // of narrow images, and a mix of the two; each form of the padding runs every case twice, since
        // libtorch may run a TorchScript method differently from its first call on.
        int[][] cases = {{2, 3, 6, 7, 1}, {1, 2, 9, 8, 3}, {1, 1, 4, 4, 1}, {1, 2, 3, 5, 1}, {1, 1, 5, 3, 2}};
        try (NDManager manager = NDManager.newBaseManager()) {
            Random random = new Random(17);
            for (int repeat = 0; repeat < 2; repeat++) {
                for (int[] c : cases) {
                    int n = c[0] * c[1];
                    int h = c[2];
                    int w = c[3];
                    int p = c[4];
                    int ph = h + 2 * p;
                    int pw = w + 2 * p;
                    float[] weights = new float[n * ph * pw];
                    for (int i = 0; i < weights.length; i++) {
                        weights[i] = random.nextFloat();
                    }
                    float[] expected = new float[n * h * w];
                    for (int plane = 0; plane < n; plane++) {
                        for (int i = 0; i < ph; i++) {
                            for (int j = 0; j < pw; j++) {
                                expected[(plane * h + mirror(i - p, h)) * w + mirror(j - p, w)] +=
                                        weights[(plane * ph + i) * pw + j];
                            }
                        }
                    }
                    for (int form = 0; form < PADDINGS.size(); form++) {
                        NDArray x = manager.randomNormal(new Shape(c[0], c[1], h, w));
                        x.setRequiresGradient(true);
                        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                            NDArray padded = PADDINGS.get(form).apply(x, p);
                            collector.backward(padded.mul(manager.create(weights, padded.getShape())).sum());
                        }
                        assertArrayEquals(expected, x.getGradient().toFloatArray(), TOL,
                                "form " + form + ", " + Arrays.toString(c));
                    }
                }
            }
        }
    }

    /** The source index of padded index {@code k} of an axis of {@code size}, reflected. */
    private static int mirror(int k, int size) {
        return k < 0 ? -k : k >= size ? 2 * (size - 1) - k : k;
    }

    @Test
    void instanceNormNormalisesEachPlaneAlone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // Sample 0: channel 0 = 1..4 (mean 2.5, biased variance 1.25), channel 1 constant.
            // Sample 1: channel 0 = 10 x channel 0 of sample 0 (variance 125), channel 1 = -1, 1, -1, 1.
            NDArray x = manager.create(new float[] {1, 2, 3, 4, 5, 5, 5, 5, 10, 20, 30, 40, -1, 1, -1, 1},
                    new Shape(2, 2, 2, 2));
            float[] y = run(new InstanceNorm2d(), manager, x).singletonOrThrow().toFloatArray();
            float s0 = (float) Math.sqrt(1.25 + 1e-5);
            float s1 = (float) Math.sqrt(125 + 1e-5);
            float s2 = (float) Math.sqrt(1 + 1e-5);
            assertArrayEquals(new float[] {
                -1.5f / s0, -0.5f / s0, 0.5f / s0, 1.5f / s0,
                0, 0, 0, 0,
                -15 / s1, -5 / s1, 5 / s1, 15 / s1,
                -1 / s2, 1 / s2, -1 / s2, 1 / s2}, y, TOL);
        }
    }

    @Test
    void adaInAppliesPerSampleScaleAndShift() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {1, 3, 2, 2, 0, 4, 7, 7}, new Shape(2, 2, 1, 2));
            NDArray gamma = manager.create(new float[] {2, 5, -1, 0.5f}, new Shape(2, 2));
            NDArray beta = manager.create(new float[] {1, -1, 0, 3}, new Shape(2, 2));
            float[] y = run(new AdaIN(), manager, x, gamma, beta).singletonOrThrow().toFloatArray();
            float s1 = (float) Math.sqrt(1 + 1e-5);
            float s4 = (float) Math.sqrt(4 + 1e-5);
            assertArrayEquals(new float[] {
                -2 / s1 + 1, 2 / s1 + 1, -1, -1,
                2 / s4, -2 / s4, 3, 3}, y, TOL);
        }
    }
}
