package org.utad.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import net.imglib2.RandomAccess;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.position.FunctionRandomAccessible;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.junit.jupiter.api.Test;
import org.utad.core.Calibration;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;
import org.utad.core.PixelSource;

class ImgLib2AdapterTest {
    @Test
    void greyUnsignedShortImageRoundTripsWithXYOrderAndBitDepth() {
        Random r = new Random(7);
        var img = ArrayImgs.unsignedShorts(9, 4);
        RandomAccess<UnsignedShortType> ra = img.randomAccess();
        int[][] expected = new int[4][9];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 9; x++) {
                expected[y][x] = r.nextInt(65536);
                ra.setPositionAndGet(x, y).set(expected[y][x]);
            }
        }
        Calibration cal = new Calibration(0.5, 0.5, "micron");
        FloatImage f = ImgLib2Adapter.toFloatImage(img, "grey", cal);
        assertShape(f, 9, 4, 1, 16, cal);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 9; x++) {
                assertEquals(expected[y][x], f.get(x, y, 0));
            }
        }

        ArrayImg<FloatType, FloatArray> back = ImgLib2Adapter.toImg(f);
        assertEquals(2, back.numDimensions());
        assertEquals(9, back.dimension(0));
        assertEquals(4, back.dimension(1));
        assertEquals(expected[3][8], back.randomAccess().setPositionAndGet(8, 3).get());
        assertArrayEquals(f.data(), ImgLib2Adapter.toFloatImage(back, "again").data());
    }

    @Test
    void threeChannelImageMapsTheThirdAxisToChannels() {
        Random r = new Random(8);
        float[] data = new float[6 * 5 * 3];
        for (int i = 0; i < data.length; i++) {
            data[i] = r.nextFloat() * 100 - 50;
        }
        FloatImage f = new FloatImage(6, 5, 3, data.clone(), 32, "rgbish", null);
        ArrayImg<FloatType, FloatArray> img = ImgLib2Adapter.toImg(f);
        assertEquals(3, img.numDimensions());
        assertEquals(3, img.dimension(2));
        RandomAccess<FloatType> ra = img.randomAccess();
        assertEquals(f.get(4, 3, 2), ra.setPositionAndGet(4, 3, 2).get());
        assertEquals(f.get(1, 0, 1), ra.setPositionAndGet(1, 0, 1).get());

        ra.setPositionAndGet(0, 0, 0).set(999f);
        assertEquals(data[0], f.data()[0], "toImg must copy, not share, the samples");

        FloatImage back = ImgLib2Adapter.toFloatImage(img, "back");
        assertEquals(3, back.channels());
        assertEquals(32, back.bitDepth());
        assertEquals(999f, back.get(0, 0, 0));
        for (int i = 1; i < data.length; i++) {
            assertEquals(data[i], back.data()[i]);
        }
    }

    @Test
    void translatedIntervalIsReadFromItsOwnMinimum() {
        var img = ArrayImgs.unsignedBytes(new byte[] {1, 2, 3, 4, 5, 6}, 3, 2);
        FloatImage f = ImgLib2Adapter.toFloatImage(Views.translate(img, 10, -4), "moved");
        assertEquals(8, f.bitDepth());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, f.data());
    }

    @Test
    void otherShapesAreRejectedWithTheReason() {
        InvalidInputException four = assertThrows(InvalidInputException.class,
                () -> ImgLib2Adapter.toFloatImage(ArrayImgs.floats(4, 4, 4), "four"));
        assertTrue(four.getMessage().contains("4 channels"), four.getMessage());
        InvalidInputException oneD = assertThrows(InvalidInputException.class,
                () -> ImgLib2Adapter.toFloatImage(ArrayImgs.floats(4), "line"));
        assertTrue(oneD.getMessage().contains("1 dimensions"), oneD.getMessage());
        assertThrows(InvalidInputException.class, () -> ImgLib2Adapter.toFloatImage(null, "none"));
    }

    private static void assertShape(PixelSource s, int width, int height, int channels, int bitDepth,
                                    Calibration cal) {
        assertEquals(width, s.width());
        assertEquals(height, s.height());
        assertEquals(channels, s.channels());
        assertEquals(bitDepth, s.bitDepth());
        assertEquals(cal, s.calibration());
    }

    @Test
    void aSourceOfAHugeVirtualImageReadsOnlyTheRectangleAskedFor() {
        AtomicLong reads = new AtomicLong();
        var function = new FunctionRandomAccessible<UnsignedShortType>(2, (pos, t) -> {
            reads.incrementAndGet();
            t.set((int) ((pos.getLongPosition(0) * 7 + pos.getLongPosition(1) * 13) % 65536));
        }, UnsignedShortType::new);
        var huge = Views.interval(function, new long[] {0, 0}, new long[] {19_999, 19_999});
        Calibration cal = new Calibration(0.25, 0.25, "micron");
        PixelSource source = ImgLib2Adapter.source(huge, "virtual", cal);
        assertShape(source, 20_000, 20_000, 1, 16, cal);
        assertEquals(0, reads.get(), "making the source reads nothing");
        float[] tile = new float[64 * 48];
        source.read(19_000, 12_345, 64, 48, tile);
        assertEquals(64 * 48, reads.get(), "only the rectangle is read");
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                assertEquals(((19_000L + x) * 7 + (12_345L + y) * 13) % 65536, (long) tile[y * 64 + x]);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> source.read(19_990, 0, 64, 48, tile));
    }

    @Test
    void aSourceReadsTheSameSamplesAsTheCopyInPlanarOrder() {
        Random r = new Random(9);
        float[] data = new float[11 * 7 * 3];
        for (int i = 0; i < data.length; i++) {
            data[i] = r.nextFloat();
        }
        FloatImage f = new FloatImage(11, 7, 3, data, 32, "rgb", null);
        PixelSource source = ImgLib2Adapter.source(Views.translate(ImgLib2Adapter.toImg(f), 5, 3, 0), "rgb");
        float[] fromSource = new float[4 * 2 * 3];
        float[] fromImage = new float[4 * 2 * 3];
        source.read(6, 4, 4, 2, fromSource);
        f.read(6, 4, 4, 2, fromImage);
        assertArrayEquals(fromImage, fromSource);
        assertEquals(f, source.readAll());
        InvalidInputException four = assertThrows(InvalidInputException.class,
                () -> ImgLib2Adapter.source(ArrayImgs.floats(4, 4, 4), "four"));
        assertTrue(four.getMessage().contains("4 channels"), four.getMessage());
    }
}
