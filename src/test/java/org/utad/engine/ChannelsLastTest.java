package org.utad.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The channels-last layout: the conversion keeps shape, values and gradients, the layout is told apart
 * from NCHW (and the ambiguous shapes count as NCHW), and it applies only while training on the CPU
 * outside a suspension.
 */
class ChannelsLastTest {

    @BeforeAll
    static void start() {
        Engines.offline();
        Engines.engine();
    }

    @Test
    void keepsShapeValuesAndGradientsAndIsToldApartFromNchw() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.arange(120f).reshape(2, 3, 4, 5);
            NDArray weights = manager.arange(120f).reshape(2, 3, 4, 5).mul(0.5f).add(1);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray last = ChannelsLast.of(x);
                assertEquals(x.getShape(), last.getShape());
                assertArrayEquals(x.toFloatArray(), last.toFloatArray(), "values in NCHW order, unchanged");
                assertTrue(ChannelsLast.holds(last));
                assertFalse(ChannelsLast.holds(x));
                // Element-wise operations keep the layout, and a view of some channels has it too.
                assertTrue(ChannelsLast.holds(last.mul(2)));
                assertTrue(ChannelsLast.holds(last.get(new NDIndex().addAllDim().addSliceDim(0, 2))));
                assertFalse(ChannelsLast.holds(x.get(new NDIndex().addAllDim().addSliceDim(0, 2))));
                collector.backward(last.mul(weights).sum());
            }
            assertArrayEquals(weights.toFloatArray(), x.getGradient().toFloatArray(),
                    "the gradient reaches the NCHW input in its own order");
        }
    }

    @Test
    void oneChannelAndOnePixelArraysCountAsNchw() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // Both layouts lay these out alike, so the NCHW forms of pooling and up-sampling serve them.
            assertFalse(ChannelsLast.holds(ChannelsLast.of(manager.ones(new Shape(2, 1, 4, 4)))));
            assertFalse(ChannelsLast.holds(ChannelsLast.of(manager.ones(new Shape(2, 8, 1, 1)))));
            assertFalse(ChannelsLast.holds(manager.ones(new Shape(8, 4, 4))), "not an image batch");
            NDArray named = ChannelsLast.of(manager.ones(new Shape(2, 8, 4, 4)));
            named.setName("image");
            assertFalse(ChannelsLast.holds(named), "a named array is never handed to the helper");
        }
    }

    @Test
    void appliesOnlyWhileRecordingGradientsOnTheCpuOutsideASuspension() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.ones(new Shape(2, 3, 4, 4));
            Engines.noGradientsOnThisThread();
            assertFalse(ChannelsLast.applies(x), "detection and validation keep NCHW");
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                assertTrue(ChannelsLast.applies(x));
                try (ChannelsLast.Suspension outer = ChannelsLast.suspend()) {
                    assertFalse(ChannelsLast.applies(x));
                    try (ChannelsLast.Suspension inner = ChannelsLast.suspend()) {
                        assertFalse(ChannelsLast.applies(x));
                    }
                    assertFalse(ChannelsLast.applies(x), "scopes nest");
                    outer.close();
                    outer.close();
                    assertTrue(ChannelsLast.applies(x), "closing twice ends one suspension only");
                }
                x.setName("image");
                assertFalse(ChannelsLast.applies(x), "a named array is never handed to the helper");
            }
        }
    }
}
