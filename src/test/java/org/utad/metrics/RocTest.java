package org.utad.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.utad.core.InvalidInputException;

/** Exact, tie-aware ROC and AUROC against hand-computed cases and a brute-force count. */
class RocTest {
    private static final boolean T = true;
    private static final boolean F = false;

    @Test
    void perfectSeparationIsOne() {
        assertEquals(1.0, Roc.auroc(new float[] {0.1f, 0.2f, 0.8f, 0.9f}, new boolean[] {F, F, T, T}));
    }

    @Test
    void reversedIsZero() {
        assertEquals(0.0, Roc.auroc(new float[] {0.9f, 0.8f, 0.2f, 0.1f}, new boolean[] {F, F, T, T}));
    }

    @Test
    void allEqualScoresIsOneHalf() {
        Roc roc = Roc.of(new float[] {3, 3, 3, 3, 3}, new boolean[] {F, T, F, T, F});
        assertEquals(0.5, roc.auroc());
        assertArrayEquals(new double[] {0, 1}, roc.fpr());
        assertArrayEquals(new double[] {0, 1}, roc.tpr());
    }

    @Test
    void tieBetweenPositiveAndNegativeCountsOneHalf() {
        // Pairs (positive, negative): (0.4, 0.1) = 1, (0.4, 0.4) = 1/2, (0.8, 0.1) = 1,
        // (0.8, 0.4) = 1, so U = 3.5 of 4 pairs.
        Roc roc = Roc.of(new float[] {0.1f, 0.4f, 0.4f, 0.8f}, new boolean[] {F, T, F, T});
        assertEquals(0.875, roc.auroc());
        assertEquals(2, roc.positives());
        assertEquals(2, roc.negatives());
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, 0.8f, 0.4f, 0.1f}, roc.thresholds());
        assertArrayEquals(new double[] {0, 0, 0.5, 1}, roc.fpr());
        assertArrayEquals(new double[] {0, 0.5, 1, 1}, roc.tpr());
        assertEquals(4, roc.size());
    }

    @Test
    void negativeZeroTiesWithZero() {
        assertEquals(0.5, Roc.auroc(new float[] {-0.0f, 0.0f}, new boolean[] {T, F}));
    }

    @Test
    void missingClassIsAClearError() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Roc.auroc(new float[] {0.1f, 0.2f}, new boolean[] {F, F}));
        assertTrue(e.getMessage().contains("needs both normal and anomalous"), e.getMessage());
        assertTrue(e.getMessage().contains("0 anomalous"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> Roc.of(new float[] {1}, new boolean[] {T}));
        assertThrows(InvalidInputException.class, () -> Roc.of(new float[0], new boolean[0]));
    }

    @Test
    void nanAndMismatchedInputsAreRejected() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Roc.of(new float[] {0.1f, Float.NaN}, new boolean[] {F, T}));
        assertTrue(e.getMessage().contains("NaN score at index 1"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> Roc.of(new float[] {0.1f}, new boolean[] {F, T}));
        assertThrows(InvalidInputException.class, () -> Roc.of(null, new boolean[] {F, T}));
    }

    @Test
    void infiniteScoresAreOrdinaryValues() {
        assertEquals(1.0, Roc.auroc(new float[] {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY},
                new boolean[] {F, T}));
    }

    @Test
    void matchesBruteForceMannWhitneyWithManyTies() {
        Random random = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            int n = 2 + random.nextInt(300);
            float[] scores = new float[n];
            boolean[] labels = new boolean[n];
            for (int i = 0; i < n; i++) {
                labels[i] = i < 2 ? i == 0 : random.nextBoolean();
                scores[i] = random.nextInt(10) + (labels[i] ? 2 : 0);
            }
            assertEquals(bruteForce(scores, labels), Roc.auroc(scores, labels), 1e-12);
            assertEquals(trapezoid(Roc.of(scores, labels)), Roc.auroc(scores, labels), 1e-12);
        }
    }

    /** Mann-Whitney U over all positive-negative pairs, ties 1/2, divided by P x N. */
    static double bruteForce(float[] scores, boolean[] labels) {
        double u = 0;
        long pairs = 0;
        for (int i = 0; i < scores.length; i++) {
            for (int j = 0; j < scores.length; j++) {
                if (labels[i] && !labels[j]) {
                    pairs++;
                    u += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }
        return u / pairs;
    }

    private static double trapezoid(Roc roc) {
        double[] x = roc.fpr();
        double[] y = roc.tpr();
        double area = 0;
        for (int i = 1; i < x.length; i++) {
            area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
        }
        return area;
    }
}
