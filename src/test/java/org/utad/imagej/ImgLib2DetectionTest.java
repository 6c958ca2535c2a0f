package org.utad.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.position.FunctionRandomAccessible;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.view.Views;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.utad.TestModels;
import org.utad.api.TrainParams;
import org.utad.api.Utad;
import org.utad.config.Mode;
import org.utad.core.Calibration;
import org.utad.core.CancellationToken;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;
import org.utad.core.PixelSource;
import org.utad.core.SourceView;
import org.utad.core.ProgressListener;
import org.utad.data.SyntheticImages;
import org.utad.engine.DeviceChoice;
import org.utad.engine.Engines;
import org.utad.infer.ColorConversion;
import org.utad.infer.DetectOptions;
import org.utad.infer.DetectionResult;
import org.utad.infer.Detector;

/**
 * Detection on a script's ImgLib2 image through {@link ImgLib2Adapter#source}: the same maps as on
 * the copied image, and only the tiles are read. The model is barely trained: both paths only have
 * to agree.
 */
class ImgLib2DetectionTest {
    private static final long SEED = 21;
    @TempDir
    static Path dir;
    private static Detector detector;

    @BeforeAll
    static void train() {
        Engines.offline();
        Path model = dir.resolve("quick.utad");
        Utad.train(new TrainParams(TestModels.normals(SEED, 4, 48, 48), TestModels.tiny(32, Mode.PATCH, 4, 4), model,
                false, DeviceChoice.CPU, false), ProgressListener.NONE, CancellationToken.none());
        detector = Utad.open(model, DeviceChoice.CPU);
    }

    @AfterAll
    static void close() {
        detector.close();
    }

    private static FloatImage image(int index, int w, int h, int c) {
        return TestModels.to8bit(new SyntheticImages(SEED).normal(index, w, h, c)).withName("img" + index);
    }

    /** An 8-bit ImgLib2 copy of an image: (x, y) for grey, (x, y, channel) for RGB. */
    private static RandomAccessibleInterval<UnsignedByteType> bytes(FloatImage f) {
        byte[] b = new byte[f.data().length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (int) f.data()[i];
        }
        return f.channels() == 1 ? ArrayImgs.unsignedBytes(b, f.width(), f.height())
                : ArrayImgs.unsignedBytes(b, f.width(), f.height(), f.channels());
    }

    private static void assertSame(DetectionResult expected, DetectionResult actual) {
        assertEquals(expected.score(), actual.score(), 0);
        assertEquals(expected.verdict(), actual.verdict());
        assertArrayEquals(expected.map().data(), actual.map().data());
        assertArrayEquals(expected.mask(), actual.mask());
        assertEquals(expected.regions(), actual.regions());
        for (FloatImage[] pair : new FloatImage[][] {{expected.impression(), actual.impression()},
                {expected.expert(), actual.expert()}, {expected.variance(), actual.variance()}}) {
            assertEquals(pair[0] == null, pair[1] == null);
            if (pair[0] != null) {
                assertArrayEquals(pair[0].data(), pair[1].data());
            }
        }
    }

    @Test
    void anImgLib2SourceGivesTheSameResultAsTheCopiedImage() {
        DetectOptions o = detector.defaultOptions().withIntermediates(true);
        FloatImage grey = image(50, 100, 70, 1);
        Calibration cal = new Calibration(0.5, 0.5, "micron");
        DetectionResult r = detector.detect(ImgLib2Adapter.source(bytes(grey), "script image", cal), o);
        assertSame(detector.detect(grey, o), r);
        assertEquals("script image", r.name());
        assertEquals(cal, r.map().calibration());
        assertEquals(100 * 70, r.variance().data().length);

        FloatImage rgb = image(51, 64, 40, 3);
        DetectOptions auto = o.withConversion(ColorConversion.AUTO);
        assertSame(detector.detect(rgb, auto), detector.detect(ImgLib2Adapter.source(bytes(rgb), "rgb"), auto));
        InvalidInputException refused = assertThrows(InvalidInputException.class,
                () -> detector.detect(ImgLib2Adapter.source(bytes(rgb), "rgb"), o));
        assertTrue(refused.getMessage().contains("conversion=auto"), refused.getMessage());

        FloatImage small = image(52, 20, 24, 1);
        assertSame(detector.detect(small, o), detector.detect(ImgLib2Adapter.source(bytes(small), "small"), o));
    }

    @Test
    void onlyTheTilesOfAVirtualImageAreRead() {
        AtomicLong pixels = new AtomicLong();
        var function = new FunctionRandomAccessible<UnsignedByteType>(2, (pos, t) -> {
            pixels.incrementAndGet();
            long x = pos.getLongPosition(0);
            long y = pos.getLongPosition(1);
            t.set((int) ((x * x + 3 * y * y + x * y) % 200 + 20));
        }, UnsignedByteType::new);
        Recording source = new Recording(ImgLib2Adapter.source(
                Views.interval(function, new long[] {0, 0}, new long[] {119, 79}), "virtual"));
        DetectionResult r = detector.detect(source.view, detector.defaultOptions());
        assertEquals(120 * 80, r.map().data().length);
        assertFalse(source.rectangles.isEmpty());
        long asked = 0;
        for (int[] rect : source.rectangles) {
            assertEquals(32, rect[2], "tiles of the model size, never the whole image");
            assertEquals(32, rect[3]);
            asked += (long) rect[2] * rect[3];
        }
        assertEquals(asked, pixels.get(), "the adapter reads exactly the pixels of the tiles");
        assertEquals(source.rectangles.size(), source.rectangles.stream().map(a -> a[0] + "," + a[1]).distinct()
                .count(), "each tile is read once");
    }

    @Test
    void aNonFinitePixelOfASourceIsNamedAsForAnImage() {
        FloatImage bad = image(53, 80, 64, 1).copy();
        bad.set(70, 40, 0, Float.NaN);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> detector.detect(new Recording(bad).view, detector.defaultOptions()));
        assertTrue(e.getMessage().contains("x=70, y=40"), e.getMessage());
        InvalidInputException whole = assertThrows(InvalidInputException.class, () -> detector.detect(bad));
        assertEquals(whole.getMessage(), e.getMessage());
    }

    /** A source that passes reads on and remembers each rectangle asked for. */
    private static final class Recording {
        private final List<int[]> rectangles = Collections.synchronizedList(new ArrayList<>());
        private final PixelSource view;

        Recording(PixelSource source) {
            view = SourceView.of(source, source.channels(), (x, y, w, h, into) -> {
                rectangles.add(new int[] {x, y, w, h});
                source.read(x, y, w, h, into);
            });
        }
    }
}
