package org.utad.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A dataset-sized evaluation, 100 million pixels, fits the test JVM's 4 GB heap. Slow (tens of
 * seconds on two cores), so it runs only with -Pslow.
 */
@Tag("slow")
class LargeEvaluationTest {

    @Test
    void hundredMillionPixelsFitFourGigabytes() {
        int w = 1000;
        int h = 1000;
        int images = 100;
        SplittableRandom random = new SplittableRandom(1);
        MetricsAccumulator acc = new MetricsAccumulator(0.5f, 0.3);
        float[] map = new float[w * h];
        for (int image = 0; image < images; image++) {
            boolean anomalous = image % 2 == 1;
            boolean[] mask = anomalous ? new boolean[w * h] : null;
            if (anomalous) {
                int x0 = random.nextInt(w - 200);
                int y0 = random.nextInt(h - 200);
                for (int y = y0; y < y0 + 120; y++) {
                    for (int x = x0; x < x0 + 150; x++) {
                        mask[y * w + x] = true;
                    }
                }
            }
            for (int i = 0; i < map.length; i++) {
                map[i] = (float) random.nextDouble() + (mask != null && mask[i] ? 0.5f : 0f);
            }
            acc.add("blob", (float) random.nextDouble() + (anomalous ? 0.5f : 0f), map, mask, w, h, anomalous);
        }
        EvaluationReport r = acc.evaluate().overall();
        assertEquals((long) w * h * images, r.normalPixels() + r.anomalousPixels());
        // Uniform scores shifted by 0.5 on defects: AUROC = 1 - 0.5^2 / 2 = 0.875.
        assertEquals(0.875, r.pixelAuroc(), 0.002);
        assertTrue(r.aupro() > 0.5, "aupro " + r.aupro());
    }
}
