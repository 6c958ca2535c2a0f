package org.utad.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.utad.core.FloatImage;

/** Grey and RGB convert into each other by the documented rules, keeping size and bit depth. */
class ColorConversionTest {

    private static FloatImage random(int channels, long seed) {
        Random r = new Random(seed);
        float[] d = new float[channels * 6 * 4];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextInt(256);
        }
        return new FloatImage(6, 4, channels, d, 8, "img", null);
    }

    @Test
    void rgbBecomesTheMeanOfItsChannelsAndGreyIsCopiedThreeTimes() {
        FloatImage rgb = random(3, 1);
        FloatImage grey = ColorConversion.convert(rgb, 1);
        assertEquals(1, grey.channels());
        assertEquals(8, grey.bitDepth());
        int plane = rgb.planeSize();
        for (int i = 0; i < plane; i++) {
            float mean = (rgb.data()[i] + rgb.data()[plane + i] + rgb.data()[2 * plane + i]) / 3f;
            assertEquals(mean, grey.data()[i], 1e-4f, "pixel " + i);
        }
        FloatImage back = ColorConversion.convert(grey, 3);
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(grey.data(), java.util.Arrays.copyOfRange(back.data(), k * plane, (k + 1) * plane));
        }
        assertSame(grey, ColorConversion.convert(grey, 1), "no copy when the channels already match");
        assertThrows(IllegalArgumentException.class, () -> ColorConversion.convert(random(2, 3), 1));
        assertThrows(IllegalArgumentException.class, () -> ColorConversion.convert(grey, 4));
    }
}
