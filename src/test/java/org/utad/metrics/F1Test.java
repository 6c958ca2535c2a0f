package org.utad.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.utad.core.InvalidInputException;

/** F1-max and F1 at a threshold on a case computed by hand. */
class F1Test {
    private static final boolean T = true;
    private static final boolean F = false;
    private static final float[] SCORES = {0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 0.4f};
    private static final boolean[] LABELS = {T, F, T, T, F, F};

    @Test
    void maxOverThresholds() {
        // F1 at 0.9, 0.8, 0.7, 0.6, 0.5, 0.4: 2/4, 2/5, 4/6, 6/7, 6/8, 6/9.
        F1.Score best = F1.max(SCORES, LABELS);
        assertEquals(6.0 / 7, best.f1(), 1e-12);
        assertEquals(0.6f, best.threshold());
        assertEquals(0.75, best.precision(), 1e-12);
        assertEquals(1.0, best.recall(), 1e-12);
        assertEquals(new F1.Score(best.f1(), 0.6f, 0.75, 1.0, 3, 1, 0, 2), best);
    }

    @Test
    void atAThreshold() {
        F1.Score s = F1.at(SCORES, LABELS, 0.75f);
        assertEquals(new F1.Score(0.4, 0.75f, 0.5, 1.0 / 3, 1, 1, 2, 2), s);
        F1.Score atScore = F1.at(SCORES, LABELS, 0.6f);
        assertEquals(6.0 / 7, atScore.f1(), 1e-12);
        F1.Score nothing = F1.at(SCORES, LABELS, 2f);
        assertEquals(0.0, nothing.f1());
        assertEquals(0.0, nothing.precision());
        assertEquals(0.0, nothing.recall());
    }

    @Test
    void tiesAreOneThreshold() {
        // At 0.5 both tied samples are predicted anomalous: TP 1, FP 1, FN 0 -> 2/3; at 0.1 -> 2/4.
        F1.Score best = F1.max(new float[] {0.5f, 0.5f, 0.1f}, new boolean[] {T, F, F});
        assertEquals(2.0 / 3, best.f1(), 1e-12);
        assertEquals(0.5f, best.threshold());
    }

    @Test
    void clearErrors() {
        assertThrows(InvalidInputException.class, () -> F1.max(new float[] {1, 2}, new boolean[] {F, F}));
        assertThrows(InvalidInputException.class, () -> F1.at(SCORES, LABELS, Float.NaN));
        assertThrows(InvalidInputException.class, () -> F1.max(new float[] {Float.NaN}, new boolean[] {T}));
        assertEquals(1.0, F1.max(new float[] {0.3f}, new boolean[] {T}).f1());
    }
}
