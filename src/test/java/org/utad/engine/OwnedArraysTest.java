package org.utad.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Arithmetic with numbers and Java-made arrays that autograd keeps, with the collector busy. */
class OwnedArraysTest {
    @BeforeAll
    static void engine() {
        Engines.offline();
        Engines.engine();
        Engine.getInstance().setRandomSeed(3);
    }

    @Test
    void valuesAreThoseOfTheEnginesOwnForms() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(5, 7));
            assertArrayEquals(x.mul(0.3).toFloatArray(), OwnedArrays.times(x, 0.3).toFloatArray());
            assertArrayEquals(x.div(65535L).toFloatArray(), OwnedArrays.dividedBy(x, 65535).toFloatArray());
            assertArrayEquals(x.div(3f).toFloatArray(), OwnedArrays.dividedBy(x, 3f).toFloatArray());
            float[] v = {1.5f, -2f, 3.25f, 0f, 7f, 1e-3f};
            NDArray owned = OwnedArrays.of(m, v, new Shape(2, 3));
            assertEquals(new Shape(2, 3), owned.getShape());
            assertArrayEquals(v, owned.toFloatArray());
            NDArray index = OwnedArrays.of(m, new long[] {4, 0, 2}, new Shape(3));
            assertEquals(DataType.INT64, index.getDataType());
            assertArrayEquals(new long[] {4, 0, 2}, index.toLongArray());
        }
    }

    @Test
    void gradientsThroughANumberSurviveGarbageCollection() throws InterruptedException {
        float divisor = 65535f;
        float factor = 0.25f;
        assertGradient(x -> OwnedArrays.dividedBy(x, divisor), 1 / divisor);
        assertGradient(x -> OwnedArrays.times(x, factor), factor);
    }

    @Test
    void gradientsThroughAJavaMadeKernelSurviveGarbageCollection() throws InterruptedException {
        float[] k = {0.5f, 2f, -1f};
        // d(sum(x * k)) / dx = k: the backward pass of the product reads the kernel again.
        try (NDManager m = NDManager.newBaseManager()) {
            for (int round = 0; round < 20; round++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray x = step.ones(new Shape(3));
                    x.setRequiresGradient(true);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray y;
                        try (NDArray kernel = OwnedArrays.of(step, k, new Shape(3))) {
                            y = x.mul(kernel).sum();
                        }
                        churnBetween();
                        gc.backward(y);
                    }
                    assertArrayEquals(k, x.getGradient().toFloatArray(), "round " + round);
                }
            }
        }
    }

    /**
     * Differentiates the sum of op(x) with the collector freeing and reusing direct buffers between
     * the forward and the backward pass, and checks every gradient value against the expected one.
     */
    private static void assertGradient(UnaryOperator<NDArray> op, float expected) throws InterruptedException {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int round = 0; round < 20; round++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray x = step.randomNormal(new Shape(4, 8));
                    x.setRequiresGradient(true);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray y = op.apply(x).sum();
                        churnBetween();
                        gc.backward(y);
                    }
                    for (float g : x.getGradient().toFloatArray()) {
                        assertEquals(expected, g, Math.ulp(expected), "round " + round);
                    }
                }
            }
        }
    }

    /** Lets the collector free unreachable direct buffers and other buffers take their memory. */
    private static void churnBetween() throws InterruptedException {
        try (GcChurn churn = GcChurn.start()) {
            Thread.sleep(30);
        }
    }
}
