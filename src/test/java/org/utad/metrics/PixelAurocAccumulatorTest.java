package org.utad.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.utad.core.InvalidInputException;

/** Streaming pixel AUROC equals the single-array ROC on the same pixels. */
class PixelAurocAccumulatorTest {

    @Test
    void equalsSingleArrayRocOnRandomDataSplitAcrossImages() {
        Random random = new Random(12345);
        PixelAurocAccumulator acc = new PixelAurocAccumulator();
        float[] all = new float[0];
        boolean[] allLabels = new boolean[0];
        for (int image = 0; image < 12; image++) {
            int n = 50 + random.nextInt(2000);
            float[] map = new float[n];
            boolean[] mask = image % 3 == 0 ? null : new boolean[n];
            for (int i = 0; i < n; i++) {
                boolean anomalous = mask != null && random.nextFloat() < 0.2f;
                if (mask != null) {
                    mask[i] = anomalous;
                }
                // Coarse values so that many ties cross classes and images.
                map[i] = Math.round((random.nextFloat() + (anomalous ? 0.3f : 0f)) * 50) / 50f;
            }
            acc.add(map, mask);
            int at = all.length;
            all = Arrays.copyOf(all, at + n);
            allLabels = Arrays.copyOf(allLabels, at + n);
            System.arraycopy(map, 0, all, at, n);
            if (mask != null) {
                System.arraycopy(mask, 0, allLabels, at, n);
            }
        }
        double expected = Roc.auroc(all, allLabels);
        assertEquals(expected, acc.auroc(), 0.0);
        assertTrue(expected > 0.6 && expected < 0.9, "sanity: " + expected);
        assertEquals(12, acc.images());
        assertEquals(all.length, acc.normalPixels() + acc.anomalousPixels());

        // More images after a result still count.
        acc.add(new float[] {100f, -100f}, new boolean[] {true, false});
        float[] more = Arrays.copyOf(all, all.length + 2);
        boolean[] moreLabels = Arrays.copyOf(allLabels, all.length + 2);
        more[all.length] = 100f;
        moreLabels[all.length] = true;
        more[all.length + 1] = -100f;
        assertEquals(Roc.auroc(more, moreLabels), acc.auroc(), 0.0);
    }

    @Test
    void smallCaseByHand() {
        PixelAurocAccumulator acc = new PixelAurocAccumulator();
        acc.add(new float[] {0.1f, 0.4f}, new boolean[] {false, true});
        acc.add(new float[] {0.4f, 0.8f}, new boolean[] {false, true});
        assertEquals(0.875, acc.auroc());
    }

    @Test
    void rejectsBadImagesWithoutChangingTheState() {
        PixelAurocAccumulator acc = new PixelAurocAccumulator();
        acc.add(new float[] {0.2f, 0.9f}, new boolean[] {false, true});
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> acc.add(new float[] {0.5f, Float.NaN}, null));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> acc.add(new float[] {0.5f}, new boolean[2]));
        assertThrows(InvalidInputException.class, () -> acc.add(null, null));
        assertEquals(1, acc.images());
        assertEquals(2, acc.normalPixels() + acc.anomalousPixels());
        assertEquals(1.0, acc.auroc());
    }

    @Test
    void onlyNormalPixelsIsAClearError() {
        PixelAurocAccumulator acc = new PixelAurocAccumulator();
        acc.add(new float[] {0.2f, 0.9f}, null);
        InvalidInputException e = assertThrows(InvalidInputException.class, acc::auroc);
        assertTrue(e.getMessage().contains("needs both normal and anomalous pixels"), e.getMessage());
    }
}
