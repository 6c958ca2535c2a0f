package org.utad.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Synthetic defects stay inside their mask, keep values in range and vary in size and shape. */
class CorruptionsTest {
    private static float[] texture(int size, long seed) {
        Random r = new Random(seed);
        float[] s = new float[size * size];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (0.5 + 0.1 * Math.sin(i % size * 0.7) + 0.05 * r.nextGaussian());
        }
        return s;
    }

    @Test
    void changesOnlyTheMaskedPixelsAndStaysInRange() {
        int size = 48;
        Random r = new Random(11);
        int changedSomewhere = 0;
        for (int trial = 0; trial < 200; trial++) {
            float[] before = texture(size, trial);
            float[] after = before.clone();
            float[] alpha = Corruptions.paint(after, 1, size, r);
            double inside = 0;
            for (int i = 0; i < after.length; i++) {
                assertTrue(after[i] >= 0 && after[i] <= 1, "values stay in [0, 1]");
                assertTrue(alpha[i] >= 0 && alpha[i] <= 1, "the mask is a soft mask");
                if (alpha[i] == 0) {
                    assertEquals(before[i], after[i], "pixel " + i + " outside the mask is untouched");
                } else {
                    inside += Math.abs(after[i] - before[i]);
                }
            }
            if (inside > 0.5) {
                changedSomewhere++;
            }
        }
        assertTrue(changedSomewhere > 170, "almost every draw leaves a visible defect, got " + changedSomewhere);
    }

    @Test
    void shapesRangeFromThinStrokesToLargeRegions() {
        int size = 64;
        Random r = new Random(3);
        double smallest = 1;
        double largest = 0;
        for (int trial = 0; trial < 300; trial++) {
            float[] alpha = trial % 2 == 0 ? Corruptions.ellipse(size, r) : Corruptions.line(size, r);
            double area = 0;
            for (float a : alpha) {
                area += a;
            }
            area /= size * size;
            smallest = Math.min(smallest, area);
            largest = Math.max(largest, area);
        }
        assertTrue(smallest < 0.01, "thin strokes and small spots occur, smallest area " + smallest);
        assertTrue(largest > 0.15, "large regions occur, largest area " + largest);
    }

    @Test
    void theSameSeedPaintsTheSameDefect() {
        float[] a = texture(32, 1);
        float[] b = a.clone();
        Corruptions.paint(a, 1, 32, new Random(9));
        Corruptions.paint(b, 1, 32, new Random(9));
        assertTrue(java.util.Arrays.equals(a, b));
    }
}
