package org.utad.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.utad.engine.Engines;
import org.utad.engine.ScriptedOps;

/**
 * The optimiser's gradient handling must keep every gradient in the parameter's own native memory.
 * DJL's {@code NDArray.set(Buffer)} re-points a PyTorch tensor at a Java buffer instead of copying;
 * clearing a skipped step's gradients that way left them in memory the JVM later freed, and the next
 * backward passes wrote into it: the stage-2 heap corruptions and crashes of docs/NUMERICS.md.
 */
class AdamTest {
    @BeforeAll
    static void engine() {
        Engines.offline();
        Engines.engine();
        Engine.getInstance().setRandomSeed(3);
    }

    /** @return an initialised fully connected layer whose parameters record gradients */
    private static Block linear(NDManager m, int units, int inputs) {
        Block net = Linear.builder().setUnits(units).build();
        net.initialize(m, DataType.FLOAT32, new Shape(1, inputs));
        Adam.trackGradients(net);
        return net;
    }

    /** Backward of sum(factor * w) over every parameter: each gradient grows by exactly factor. */
    private static void accumulate(Block net, float factor) {
        try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
            NDArray total = null;
            for (Pair<String, Parameter> p : net.getParameters()) {
                NDArray term = p.getValue().getArray().mul(factor).sum();
                total = total == null ? term : total.add(term);
            }
            c.backward(total);
        }
    }

    /**
     * Lets the JVM free Java buffers that nothing references any more, then takes freed native blocks
     * of the gradients' sizes and fills them with NaN bit patterns, so memory a gradient should no
     * longer be using reads as NaN.
     */
    private static List<ByteBuffer> releaseAndDirtyFreedMemory(Block net) throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(40);
        }
        List<ByteBuffer> junk = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            for (Pair<String, Parameter> p : net.getParameters()) {
                ByteBuffer b = ByteBuffer.allocateDirect((int) p.getValue().getArray().size() * Float.BYTES);
                while (b.hasRemaining()) {
                    b.put((byte) 0xFF);
                }
                junk.add(b);
            }
        }
        return junk;
    }

    private static void assertGradients(Block net, float expected, String when) {
        for (Pair<String, Parameter> p : net.getParameters()) {
            try (NDArray g = p.getValue().getArray().getGradient()) {
                float[] v = g.toFloatArray();
                float[] want = new float[v.length];
                java.util.Arrays.fill(want, expected);
                assertArrayEquals(want, v, 0f, when + ": gradient of " + p.getKey());
            }
        }
    }

    @Test
    void clearedGradientsStayInTheParametersOwnMemory() throws InterruptedException {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = linear(m, 24, 40);
            Adam adam = new Adam(net, m, 0.5f, 0.999f);
            accumulate(net, Float.NaN);
            assertTrue(!adam.gradientsFinite(), "the planted NaN gradients are seen");
            adam.clearGradients();
            assertTrue(adam.gradientsFinite(), "NaN gradients are cleared");
            List<ByteBuffer> junk = releaseAndDirtyFreedMemory(net);
            assertGradients(net, 0f, "after clearing and a garbage collection");
            accumulate(net, 2f);
            accumulate(net, 3f);
            assertGradients(net, 5f, "two backward passes after clearing");
            assertTrue(junk.size() > 0);
        }
    }

    @Test
    void zeroingAnotherNetworksGradientsClearsNanAndKeepsTheirMemory() throws InterruptedException {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = linear(m, 16, 32);
            accumulate(net, Float.POSITIVE_INFINITY);
            Adam.zeroGradients(net);
            List<ByteBuffer> junk = releaseAndDirtyFreedMemory(net);
            assertGradients(net, 0f, "after zeroing an infinite gradient");
            accumulate(net, 1.5f);
            assertGradients(net, 1.5f, "a backward pass after zeroing");
            assertTrue(junk.size() > 0);
        }
    }

    @ParameterizedTest(name = "fused {0}")
    @ValueSource(booleans = {true, false})
    void aStepMovesEveryWeightAgainstItsGradientAndZeroesTheGradient(boolean fused) {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = linear(m, 3, 4);
            Adam adam = new Adam(net, m, 0.9f, 0.999f, fused);
            assertEquals(fused, adam.fused());
            List<float[]> before = new ArrayList<>();
            for (Pair<String, Parameter> p : net.getParameters()) {
                before.add(p.getValue().getArray().toFloatArray());
            }
            accumulate(net, 1f);
            adam.step(0.01f);
            int i = 0;
            for (Pair<String, Parameter> p : net.getParameters()) {
                float[] after = p.getValue().getArray().toFloatArray();
                float[] old = before.get(i++);
                for (int k = 0; k < after.length; k++) {
                    // The first Adam step moves every weight by the learning rate against the gradient's sign.
                    assertEquals(old[k] - 0.01f, after[k], 1e-5f, p.getKey() + "[" + k + "]");
                }
            }
            assertGradients(net, 0f, "after a step");
            assertEquals(1, adam.steps());
        }
    }

    @ParameterizedTest(name = "fused {0}")
    @ValueSource(booleans = {true, false})
    void severalStepsFollowTheTextbookFormulaWithBiasCorrection(boolean fused) {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = linear(m, 3, 4);
            Adam adam = new Adam(net, m, 0.5f, 0.999f, fused);
            assertEquals(fused, adam.fused());
            List<double[]> w = new ArrayList<>();
            for (Pair<String, Parameter> p : net.getParameters()) {
                float[] v = p.getValue().getArray().toFloatArray();
                w.add(java.util.stream.IntStream.range(0, v.length).mapToDouble(k -> v[k]).toArray());
            }
            List<double[]> mom1 = new ArrayList<>();
            List<double[]> mom2 = new ArrayList<>();
            w.forEach(x -> {
                mom1.add(new double[x.length]);
                mom2.add(new double[x.length]);
            });
            float[] grads = {1f, -3f, 0.25f};
            for (int t = 1; t <= grads.length; t++) {
                accumulate(net, grads[t - 1]);
                adam.step(0.01f);
                double g = grads[t - 1];
                double size = 0.01 * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.5, t));
                for (int i = 0; i < w.size(); i++) {
                    for (int k = 0; k < w.get(i).length; k++) {
                        mom1.get(i)[k] = 0.5 * mom1.get(i)[k] + 0.5 * g;
                        mom2.get(i)[k] = 0.999 * mom2.get(i)[k] + 0.001 * g * g;
                        w.get(i)[k] -= size * mom1.get(i)[k] / (Math.sqrt(mom2.get(i)[k]) + 1e-8);
                    }
                }
                assertGradients(net, 0f, "after step " + t);
            }
            int i = 0;
            for (Pair<String, Parameter> p : net.getParameters()) {
                float[] got = p.getValue().getArray().toFloatArray();
                double[] want = w.get(i++);
                for (int k = 0; k < got.length; k++) {
                    assertEquals(want[k], got[k], 1e-6, p.getKey() + "[" + k + "]");
                }
            }
        }
    }

    @Test
    void trainingUsesTheFusedUpdateAndItMatchesTheOneParameterAtATimeUpdate() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block a = linear(m, 64, 300);
            Block b = linear(m, 64, 300);
            List<Pair<String, Parameter>> pa = a.getParameters().stream().collect(Collectors.toList());
            List<Pair<String, Parameter>> pb = b.getParameters().stream().collect(Collectors.toList());
            for (int i = 0; i < pa.size(); i++) {
                pb.get(i).getValue().getArray().set(new NDIndex("..."), pa.get(i).getValue().getArray());
            }
            Adam fused = new Adam(a, m, 0.5f, 0.999f);
            assertTrue(fused.fused(), "the bundled natives run the fused update: " + ScriptedOps.problem());
            Adam plain = new Adam(b, m, 0.5f, 0.999f, false);
            List<float[]> start = new ArrayList<>();
            for (Pair<String, Parameter> p : pa) {
                start.add(p.getValue().getArray().toFloatArray());
            }
            float[] factors = {0.3f, -2f, 1e-3f, 5f, -0.7f};
            for (float f : factors) {
                accumulate(a, f);
                accumulate(b, f);
                fused.step(0.02f);
                plain.step(0.02f);
            }
            for (int i = 0; i < pa.size(); i++) {
                float[] x = pa.get(i).getValue().getArray().toFloatArray();
                float[] y = pb.get(i).getValue().getArray().toFloatArray();
                for (int k = 0; k < x.length; k++) {
                    // Five steps of about 0.02 each: rounding leaves a few float steps of the weight.
                    assertEquals(y[k], x[k], 2e-6f, pa.get(i).getKey() + "[" + k + "]");
                }
                for (int k = 0; k < x.length; k++) {
                    assertTrue(Math.abs(x[k] - start.get(i)[k]) > 0.01f, "weight " + k + " moved");
                }
            }
            assertGradients(a, 0f, "after the fused steps");
        }
    }

    @ParameterizedTest(name = "fused {0}")
    @ValueSource(booleans = {true, false})
    void savedMomentsAreRestoredIntoTheOptimisersOwnArrays(boolean fused) {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = linear(m, 3, 4);
            Adam adam = new Adam(net, m, 0.9f, 0.999f, fused);
            accumulate(net, 1f);
            adam.step(0.01f);
            byte[] state = adam.encodeState();
            Adam restored = new Adam(net, m, 0.9f, 0.999f);
            restored.decodeState(state);
            assertEquals(1, restored.steps());
            assertArrayEquals(state, restored.encodeState(), "moments round-trip");
        }
    }
}
