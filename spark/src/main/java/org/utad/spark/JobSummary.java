package org.utad.spark;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The outcome of a Spark run, for the console and for {@code summary.txt}: the totals of the
 * scores table it ended with, what this run itself did, and how often each executor read the
 * model.
 *
 * @param csv         the scores table
 * @param images      rows of detected images in the table (a stack counts each slice)
 * @param anomalous   of those, how many were judged anomalous
 * @param failed      rows of files that failed, with their reason in the table
 * @param seconds     this run's wall time, from listing the inputs to writing the table
 * @param detected    images this run detected (its share of {@code images})
 * @param files       input files this run processed
 * @param alreadyDone input files skipped because an earlier run had done them
 * @param tasks       tasks that ran
 * @param modelReads  per executor id, how many times it read the model file
 * @param threads     PyTorch's intra-op threads per task (the most any executor used; 0 if no task
 *                    ran): {@code bin/utad detect} with {@code -Dai.djl.pytorch.num_threads} set to
 *                    it writes the same maps bit for bit
 */
public record JobSummary(Path csv, int images, int anomalous, int failed, double seconds, int detected, int files,
                         int alreadyDone, int tasks, Map<String, Integer> modelReads, int threads) {
    /** @return images detected by this run per second of its wall time (0 when it detected none) */
    public double imagesPerSecond() {
        return seconds > 0 ? detected / seconds : 0;
    }

    /** @return a few lines for the console */
    public String text() {
        String reads = modelReads.isEmpty() ? "Nothing was left to detect; no executor read the model."
                : modelReads.values().stream().allMatch(n -> n == 1)
                ? "Model read once on each of " + modelReads.size() + " executor(s)."
                : "Model reads per executor: " + readsText() + ".";
        if (threads > 0) {
            reads += " PyTorch threads per task: " + threads + ".";
        }
        return String.format(Locale.ROOT, "Detected %d images (%d anomalous, %d failed) in %.1f s, %.2f images/s;"
                        + " scores in %s%nThis run: %d image file(s) in %d task(s); %d file(s) already done were"
                        + " skipped.%n%s",
                images, anomalous, failed, seconds, imagesPerSecond(), csv, files, tasks, alreadyDone, reads);
    }

    /** @return the same facts as {@code key: value} lines, for {@code summary.txt} and scripts */
    public String fileText() {
        return String.format(Locale.ROOT, "images: %d%nanomalous: %d%nfailed: %d%nseconds: %.3f%nimages_per_second: %.4f%n"
                        + "detected_this_run: %d%nfiles_this_run: %d%nfiles_already_done: %d%ntasks: %d%n"
                        + "model_reads_per_executor: %s%nthreads_per_task: %d%n",
                images, anomalous, failed, seconds, imagesPerSecond(), detected, files, alreadyDone, tasks,
                readsText(), threads);
    }

    private String readsText() {
        return modelReads.isEmpty() ? "none (nothing to do)" : modelReads.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
