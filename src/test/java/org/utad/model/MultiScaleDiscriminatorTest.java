package org.utad.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.utad.config.DiscriminatorConfig;

/** The multi-scale discriminator: per-scale shapes, the pooling between scales, gradients, save/load. */
class MultiScaleDiscriminatorTest {

    @BeforeAll
    static void start() {
        BlockChecks.startEngine(13);
    }

    @Test
    void oneScoreMapPerScale() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DiscriminatorConfig config = new DiscriminatorConfig(4, 4, 3);
            MultiScaleDiscriminator dis = new MultiScaleDiscriminator(1, config);
            Shape in = new Shape(2, 1, 64, 96);
            dis.initialize(manager, DataType.FLOAT32, in);
            NDList out = dis.forward(new ParameterStore(manager, false), new NDList(manager.randomUniform(-1, 1, in)),
                    false);
            // 64x96 -> 4x6; pooled 32x48 -> 2x3; pooled 16x24 -> 1x1 (24 -> 12 -> 6 -> 3 -> 1).
            Shape[] expected = {new Shape(2, 1, 4, 6), new Shape(2, 1, 2, 3), new Shape(2, 1, 1, 1)};
            assertArrayEquals(expected, BlockChecks.shapes(out));
            assertArrayEquals(expected, dis.getOutputShapes(new Shape[] {in}));
        }
    }

    @Test
    void downsamplingAveragesWithoutCountingPadding() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.arange(16f).reshape(1, 1, 4, 4);
            NDArray y = MultiScaleDiscriminator.downsample(x);
            // Windows centred on (0,0), (0,2), (2,0), (2,2); the corner window sees only 2 x 2 pixels.
            float corner = (0 + 1 + 4 + 5) / 4f;
            float top = (1 + 2 + 3 + 5 + 6 + 7) / 6f;
            float left = (4 + 5 + 8 + 9 + 12 + 13) / 6f;
            float centre = (5 + 6 + 7 + 9 + 10 + 11 + 13 + 14 + 15) / 9f;
            assertEquals(new Shape(1, 1, 2, 2), y.getShape());
            assertArrayEquals(new float[] {corner, top, left, centre}, y.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void everyTrainableParameterGetsAGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // Three layers keep the last instance-normalised map of the coarsest scale at 2 x 2.
            DiscriminatorConfig config = new DiscriminatorConfig(4, 3, 3);
            MultiScaleDiscriminator dis = new MultiScaleDiscriminator(3, config);
            Shape in = new Shape(2, 3, 64, 64);
            dis.initialize(manager, DataType.FLOAT32, in);
            BlockChecks.assertEveryParameterGetsGradient(dis, manager, new NDList(manager.randomUniform(-1, 1, in)));
        }
    }

    @Test
    void savedParametersReloadExactly() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            DiscriminatorConfig config = new DiscriminatorConfig(4, 3, 2);
            Shape in = new Shape(2, 1, 32, 32);
            MultiScaleDiscriminator dis = new MultiScaleDiscriminator(1, config);
            dis.initialize(manager, DataType.FLOAT32, in);
            BlockChecks.assertSaveLoadIdentical(dis, () -> new MultiScaleDiscriminator(1, config), manager,
                    new NDList(manager.randomUniform(-1, 1, in)), in);
        }
    }
}
