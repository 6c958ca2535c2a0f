package org.utad.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.utad.config.IeNetConfig;
import org.utad.engine.ChannelsLast;
import org.utad.engine.Engines;

/**
 * The IE-Net: shapes, value range, gradient coverage, exact save/load, and the training forms (merged
 * convolutions, the channels-last layout) against the plain ones.
 */
class IeNetTest {
    private static final IeNetConfig TINY = new IeNetConfig(8);

    @BeforeAll
    static void start() {
        BlockChecks.startEngine(11);
    }

    @Test
    void inceptionBlockConcatenatesFourBranches() {
        try (NDManager manager = NDManager.newBaseManager()) {
            InceptionBlock block = new InceptionBlock(3);
            Shape in = new Shape(2, 5, 8, 8);
            block.initialize(manager, DataType.FLOAT32, in);
            NDArray y = block.forward(new ParameterStore(manager, false), new NDList(manager.randomUniform(0, 1, in)),
                    true).singletonOrThrow();
            assertEquals(new Shape(2, 12, 8, 8), y.getShape());
            assertArrayEquals(new Shape[] {y.getShape()}, block.getOutputShapes(new Shape[] {in}));
        }
    }

    @Test
    void poolingBranchIgnoresItsPadding() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // Zero padding would turn the border of an all-negative map into 0; PyTorch pads max-pooling with -inf.
            NDArray x = manager.create(new float[] {-4, -3, -2, -1}, new Shape(1, 1, 2, 2));
            NDArray y = ShapedLambda.maxPool(3, 1, 1).forward(new ParameterStore(manager, false), new NDList(x), false)
                    .singletonOrThrow();
            assertArrayEquals(new float[] {-1, -1, -1, -1}, y.toFloatArray());
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 64", "3, 64", "1, 128", "3, 128"})
    void outputHasTheInputShapeAndRange(int channels, int size) {
        try (NDManager manager = NDManager.newBaseManager()) {
            IeNet net = new IeNet(channels, TINY);
            Shape in = new Shape(2, channels, size, size);
            net.initialize(manager, DataType.FLOAT32, in);
            NDArray x = manager.randomUniform(0, 1, in);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray y = net.forward(store, new NDList(x), false).singletonOrThrow();
            assertEquals(in, y.getShape());
            assertArrayEquals(new Shape[] {in}, net.getOutputShapes(new Shape[] {in}));
            assertTrue(y.min().getFloat() >= 0 && y.max().getFloat() <= 1, "sigmoid output must lie in [0, 1]");
            NDArray latent = net.getEncoder().forward(store, new NDList(x), false).singletonOrThrow();
            assertEquals(new Shape(2, 32, size / 32, size / 32), latent.getShape());
        }
    }

    @Test
    void rejectsSizesThatAreNotMultiplesOf32() {
        try (NDManager manager = NDManager.newBaseManager()) {
            IeNet net = new IeNet(1, TINY);
            assertThrows(IllegalArgumentException.class,
                    () -> net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 48, 64)));
            assertThrows(IllegalArgumentException.class, () -> new IeNet(2, TINY));
        }
    }

    @Test
    void everyTrainableParameterGetsAGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            IeNet net = new IeNet(1, TINY);
            Shape in = new Shape(2, 1, 64, 64);
            net.initialize(manager, DataType.FLOAT32, in);
            BlockChecks.assertEveryParameterGetsGradient(net, manager, new NDList(manager.randomUniform(0, 1, in)));
        }
    }

    @Test
    void decoderTailOnTheSmallMapGivesTheTextbookValuesAndGradients() {
        try (NDManager manager = NDManager.newBaseManager()) {
            IeNet net = new IeNet(1, TINY);
            Shape in = new Shape(2, 1, 64, 64);
            net.initialize(manager, DataType.FLOAT32, in);
            NDList x = new NDList(manager.randomUniform(0, 1, in));
            NDArray weights = manager.randomNormal(in);
            ParameterStore store = new ParameterStore(manager, false);
            float[][] textbook = outputAndGradients(net, weights,
                    () -> net.getDecoder().forward(store, net.getEncoder().forward(store, x, true), true));
            float[][] ours = outputAndGradients(net, weights, () -> net.forward(store, x, true));
            // Sums over four times fewer pixels in another order: float rounding. Measured: at most 1.1e-5 of an
            // array's largest value, except 2.3e-4 on the 2-element gradient of the first BatchNorm's scale,
            // a sum over every pixel of the batch whose terms cancel.
            assertCloseToTheLargestValue(textbook, ours, 1e-3f);
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 8", "3, 8", "1, 64"})
    void trainsChannelsLastOnTheCpuWithTheNchwValuesAndGradients(int channels, int filters) {
        try (NDManager manager = NDManager.newBaseManager()) {
            // 8 filters: the first block's branches of 2 channels run as one convolution of a grey image;
            // 64: branches of 16 channels run as they are, and the block converts their joined outputs.
            IeNet net = new IeNet(channels, new IeNetConfig(filters));
            Shape in = new Shape(2, channels, 64, 64);
            net.initialize(manager, DataType.FLOAT32, in);
            NDList x = new NDList(manager.randomUniform(0, 1, in));
            NDArray weights = manager.randomNormal(in);
            ParameterStore store = new ParameterStore(manager, false);
            float[][] nchw;
            try (ChannelsLast.Suspension suspension = ChannelsLast.suspend()) {
                nchw = outputAndGradients(net, weights, () -> net.forward(store, x, true));
            }
            float[][] channelsLast = outputAndGradients(net, weights, () -> net.forward(store, x, true));
            // The same sums in another order (convolutions; BatchNorm's statistics and backward pass, which
            // libtorch sums in float for channels-last maps and in double for NCHW ones; the up-sampling's
            // backward pass): rounding. A map read in the wrong layout or a pooling that picks other
            // positions moves values by their own size. Measured in this class's run: at most 1.0e-3 of an
            // array's largest value (grey, 16 channels per branch), 1.3e-4 (RGB) and 1.1e-4 (grey, 2). Array 1
            // is the first parameter's gradient, the grey first block's 1x1 weights (see the assertion):
            // 9.4e-5 of the largest gradient.
            assertEquals("01encoder_01InceptionBlock_01conv1x1_01Conv2d_weight", net.getParameters().get(0).getKey());
            assertCloseToTheLargestValue(nchw, channelsLast, 5e-3f, channels == 1 ? 1 : -1);
        }
    }

    @Test
    void onlyTrainingPassesOnTheCpuLayTheirMapsOutChannelsLast() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterStore store = new ParameterStore(manager, false);
            // A grey image: the first block converts it with its pooled copy (branches of 8 channels) or its
            // branches' joined outputs (16).
            InceptionBlock first = new InceptionBlock(8);
            InceptionBlock wide = new InceptionBlock(16);
            Shape grey = new Shape(2, 1, 16, 16);
            first.initialize(manager, DataType.FLOAT32, grey);
            wide.initialize(manager, DataType.FLOAT32, grey);
            NDList image = new NDList(manager.randomUniform(0, 1, grey));
            // An RGB image: the IE-Net converts it, and every layer keeps the layout to the output.
            IeNet net = new IeNet(3, TINY);
            Shape rgb = new Shape(2, 3, 64, 64);
            net.initialize(manager, DataType.FLOAT32, rgb);
            NDList images = new NDList(manager.randomUniform(0, 1, rgb));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                assertTrue(ChannelsLast.holds(first.forward(store, image, true).singletonOrThrow()));
                assertTrue(ChannelsLast.holds(wide.forward(store, image, true).singletonOrThrow()));
                assertTrue(ChannelsLast.holds(net.forward(store, images, true).singletonOrThrow()));
                try (ChannelsLast.Suspension suspension = ChannelsLast.suspend()) {
                    assertFalse(ChannelsLast.holds(first.forward(store, image, true).singletonOrThrow()));
                    assertFalse(ChannelsLast.holds(wide.forward(store, image, true).singletonOrThrow()));
                    assertFalse(ChannelsLast.holds(net.forward(store, images, true).singletonOrThrow()));
                }
            }
            Engines.noGradientsOnThisThread();
            assertFalse(ChannelsLast.holds(first.forward(store, image, false).singletonOrThrow()),
                    "detection and validation keep the NCHW forms");
            assertFalse(ChannelsLast.holds(net.forward(store, images, false).singletonOrThrow()));
        }
    }

    @Test
    void mergedBranchConvolutionsGiveTheBranchByBranchValuesAndGradients() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // 8 channels per branch: while training on the CPU the 3x3 and 5x5 branches run as one convolution.
            InceptionBlock block = new InceptionBlock(8);
            Shape in = new Shape(2, 3, 12, 12);
            block.initialize(manager, DataType.FLOAT32, in);
            NDList x = new NDList(manager.randomUniform(0, 1, in));
            NDArray weights = manager.randomNormal(new Shape(2, 32, 12, 12));
            ParameterStore store = new ParameterStore(manager, false);
            float[][] branchByBranch = outputAndGradients(block, weights, () -> {
                NDList outputs = new NDList();
                for (Pair<String, Block> branch : block.getChildren()) {
                    outputs.add(branch.getValue().forward(store, x, true).singletonOrThrow());
                }
                return new NDList(NDArrays.concat(outputs, 1));
            });
            float[][] merged = outputAndGradients(block, weights, () -> block.forward(store, x, true));
            // The 3x3 kernel inside a zero 5x5 one: the same products, summed in another order. The block's
            // one BatchNorm over the four branches' channels is the branches' four.
            assertCloseToTheLargestValue(branchByBranch, merged, 1e-4f);
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 8", "1, 4", "1, 2", "1, 16", "3, 8"})
    void greyImageBlocksFourBranchesInOneConvolutionGiveTheBranchByBranchValuesAndGradients(int channels,
                                                                                            int filters) {
        try (NDManager manager = NDManager.newBaseManager()) {
            InceptionBlock block = new InceptionBlock(filters);
            Shape in = new Shape(2, channels, 12, 12);
            block.initialize(manager, DataType.FLOAT32, in);
            NDArray image = manager.randomUniform(0, 1, in);
            NDList x = new NDList(image);
            NDArray weights = manager.randomNormal(new Shape(2, 4 * filters, 12, 12));
            ParameterStore store = new ParameterStore(manager, false);
            float[][] branchByBranch = outputAndGradients(block, image, weights, () -> {
                NDList outputs = new NDList();
                for (Pair<String, Block> branch : block.getChildren()) {
                    outputs.add(branch.getValue().forward(store, x, true).singletonOrThrow());
                }
                return new NDList(NDArrays.concat(outputs, 1));
            });
            // On a grey image, narrow branches run as one convolution of the image and its pooled copy (16
            // channels keep their own convolutions, RGB the merged 3x3 and 5x5 one): the same products, summed
            // in another order. The input's gradient is compared too.
            float[][] one = outputAndGradients(block, image, weights, () -> block.forward(store, x, true));
            assertCloseToTheLargestValue(branchByBranch, one, 1e-4f);
        }
    }

    @ParameterizedTest
    @CsvSource({"8", "16"})
    void joinedBatchNormUpdatesEachBranchsRunningAveragesAsItsOwnWould(int filters) {
        try (NDManager manager = NDManager.newBaseManager()) {
            // 8 channels per branch merge the 3x3 and 5x5 convolutions while training, 16 do not.
            InceptionBlock block = new InceptionBlock(filters);
            Shape in = new Shape(3, 4, 10, 10);
            block.initialize(manager, DataType.FLOAT32, in);
            NDList x = new NDList(manager.randomUniform(0, 1, in));
            ParameterStore store = new ParameterStore(manager, false);
            List<NDArray> averages = new ArrayList<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getKey().endsWith("runningMean") || p.getKey().endsWith("runningVar")) {
                    averages.add(p.getValue().getArray());
                }
            }
            assertEquals(8, averages.size(), "a running mean and variance per branch");
            float[][] before = values(averages);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                for (Pair<String, Block> branch : block.getChildren()) {
                    branch.getValue().forward(store, x, true);
                }
            }
            float[][] branchByBranch = values(averages);
            for (int i = 0; i < averages.size(); i++) {
                averages.get(i).set(new NDIndex("..."), manager.create(before[i]));
            }
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                block.forward(store, x, true);
            }
            float[][] joined = values(averages);
            for (int i = 0; i < averages.size(); i++) {
                float change = 0;
                for (int j = 0; j < before[i].length; j++) {
                    change = Math.max(change, Math.abs(branchByBranch[i][j] - before[i][j]));
                }
                assertTrue(change > 1e-3f, "a training pass moves running average " + i);
            }
            assertCloseToTheLargestValue(branchByBranch, joined, 1e-5f);
            // Inference normalises with those averages, as each branch's own BatchNorm does.
            NDList outputs = new NDList();
            for (Pair<String, Block> branch : block.getChildren()) {
                outputs.add(branch.getValue().forward(store, x, false).singletonOrThrow());
            }
            assertCloseToTheLargestValue(new float[][] {NDArrays.concat(outputs, 1).toFloatArray()},
                    new float[][] {block.forward(store, x, false).singletonOrThrow().toFloatArray()}, 1e-5f);
        }
    }

    private static float[][] values(List<NDArray> arrays) {
        float[][] v = new float[arrays.size()][];
        for (int i = 0; i < v.length; i++) {
            v[i] = arrays.get(i).toFloatArray();
        }
        return v;
    }

    @ParameterizedTest
    @CsvSource({"8, 6, 7", "16, 5, 4", "3, 1, 1"})
    void poolOnTheSmallMapGivesTheUpsampledBlocksValuesAndGradients(int filters, int h, int w) {
        try (NDManager manager = NDManager.newBaseManager()) {
            // 8 filters merge the 3x3 and 5x5 branches while training, 16 do not; a 1 x 1 map is all border.
            InceptionBlock block = new InceptionBlock(filters);
            Shape small = new Shape(2, 5, h, w);
            block.initialize(manager, DataType.FLOAT32, new Shape(2, 5, 2L * h, 2L * w));
            NDArray x = manager.randomNormal(small);
            // Ties between the copies of a pixel are what the small map's pool relies on; ties between different
            // pixels are not, so the values are distinct.
            NDArray weights = manager.randomNormal(new Shape(2, 4L * filters, 2L * h, 2L * w));
            ParameterStore store = new ParameterStore(manager, false);
            float[][] upsampled = outputAndGradients(block, x, weights,
                    () -> block.forward(store, new NDList(NearestUpsample.upsample(x, 2)), true));
            float[][] ours = outputAndGradients(block, x, weights, () -> block.forwardUpsampled(store, x, true, null));
            // The same products and maxima, summed in another order.
            assertCloseToTheLargestValue(upsampled, ours, 1e-4f);
            float[] inference = block.forward(store, new NDList(NearestUpsample.upsample(x, 2)), false)
                    .singletonOrThrow().toFloatArray();
            float[] oursInference = block.forwardUpsampled(store, x, false, null).singletonOrThrow().toFloatArray();
            assertCloseToTheLargestValue(new float[][] {inference}, new float[][] {oursInference}, 1e-5f);
        }
    }

    /** Asserts that each array of ours equals the reference's to {@code tolerance} times the reference's largest value. */
    private static void assertCloseToTheLargestValue(float[][] reference, float[][] ours, float tolerance) {
        assertEquals(reference.length, ours.length);
        for (int i = 0; i < ours.length; i++) {
            float scale = 0;
            for (float v : reference[i]) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertTrue(scale > 0, "array " + i + " is all zeros");
            for (int j = 0; j < ours[i].length; j++) {
                assertEquals(reference[i][j], ours[i][j], tolerance * scale, "array " + i + " (0 = output), element " + j);
            }
        }
    }

    /**
     * As {@link #assertCloseToTheLargestValue(float[][], float[][], float)}, except that array {@code
     * cancelling} (none if negative) is held to {@code tolerance} times the largest gradient of all: the
     * gradient of a grey image's first 1x1 convolution. BatchNorm removes that convolution's scale but for
     * what its epsilon keeps, so its gradient is the remainder of sums that nearly cancel, and the order of
     * summation moves it by more than its own size allows.
     */
    private static void assertCloseToTheLargestValue(float[][] reference, float[][] ours, float tolerance,
            int cancelling) {
        assertEquals(reference.length, ours.length);
        float largest = 0;
        for (int i = 1; i < reference.length; i++) {
            for (float v : reference[i]) {
                largest = Math.max(largest, Math.abs(v));
            }
        }
        for (int i = 0; i < ours.length; i++) {
            if (i != cancelling) {
                assertCloseToTheLargestValue(new float[][] {reference[i]}, new float[][] {ours[i]}, tolerance);
            } else {
                for (int j = 0; j < ours[i].length; j++) {
                    assertEquals(reference[i][j], ours[i][j], tolerance * largest, "array " + i + ", element " + j);
                }
            }
        }
    }

    /** Runs one training pass, back-propagates a fixed weighting of the output, returns output and gradients. */
    private static float[][] outputAndGradients(Block net, NDArray weights, Supplier<NDList> forward) {
        return outputAndGradients(net, null, weights, forward);
    }

    /**
     * As {@link #outputAndGradients(Block, NDArray, Supplier)}, with the gradient of the input {@code x} (when
     * not null) after the parameters'.
     */
    private static float[][] outputAndGradients(Block net, NDArray x, NDArray weights, Supplier<NDList> forward) {
        if (x != null && x.hasGradient()) {
            x.getGradient().set(new NDIndex("..."), 0f);
        } else if (x != null) {
            x.setRequiresGradient(true);
        }
        List<float[]> result = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            if (p.getValue().requiresGradient()) {
                // Gradients add up across passes: clear what the other form left, in place.
                p.getValue().getArray().getGradient().set(new NDIndex("..."), 0f);
            }
        }
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray y = forward.get().singletonOrThrow();
            result.add(y.toFloatArray());
            collector.backward(y.mul(weights).sum());
        }
        for (Pair<String, Parameter> p : net.getParameters()) {
            if (p.getValue().requiresGradient()) {
                result.add(p.getValue().getArray().getGradient().toFloatArray());
            }
        }
        if (x != null) {
            result.add(x.getGradient().toFloatArray());
        }
        return result.toArray(new float[0][]);
    }

    @Test
    void savedParametersReloadExactly() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape in = new Shape(2, 3, 64, 64);
            IeNet net = new IeNet(3, TINY);
            net.initialize(manager, DataType.FLOAT32, in);
            NDList x = new NDList(manager.randomUniform(0, 1, in));
            // One training-mode pass moves the BatchNorm running statistics away from their defaults.
            net.forward(new ParameterStore(manager, false), x, true);
            BlockChecks.assertSaveLoadIdentical(net, () -> new IeNet(3, TINY), manager, x, in);
        }
    }
}
