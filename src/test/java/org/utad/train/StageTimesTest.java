package org.utad.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A stage's time split into parts: each stretch goes to one part, and the parts add up to the whole. */
class StageTimesTest {
    private static final long MS = 1_000_000L;

    /** Lets {@code ms} pass on the fake clock, then charges that stretch to a part. */
    private static void spend(AtomicLong now, StageTimes times, long ms, StageTimes.Part part) {
        now.addAndGet(ms * MS);
        times.charge(part);
    }

    @Test
    void eachStretchIsChargedToOnePartAndThePartsAddUpToTheLoop() {
        AtomicLong now = new AtomicLong(5_000 * MS);
        StageTimes times = new StageTimes(now::get);
        for (int i = 0; i < 3; i++) {
            spend(now, times, 2, StageTimes.Part.REST);
            spend(now, times, 10, StageTimes.Part.SAMPLING);
            spend(now, times, 100, StageTimes.Part.NETWORKS);
            spend(now, times, 8, StageTimes.Part.OPTIMISER);
        }
        spend(now, times, 40, StageTimes.Part.VALIDATION);
        spend(now, times, 24, StageTimes.Part.CHECKPOINTS);
        assertEquals(0.030, times.seconds(StageTimes.Part.SAMPLING), 1e-12);
        assertEquals(0.300, times.seconds(StageTimes.Part.NETWORKS), 1e-12);
        assertEquals(0.024, times.seconds(StageTimes.Part.OPTIMISER), 1e-12);
        assertEquals(0.006, times.seconds(StageTimes.Part.REST), 1e-12);
        assertEquals(0.424, times.totalSeconds(), 1e-12);

        String line = times.describe("stage 1 (IE-Net)", 3);
        assertEquals("stage 1 (IE-Net): 3 iterations in 0.4 s: networks 0.3 s (71 %), sampling 0.0 s (7 %),"
                + " optimiser 0.0 s (6 %), validation 0.0 s (9 %), checkpoints 0.0 s (6 %),"
                + " the rest 0.0 s (1 %)", line);
    }

    @Test
    void aStageWithNoTimeSaysSoWithoutDividingByZero() {
        AtomicLong now = new AtomicLong(0);
        StageTimes times = new StageTimes(now::get);
        times.charge(StageTimes.Part.REST);
        String line = times.describe("stage 2 (Expert-Net)", 0);
        assertEquals("stage 2 (Expert-Net): 0 iterations in 0.0 s: networks 0.0 s (0 %), sampling 0.0 s (0 %),"
                + " optimiser 0.0 s (0 %), validation 0.0 s (0 %), checkpoints 0.0 s (0 %),"
                + " the rest 0.0 s (0 %)", line);
    }
}
