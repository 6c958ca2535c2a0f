package org.utad.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Max pooling as maxima of views: the hand-computed values, the engine's own pooling's values bit for
 * bit (ties, negative values, sizes that leave a remainder). While gradients are recorded: the gathered
 * pooling's values and gradients, and those of a channels-last input's pooling, are the engine's bit for
 * bit, each window's gradient goes to one position, and the form follows the gradient, the channels, the
 * layout and the arguments.
 */
class MaxPoolingTest {

    @BeforeAll
    static void start() {
        Engines.offline();
        Engines.engine();
    }

    @Test
    void poolsTheHandComputedWindowsAndThePaddingNeverWins() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engines.noGradientsOnThisThread();
            NDArray x = manager.arange(1f, 10f).reshape(1, 1, 3, 3);
            // 2 x 2 windows of stride 1 over the 3 x 3 plane padded by 1: 4 x 4 windows, each the largest
            // of its real pixels.
            assertArrayEquals(new float[] {1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9, 9, 7, 8, 9, 9},
                    MaxPooling.maxPool2d(x, 2, 1, 1).toFloatArray());
            // All negative: the padding must not win, so each window gives its least negative pixel.
            assertArrayEquals(new float[] {-1, -1, -2, -1, -1, -2, -4, -4, -5},
                    MaxPooling.maxPool2d(x.neg(), 3, 1, 1).toFloatArray());
            // Stride 2 over 3 pixels keeps one window per axis (floor mode).
            NDArray strided = MaxPooling.maxPool2d(x, 2, 2, 0);
            assertEquals(new Shape(1, 1, 1, 1), strided.getShape());
            assertEquals(5f, strided.getFloat(0, 0, 0, 0));
        }
    }

    @ParameterizedTest
    @CsvSource({"3, 1, 1, 7, 9", "2, 1, 1, 5, 6", "3, 1, 0, 6, 5", "2, 1, 1, 1, 1", "2, 2, 0, 7, 9", "4, 4, 0, 17, 16",
        "3, 3, 0, 8, 10"})
    void givesTheEnginesPoolingBitForBit(int kernel, int stride, int pad, int h, int w) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engines.noGradientsOnThisThread();
            Random random = new Random(31L * kernel + h);
            float[] data = new float[2 * 3 * h * w];
            for (int i = 0; i < data.length; i++) {
                // Quarter steps in [-3, 3]: many ties, and windows with negative values only.
                data[i] = (random.nextInt(25) - 12) / 4f;
            }
            NDArray x = manager.create(data, new Shape(2, 3, h, w));
            NDArray engine = Pool.maxPool2d(x, new Shape(kernel, kernel), new Shape(stride, stride),
                    new Shape(pad, pad), false);
            NDArray ours = MaxPooling.maxPool2d(x, kernel, stride, pad);
            assertEquals(engine.getShape(), ours.getShape());
            assertArrayEquals(engine.toFloatArray(), ours.toFloatArray());
        }
    }

    @ParameterizedTest
    @CsvSource({"1, ENGINE", "16, GATHERED"})
    void sendsEachWindowsGradientToOnePositionWhileRecordingGradients(int channels, MaxPooling.Form form) {
        try (NDManager manager = NDManager.newBaseManager()) {
            // Four equal values in each channel's one window: the engine's pooling sends the window's
            // gradient to one of them, where maxima would split it in quarters.
            NDArray x = manager.ones(new Shape(1, channels, 2, 2));
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                assertEquals(form, MaxPooling.form(x, 2, 2, 0));
                collector.backward(MaxPooling.maxPool2d(x, 2, 2, 0).sum());
            }
            float[] gradient = x.getGradient().toFloatArray();
            int ones = 0;
            float sum = 0;
            for (float g : gradient) {
                ones += g == 1f ? 1 : 0;
                sum += g;
            }
            assertEquals(channels, ones, "one position per window takes the window's whole gradient");
            assertEquals(channels, sum);
        }
    }

    @ParameterizedTest
    @CsvSource({"3, 1, 1, 7, 9, false", "2, 1, 1, 5, 6, false", "3, 1, 0, 6, 5, false", "2, 1, 1, 1, 1, false",
        "2, 2, 0, 7, 9, false", "4, 4, 0, 17, 16, false", "3, 3, 0, 8, 10, false", "2, 2, 1, 6, 7, false",
        "4, 1, 1, 6, 6, false", "3, 1, 1, 7, 9, true", "4, 4, 0, 17, 16, true", "2, 2, 0, 7, 9, true",
        "2, 1, 1, 5, 6, true"})
    void gathersTheEnginesValuesAndGradientsBitForBitWhileTraining(int kernel, int stride, int pad, int h, int w,
            boolean channelsLast) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Random random = new Random(17L * kernel + 5L * stride + h);
            int channels = MaxPooling.GATHER_CHANNELS + 3;
            float[] data = new float[2 * channels * h * w];
            for (int i = 0; i < data.length; i++) {
                // Quarter steps in [-3, 3]: many ties, and windows with negative values only.
                data[i] = (random.nextInt(25) - 12) / 4f;
            }
            NDArray engineInput = manager.create(data, new Shape(2, channels, h, w));
            NDArray oursInput = engineInput.duplicate();
            engineInput.setRequiresGradient(true);
            oursInput.setRequiresGradient(true);
            NDArray engine;
            NDArray ours;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                engine = Pool.maxPool2d(engineInput, new Shape(kernel, kernel), new Shape(stride, stride),
                        new Shape(pad, pad), false);
                // Distinct weights per output, so that a gradient sent to another tied position shows.
                NDArray weights = manager.arange((float) engine.size()).reshape(engine.getShape()).add(1);
                collector.backward(engine.mul(weights).sum());
            }
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                // A channels-last array (the IE-Net's maps while training) takes the engine's own pooling,
                // libtorch's vectorised channels-last kernel; an NCHW one the gathered form.
                NDArray in = channelsLast ? ChannelsLast.of(oursInput) : oursInput;
                assertEquals(channelsLast ? MaxPooling.Form.ENGINE : MaxPooling.Form.GATHERED,
                        MaxPooling.form(in, kernel, stride, pad));
                ours = MaxPooling.maxPool2d(in, kernel, stride, pad);
                assertEquals(channelsLast, ChannelsLast.holds(ours), "the pooled map keeps the input's layout");
                NDArray weights = manager.arange((float) ours.size()).reshape(ours.getShape()).add(1);
                collector.backward(ours.mul(weights).sum());
            }
            assertEquals(engine.getShape(), ours.getShape());
            assertArrayEquals(engine.toFloatArray(), ours.toFloatArray());
            assertArrayEquals(engineInput.getGradient().toFloatArray(), oursInput.getGradient().toFloatArray());
        }
    }

    @Test
    void choosesTheFormByGradientChannelsAndArguments() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray wide = manager.zeros(new Shape(2, MaxPooling.GATHER_CHANNELS, 8, 8));
            NDArray narrow = manager.zeros(new Shape(2, MaxPooling.GATHER_CHANNELS - 1, 8, 8));
            Engines.noGradientsOnThisThread();
            assertEquals(MaxPooling.Form.VIEWS, MaxPooling.form(wide, 3, 1, 1));
            assertEquals(MaxPooling.Form.VIEWS, MaxPooling.form(wide, 4, 4, 0));
            // Strided windows with padding have no view form.
            assertEquals(MaxPooling.Form.ENGINE, MaxPooling.form(wide, 2, 2, 1));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                // Nothing is recorded for a narrow input without a gradient, such as a batch's grey images,
                // so maxima of views do; a wide one is gathered without asking (the same values).
                assertEquals(MaxPooling.Form.VIEWS, MaxPooling.form(narrow, 3, 1, 1));
                assertEquals(MaxPooling.Form.GATHERED, MaxPooling.form(wide, 3, 1, 1));
                wide.setRequiresGradient(true);
                narrow.setRequiresGradient(true);
                assertEquals(MaxPooling.Form.GATHERED, MaxPooling.form(wide, 3, 1, 1));
                assertEquals(MaxPooling.Form.GATHERED, MaxPooling.form(wide, 2, 2, 1));
                assertEquals(MaxPooling.Form.ENGINE, MaxPooling.form(narrow, 3, 1, 1));
                // A layer's output records gradients too, though DJL says it has none.
                assertEquals(MaxPooling.Form.ENGINE, MaxPooling.form(narrow.mul(2), 3, 1, 1));
                NDArray computedFromImages = manager.zeros(new Shape(2, 1, 8, 8)).mul(2);
                assertEquals(MaxPooling.Form.VIEWS, MaxPooling.form(computedFromImages, 3, 1, 1));
                // No method for this window: the engine's pooling, which also says what it refuses.
                assertEquals(MaxPooling.Form.ENGINE, MaxPooling.form(wide, 5, 1, 2));
                assertEquals(MaxPooling.Form.ENGINE, MaxPooling.form(wide, 3, 2, 1));
                assertEquals(MaxPooling.Form.ENGINE, MaxPooling.form(wide, 2, 1, 2));
            }
        }
    }
}
