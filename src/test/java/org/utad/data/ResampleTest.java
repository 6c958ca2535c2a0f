package org.utad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Reflection padding mirrors without repeating the edge, per channel, and never shrinks. */
class ResampleTest {
    @Test
    void reflectPadMirrorsEachChannelWithoutRepeatingTheEdge() {
        float[] src = {1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60};
        float[] padded = Resample.reflectPad(src, 3, 2, 2, 5, 3);
        assertArrayEquals(new float[] {
            1, 2, 3, 2, 1,
            4, 5, 6, 5, 4,
            1, 2, 3, 2, 1,
            10, 20, 30, 20, 10,
            40, 50, 60, 50, 40,
            10, 20, 30, 20, 10}, padded);
        assertArrayEquals(new float[] {7, 7, 7, 7}, Resample.reflectPad(new float[] {7}, 1, 1, 1, 2, 2),
                "a one-pixel image repeats its pixel");
    }

    @Test
    void reflectPadRefusesToShrink() {
        assertThrows(IllegalArgumentException.class, () -> Resample.reflectPad(new float[4], 2, 2, 1, 1, 2));
    }
}
