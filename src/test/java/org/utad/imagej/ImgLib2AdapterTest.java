package org.utad.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.imglib2.RandomAccess;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.junit.jupiter.api.Test;
import org.utad.core.Calibration;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;

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
        assertEquals(9, f.width());
        assertEquals(4, f.height());
        assertEquals(1, f.channels());
        assertEquals(16, f.bitDepth());
        assertEquals(cal, f.calibration());
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
}
