package org.utad.train;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Where one stage's time went in this run: the networks (forward and backward passes, the frozen
 * IE-Net's impressions, the discriminator steps), and the work around them (sampling batches, the
 * finite checks and Adam updates, validation, checkpoints, and the rest: reports and freeing each
 * iteration's arrays). The stage loops charge each stretch of time to one part as it ends, so the
 * parts add up to the loop's time; the end of a stage reports them in one line.
 *
 * <p>Why: the speed benchmarks time the generator step alone, and a user waits for the whole
 * iteration. Measured this way, the work around the networks was about a sixth of a {@code fast}
 * run's training on deeppcb, and a tenth after the changes it led to (docs/BENCHMARKS.md, issue 17's
 * thirteenth pass); the line lets anyone see that share on their own data. On a GPU the engine runs
 * asynchronously, so time is charged where the Java side waits, and the split is approximate.
 */
final class StageTimes {
    /** The parts a stage's time is charged to. */
    enum Part {
        /** Forward and backward passes of every network, discriminators and impressions included. */
        NETWORKS("networks"),
        /** Drawing batches (crops, flips, synthetic defects) and random codes, and handing them to the engine. */
        SAMPLING("sampling"),
        /** The finite checks of the gradients and the optimisers' updates. */
        OPTIMISER("optimiser"),
        /** The validation losses, and keeping a copy of the best networks. */
        VALIDATION("validation"),
        /** Writing checkpoints. */
        CHECKPOINTS("checkpoints"),
        /** Everything else: progress reports, freeing each iteration's arrays, the loop itself. */
        REST("the rest");

        private final String label;

        Part(String label) {
            this.label = label;
        }
    }

    private final LongSupplier clock;
    private final long[] nanos = new long[Part.values().length];
    private long mark;

    /** Starts the clock now, on {@link System#nanoTime}. */
    StageTimes() {
        this(System::nanoTime);
    }

    /**
     * Starts the clock now.
     *
     * @param clock nanoseconds, for the tests
     */
    StageTimes(LongSupplier clock) {
        this.clock = clock;
        mark = clock.getAsLong();
    }

    /**
     * Charges the time since the last charge (or the start) to a part.
     *
     * @param part where that time went
     */
    void charge(Part part) {
        long now = clock.getAsLong();
        nanos[part.ordinal()] += now - mark;
        mark = now;
    }

    /**
     * @param part a part
     * @return the seconds charged to it so far
     */
    double seconds(Part part) {
        return nanos[part.ordinal()] / 1e9;
    }

    /** @return the seconds charged to all parts so far */
    double totalSeconds() {
        long sum = 0;
        for (long n : nanos) {
            sum += n;
        }
        return sum / 1e9;
    }

    /**
     * One line for the end of a stage, for example "stage 1 (IE-Net): 4500 iterations in 340.5 s:
     * networks 290.1 s (85 %), sampling 10.2 s (3 %), ...".
     *
     * @param stageName  the stage's name as the progress lines give it
     * @param iterations the iterations this run trained in the stage
     * @return the line
     */
    String describe(String stageName, int iterations) {
        double total = totalSeconds();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s: %d iterations in %.1f s:", stageName,
                iterations, total));
        String separator = " ";
        for (Part p : Part.values()) {
            double sec = seconds(p);
            s.append(separator).append(String.format(Locale.ROOT, "%s %.1f s (%.0f %%)", p.label, sec,
                    total > 0 ? 100 * sec / total : 0));
            separator = ", ";
        }
        return s.toString();
    }
}
