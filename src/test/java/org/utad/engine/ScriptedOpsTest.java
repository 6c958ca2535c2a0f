package org.utad.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TorchScript helper module: libtorch loads the archive written in Java, its reflection padding
 * gives the hand-computed values and gradients on any thread, it has the poolings it says it has, and it
 * refuses what it cannot do.
 */
class ScriptedOpsTest {

    @BeforeAll
    static void start() {
        Engines.offline();
        Engines.engine();
    }

    @Test
    void libtorchLoadsTheModuleWrittenInJava() {
        assertNull(ScriptedOps.problem(), "the helper module should load on the bundled natives");
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.zeros(new Shape(1, 1, 4, 4));
            for (int pad = 1; pad <= ScriptedOps.MAX_PAD; pad++) {
                assertTrue(ScriptedOps.reflects(x, pad), "pad " + pad);
            }
        }
    }

    @Test
    void padsAndSendsGradientsBackOnEveryThreadAndCall() throws Exception {
        // A 2 x 3 plane padded by 1 takes rows 1 0 1 0 and columns 1 0 1 2 1 of the source. Each source
        // pixel's gradient is how often it appears in the 4 x 5 result: twice per row, and once, three
        // times and once per column.
        float[] expectedValues = {
            5, 4, 5, 6, 5,
            2, 1, 2, 3, 2,
            5, 4, 5, 6, 5,
            2, 1, 2, 3, 2};
        float[] expectedGradient = {2, 6, 2, 2, 6, 2};
        Runnable check = () -> {
            try (NDManager manager = NDManager.newBaseManager()) {
                // Several calls: libtorch may run a TorchScript method differently from its first call on.
                for (int call = 0; call < 4; call++) {
                    NDArray x = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(1, 1, 2, 3));
                    Engines.noGradientsOnThisThread();
                    assertArrayEquals(expectedValues, ScriptedOps.reflectionPad(x, 1).toFloatArray());
                    x.setRequiresGradient(true);
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray y = ScriptedOps.reflectionPad(x, 1);
                        assertArrayEquals(expectedValues, y.toFloatArray());
                        collector.backward(y.sum());
                    }
                    assertArrayEquals(expectedGradient, x.getGradient().toFloatArray(), "call " + call);
                }
            }
        };
        check.run();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<?> done = other.submit(check);
            done.get();
        } finally {
            other.shutdown();
        }
    }

    @Test
    void refusesWhatItHasNoMethodForAndSaysSo() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.zeros(new Shape(1, 1, 20, 20));
            assertFalse(ScriptedOps.reflects(x, 0));
            assertFalse(ScriptedOps.reflects(x, ScriptedOps.MAX_PAD + 1));
            NDArray named = manager.zeros(new Shape(1, 1, 4, 4));
            named.setName("image");
            assertFalse(ScriptedOps.reflects(named, 1), "DJL reads a named array as a structured argument");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ScriptedOps.reflectionPad(x, ScriptedOps.MAX_PAD + 1));
            assertTrue(e.getMessage().contains("reflection padding of " + (ScriptedOps.MAX_PAD + 1)), e.getMessage());
        }
    }

    @Test
    void tellsWhetherAutogradRecordsAnArraysHistory() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.ones(new Shape(2, 2));
            NDArray images = manager.ones(new Shape(2, 2));
            weight.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                assertTrue(ScriptedOps.requiresGradient(weight));
                assertFalse(ScriptedOps.requiresGradient(images));
                assertTrue(ScriptedOps.requiresGradient(weight.mul(images)), "computed from a weight");
                assertFalse(ScriptedOps.requiresGradient(images.mul(2)));
            }
            Engines.noGradientsOnThisThread();
            assertFalse(ScriptedOps.requiresGradient(weight.mul(images)), "computed while nothing is recorded");
        }
    }

    @Test
    void hasAGatheredPoolingForEveryWindowUpToItsLargestAndNoOther() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.zeros(new Shape(1, 16, 8, 8));
            for (int kernel = 2; kernel <= ScriptedOps.MAX_POOL_WINDOW; kernel++) {
                for (int stride : new int[] {1, kernel}) {
                    for (int pad = 0; pad <= 1; pad++) {
                        assertTrue(ScriptedOps.gathersMaxPool(x, kernel, stride, pad),
                                kernel + " " + stride + " " + pad);
                    }
                }
            }
            assertFalse(ScriptedOps.gathersMaxPool(x, ScriptedOps.MAX_POOL_WINDOW + 1, 1, 1));
            assertFalse(ScriptedOps.gathersMaxPool(x, 3, 2, 1), "stride neither 1 nor the window");
            assertFalse(ScriptedOps.gathersMaxPool(x, 3, 1, 2), "padding 2");
            assertFalse(ScriptedOps.gathersMaxPool(manager.zeros(new Shape(16, 8, 8)), 2, 2, 0), "not NCHW");
            NDArray named = manager.zeros(new Shape(1, 16, 8, 8));
            named.setName("features");
            assertFalse(ScriptedOps.gathersMaxPool(named, 2, 2, 0), "DJL reads a named array as a structured argument");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ScriptedOps.gatheredMaxPool(x, 3, 2, 1));
            assertTrue(e.getMessage().contains("window 3, stride 2 and padding 1"), e.getMessage());
        }
    }
}
