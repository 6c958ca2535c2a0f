package org.utad.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.utad.config.IeNetConfig;

/** The operation counts of small networks, against counts worked out by hand from their layers. */
class FlopCountTest {
    @BeforeAll
    static void engine() {
        BlockChecks.startEngine(3);
    }

    /** Two operations per weight use: N x H x W x filters outputs, each with Cin x kernel area weights. */
    private static long inception(long n, long h, long w, long filters, long cin) {
        return 2 * n * h * w * filters * cin * (1 + 9 + 25 + 1);
    }

    @Test
    void inceptionBlockCountsItsFourBranches() {
        try (NDManager m = NDManager.newBaseManager()) {
            InceptionBlock b = new InceptionBlock(2);
            b.initialize(m, DataType.FLOAT32, new Shape(1, 1, 8, 8));
            assertEquals(9216, FlopCount.forward(b));
            assertEquals(3 * 9216, FlopCount.training(b));
        }
    }

    @Test
    void ieNetCountFollowsItsResolutionsAndWidths() {
        try (NDManager m = NDManager.newBaseManager()) {
            IeNet net = new IeNet(1, new IeNetConfig(4));
            net.initialize(m, DataType.FLOAT32, new Shape(2, 1, 32, 32));
            // f = [1, 2, 4]; each Inception block outputs 4 f channels; pools 4, 2, 2, 2; ups 2, 4, 2, 2.
            long expected = inception(2, 32, 32, 1, 1) + inception(2, 8, 8, 1, 4)
                    + inception(2, 4, 4, 2, 4) + inception(2, 2, 2, 4, 8)
                    + inception(2, 1, 1, 4, 16) + inception(2, 2, 2, 2, 16)
                    + inception(2, 8, 8, 2, 8) + inception(2, 16, 16, 1, 8)
                    + 2L * 2 * 32 * 32 * 1 * 4;
            assertEquals(707_584, expected);
            assertEquals(expected, FlopCount.forward(net));
        }
    }

    @Test
    void stridedConvolutionsAndLinearLayersAreCountedByTheirOutputs() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock conv = new SequentialBlock().add(Layers.conv(4, 4, 2, 1, false));
            conv.initialize(m, DataType.FLOAT32, new Shape(1, 2, 8, 8));
            assertEquals(2L * (4 * 4 * 4) * 2 * 16, FlopCount.forward(conv));
            SequentialBlock linear = new SequentialBlock().add(Linear.builder().setUnits(5).build());
            linear.initialize(m, DataType.FLOAT32, new Shape(3, 7));
            assertEquals(2L * 3 * 7 * 5, FlopCount.forward(linear));
        }
    }

    @Test
    void anUninitialisedNetworkIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> FlopCount.forward(new InceptionBlock(2)));
        assertEquals(true, e.getMessage().contains("Initialise"));
    }
}
