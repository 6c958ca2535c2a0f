package org.utad.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.utad.core.Calibration;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;

/** The expert variance image that detection shows among its intermediates. */
class HeatmapImagesTest {
    private static FloatImage variance(long seed, String name, Calibration cal) {
        Random r = new Random(seed);
        float[] v = new float[12 * 7];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() * 0.01f;
        }
        return new FloatImage(12, 7, 1, v, 32, name, cal);
    }

    @Test
    void theVarianceIsShownAsAGreyStackFromZeroToItsLargestValue() {
        Calibration cal = new Calibration(0.65, 0.65, "micron");
        FloatImage a = variance(1, "slice a", cal);
        FloatImage b = variance(2, "slice b", cal);
        b.set(5, 3, 0, 0.04f);
        ImagePlus imp = HeatmapImages.variance(List.of(a, b), "probe_variance");
        assertEquals("probe_variance", imp.getTitle());
        assertEquals(2, imp.getStackSize());
        assertEquals(32, imp.getBitDepth());
        assertEquals(12, imp.getWidth());
        assertEquals("slice b", imp.getStack().getSliceLabel(2));
        assertArrayEquals(b.data(), (float[]) imp.getStack().getPixels(2));
        assertEquals(0, imp.getDisplayRangeMin(), 0);
        assertEquals(0.04, imp.getDisplayRangeMax(), 1e-7, "the top of the display is the largest variance");
        assertEquals(0.65, imp.getCalibration().pixelWidth, 1e-12);
        assertTrue(((String) imp.getProperty("Info")).contains("Variance of the expert reconstructions"));
        b.set(5, 3, 0, 0f);
        assertEquals(0.04f, ((float[]) imp.getStack().getPixels(2))[3 * 12 + 5], "the image holds a copy");
    }

    @Test
    void variancesOfAnotherShapeAreRefused() {
        FloatImage grey = variance(3, "grey", null);
        FloatImage colour = FloatImage.of(12, 7, 3, new float[12 * 7 * 3]);
        assertThrows(InvalidInputException.class, () -> HeatmapImages.variance(List.of(grey, colour), "bad"));
        assertThrows(InvalidInputException.class, () -> HeatmapImages.variance(List.of(), "none"));
    }
}
