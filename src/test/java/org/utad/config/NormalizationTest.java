package org.utad.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;

/** 8-bit data uses its full range; 16-bit data robust percentiles; bad sets are refused clearly. */
class NormalizationTest {

    private static FloatImage image(int depth, float base, float spread, long seed) {
        Random r = new Random(seed);
        float[] d = new float[32 * 32];
        for (int i = 0; i < d.length; i++) {
            d[i] = base + spread * r.nextFloat();
        }
        return new FloatImage(32, 32, 1, d, depth, "img" + seed, null);
    }

    @Test
    void eightBitMapsFullRange() {
        Normalization n = Normalization.fit(List.of(image(8, 10, 100, 1)));
        assertEquals("fixed8", n.kind());
        float[] out = n.apply(FloatImage.of(2, 1, 1, new float[] {0, 255}));
        assertEquals(0f, out[0]);
        assertEquals(1f, out[1]);
    }

    @Test
    void sixteenBitUsesPercentilesAndClips() {
        FloatImage a = image(16, 1000, 2000, 2);
        a.data()[0] = 60000;
        Normalization n = Normalization.fit(List.of(a, image(16, 1000, 2000, 3)));
        assertEquals("percentile", n.kind());
        assertTrue(n.low() >= 1000 && n.low() < 1030, "low " + n.low());
        assertTrue(n.high() <= 3000 && n.high() > 2970, "high " + n.high());
        float[] out = n.apply(a);
        assertEquals(1f, out[0]);
    }

    @Test
    void mixedDepthsAndConstantImagesAreRefused() {
        InvalidInputException mixed = assertThrows(InvalidInputException.class,
                () -> Normalization.fit(List.of(image(8, 0, 10, 1), image(16, 0, 10, 2))));
        assertTrue(mixed.getMessage().contains("mix bit depths"));
        InvalidInputException constant = assertThrows(InvalidInputException.class,
                () -> Normalization.fit(List.of(image(16, 500, 0, 1))));
        assertTrue(constant.getMessage().contains("constant"));
    }
}
