package org.utad.spark;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.utad.cli.Args;

/**
 * What a Spark detection run is asked to do: the command line of {@link SparkDetect} as values,
 * with the same option names and defaults as {@code bin/utad detect}, plus the two knobs that only
 * a distributed run has (how many partitions, how often a task commits its rows).
 *
 * @param model       the model file; every executor must be able to read it at this path
 * @param input       a folder of images, or a text file listing image paths (one per line)
 * @param output      the output folder; every executor writes into it
 * @param masks       also write mask PNGs (calibrated models only)
 * @param overwrite   redo every image, replacing earlier results; otherwise a re-run resumes
 * @param method      utad, baseline or expert
 * @param conversion  none or auto
 * @param device      auto, cpu or gpu, on each executor
 * @param settings    {@code detect.*} overrides, in order
 * @param partitions  how many tasks the images are split into; 0 lets the job choose
 * @param commitEvery how many images a task detects before it commits their rows; a killed job
 *                    redoes at most this many images per running task
 */
public record JobRequest(Path model, Path input, Path output, boolean masks, boolean overwrite, String method,
                         String conversion, String device, Map<String, String> settings, int partitions,
                         int commitEvery) {
    /** Images per committed part of a task's rows, unless the command line says otherwise. */
    public static final int DEFAULT_COMMIT_EVERY = 16;

    /** The command line, for {@code --help} and usage errors. */
    public static final String USAGE = String.join("\n",
            "UTAD for Fiji - batch detection on Apache Spark",
            "",
            "Usage: spark-submit --class org.utad.spark.SparkDetect [spark options] utad-spark-<version>.jar \\",
            "         --model FILE --input DIR|LIST --output DIR [--masks] [--overwrite]",
            "         [--method utad|baseline|expert] [--conversion none|auto] [--device auto|cpu|gpu]",
            "         [--set detect.key=value]... [--partitions N] [--commit-every N]",
            "  --input    a folder of images, or a text file with one image path per line",
            "             (relative paths are read from the list's folder; # starts a comment)",
            "  --output   heatmaps, masks, scores.csv and summary.txt; a re-run on the same folder",
            "             skips the images already done, unless --overwrite",
            "Every path must be readable (output: writable) at the same name on every node.",
            "Exit codes: 0 ok, 1 internal error or the Spark job failed, 2 usage error, 3 invalid input or model.");

    /**
     * Checks the numbers and freezes the settings.
     *
     * @param model       the model file
     * @param input       a folder or list file
     * @param output      the output folder
     * @param masks       also write masks
     * @param overwrite   redo everything
     * @param method      the method word
     * @param conversion  the conversion word
     * @param device      the device word
     * @param settings    detect.* overrides
     * @param partitions  0 or more
     * @param commitEvery 1 or more
     * @throws IllegalArgumentException if partitions is negative or commitEvery below 1
     */
    public JobRequest {
        if (partitions < 0) {
            throw new IllegalArgumentException("--partitions must be 0 (let the job choose) or more, not " + partitions
                    + ".");
        }
        if (commitEvery < 1) {
            throw new IllegalArgumentException("--commit-every must be 1 or more, not " + commitEvery + ".");
        }
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /**
     * A request with the defaults of {@code bin/utad detect}: no masks, resume, the utad method, no
     * conversion, device auto, the model's own settings, partitions chosen by the job.
     *
     * @param model  the model file
     * @param input  a folder or list file
     * @param output the output folder
     * @return the request
     */
    public static JobRequest of(Path model, Path input, Path output) {
        return new JobRequest(model, input, output, false, false, "utad", "none", "auto", Map.of(), 0,
                DEFAULT_COMMIT_EVERY);
    }

    /**
     * Reads the job's command line.
     *
     * @param args the arguments after the jar
     * @return the request
     * @throws Args.UsageException      for unknown options, missing values or missing required ones
     * @throws IllegalArgumentException for numbers that are not numbers or out of range
     */
    public static JobRequest parse(String... args) {
        Args a = new Args(Arrays.asList(args), Set.of("model", "input", "output", "method", "conversion", "device",
                "partitions", "commit-every"), Set.of("masks", "overwrite"));
        return new JobRequest(Path.of(a.required("model")), Path.of(a.required("input")),
                Path.of(a.required("output")), a.flag("masks"), a.flag("overwrite"), a.get("method", "utad"),
                a.get("conversion", "none"), a.get("device", "auto"), a.overrides(),
                number(a, "partitions", 0), number(a, "commit-every", DEFAULT_COMMIT_EVERY));
    }

    /**
     * @param masks whether to write masks
     * @return this request with that choice
     */
    public JobRequest withMasks(boolean masks) {
        return new JobRequest(model, input, output, masks, overwrite, method, conversion, device, settings, partitions,
                commitEvery);
    }

    /**
     * @param overwrite whether to redo everything
     * @return this request with that choice
     */
    public JobRequest withOverwrite(boolean overwrite) {
        return new JobRequest(model, input, output, masks, overwrite, method, conversion, device, settings, partitions,
                commitEvery);
    }

    /**
     * @param partitions how many tasks, 0 to let the job choose
     * @param commitEvery images per committed part
     * @return this request with that split
     */
    public JobRequest withSplit(int partitions, int commitEvery) {
        return new JobRequest(model, input, output, masks, overwrite, method, conversion, device, settings, partitions,
                commitEvery);
    }

    private static int number(Args a, String name, int fallback) {
        String v = a.get(name, Integer.toString(fallback));
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " takes a whole number, not '" + v + "'.", e);
        }
    }
}
