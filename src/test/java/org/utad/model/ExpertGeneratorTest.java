package org.utad.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.utad.TestModels;
import org.utad.config.ExpertNetConfig;

/** The Expert-Net generator and its three parts: shapes, detail-code injection, gradients, save/load. */
class ExpertGeneratorTest {
    private static final ExpertNetConfig SMALL = TestModels.config("expert_net.dim=8",
            "expert_net.n_downsample=2", "expert_net.n_res=2", "expert_net.detail_dim=8", "expert_net.mlp_dim=16",
            "expert_net.mlp_layers=3").expertNet();

    @BeforeAll
    static void start() {
        BlockChecks.startEngine(17);
    }

    private static ExpertNetConfig narrow(int downsamplings, int residualBlocks) {
        return TestModels.config("expert_net.dim=4", "expert_net.detail_dim=4", "expert_net.mlp_dim=8",
                "expert_net.mlp_layers=2", "expert_net.n_downsample=" + downsamplings,
                "expert_net.n_res=" + residualBlocks).expertNet();
    }

    private static ExpertGenerator generator(int channels) {
        return ExpertGenerator.builder().setChannels(channels).setConfig(SMALL).optImageSize(64).build();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void partsAndWholeHaveTheDocumentedShapes(int channels) {
        try (NDManager manager = NDManager.newBaseManager()) {
            ExpertGenerator gen = generator(channels);
            Shape in = new Shape(2, channels, 64, 64);
            gen.initialize(manager, DataType.FLOAT32, in);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = manager.randomUniform(-1, 1, in);

            NDArray content = gen.getContentEncoder().forward(store, new NDList(x), false).singletonOrThrow();
            assertEquals(new Shape(2, 32, 16, 16), content.getShape());
            NDArray code = gen.getDetailEncoder().forward(store, new NDList(x), false).singletonOrThrow();
            assertEquals(new Shape(2, 8), code.getShape());
            NDArray image = gen.getDecoder().forward(store, new NDList(content, code), false).singletonOrThrow();
            assertEquals(in, image.getShape());
            assertTrue(image.abs().max().getFloat() <= 1, "tanh output must lie in [-1, 1]");

            NDArray whole = gen.forward(store, new NDList(x), false).singletonOrThrow();
            assertArrayEquals(image.toFloatArray(), whole.toFloatArray(), 0f, "forward must be decoder(content, detail)");
            assertArrayEquals(new Shape[] {in}, gen.getOutputShapes(new Shape[] {in}));
            assertEquals(2 * 4 * 32, gen.getDecoder().getAdaInParamCount());
            assertEquals(4, gen.getDetailEncoder().getDownsamplings());
        }
    }

    @Test
    void decoderTreatsEverySampleOfATrainingBatchOnItsOwn() {
        // Stage 2 decodes several content and code pairs in one batch (train.Stacked); that
        // gives each pair's own decode only while no layer mixes the samples of a batch.
        try (NDManager manager = NDManager.newBaseManager()) {
            ExpertGenerator gen = generator(1);
            Shape in = new Shape(2, 1, 64, 64);
            gen.initialize(manager, DataType.FLOAT32, in);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray content = manager.randomNormal(new Shape(6, 32, 16, 16));
            NDArray code = manager.randomNormal(new Shape(6, 8));
            float[] together = gen.getDecoder().forward(store, new NDList(content, code), true).singletonOrThrow()
                    .toFloatArray();
            NDList contents = content.split(3, 0);
            NDList codes = code.split(3, 0);
            int part = together.length / 3;
            for (int i = 0; i < 3; i++) {
                float[] alone = gen.getDecoder().forward(store, new NDList(contents.get(i), codes.get(i)), true)
                        .singletonOrThrow().toFloatArray();
                assertArrayEquals(alone, Arrays.copyOfRange(together, i * part, (i + 1) * part), 1e-5f,
                        "pair " + i + " decoded in a batch of three");
            }
        }
    }

    @Test
    void worksWithoutResidualBlocksOrDownsampling() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (ExpertNetConfig config : new ExpertNetConfig[] {narrow(1, 0), narrow(0, 1)}) {
                ExpertGenerator gen = ExpertGenerator.builder().setChannels(1).setConfig(config).optImageSize(16).build();
                Shape in = new Shape(1, 1, 16, 16);
                gen.initialize(manager, DataType.FLOAT32, in);
                NDArray y = gen.forward(new ParameterStore(manager, false), new NDList(manager.randomUniform(-1, 1, in)),
                        false).singletonOrThrow();
                assertEquals(in, y.getShape());
            }
        }
    }

    @Test
    void theDetailCodeChangesTheDecodedImage() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ExpertGenerator gen = generator(1);
            Shape in = new Shape(1, 1, 32, 32);
            gen.initialize(manager, DataType.FLOAT32, in);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray content = gen.getContentEncoder().forward(store, new NDList(manager.randomUniform(-1, 1, in)),
                    false).singletonOrThrow();
            NDArray a = gen.getDecoder().forward(store, new NDList(content, manager.randomNormal(new Shape(1, 8))),
                    false).singletonOrThrow();
            NDArray b = gen.getDecoder().forward(store, new NDList(content, manager.randomNormal(new Shape(1, 8))),
                    false).singletonOrThrow();
            assertFalse(Arrays.equals(a.toFloatArray(), b.toFloatArray()));
        }
    }

    @Test
    void detailEncoderAdaptsToSmallImages() {
        assertEquals(4, ExpertGenerator.detailDownsamplings(0));
        assertEquals(4, ExpertGenerator.detailDownsamplings(256));
        assertEquals(4, ExpertGenerator.detailDownsamplings(64));
        assertEquals(3, ExpertGenerator.detailDownsamplings(32));
        assertEquals(2, ExpertGenerator.detailDownsamplings(16));
        assertEquals(0, ExpertGenerator.detailDownsamplings(4));
        assertThrows(IllegalArgumentException.class, () -> ExpertGenerator.builder().setChannels(1).build());
        try (NDManager manager = NDManager.newBaseManager()) {
            ExpertGenerator gen = generator(1);
            assertThrows(IllegalArgumentException.class,
                    () -> gen.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 30, 32)));
        }
    }

    @Test
    void everyTrainableParameterGetsAGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ExpertGenerator gen = generator(3);
            Shape in = new Shape(2, 3, 64, 64);
            gen.initialize(manager, DataType.FLOAT32, in);
            BlockChecks.assertEveryParameterGetsGradient(gen, manager, new NDList(manager.randomUniform(-1, 1, in)));
        }
    }

    @Test
    void savedParametersReloadExactly() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape in = new Shape(2, 1, 64, 64);
            ExpertGenerator gen = generator(1);
            gen.initialize(manager, DataType.FLOAT32, in);
            BlockChecks.assertSaveLoadIdentical(gen, () -> generator(1), manager,
                    new NDList(manager.randomUniform(-1, 1, in)), in);
        }
    }
}
