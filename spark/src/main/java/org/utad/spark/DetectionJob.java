package org.utad.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.utad.api.Utad;
import org.utad.core.InvalidInputException;
import org.utad.core.UtadException;
import org.utad.engine.DeviceChoice;
import org.utad.engine.Engines;
import org.utad.io.Manifest;
import org.utad.io.ModelBundle;

/**
 * Batch detection as a Spark job, the driver's side: checks the request, lists the images once,
 * leaves out those an earlier run already did, distributes the rest by file over the executors
 * ({@link PartitionTask}), and joins the committed parts into one {@code scores.csv} in the format
 * and order of {@code bin/utad detect}, then writes {@code summary.txt}.
 *
 * <p>The same input gives the same table, byte for byte, on one executor or many, and the same as
 * {@code bin/utad detect}: every task runs the facade's per-file step, detection of an image does
 * not depend on which other images share its task, and the table is sorted by file name at the
 * end.
 */
public final class DetectionJob {
    /** Partitions per core of the cluster when the request leaves the choice to the job. */
    static final int PARTITIONS_PER_CORE = 4;

    /** The Spark job stopped (a task failed more often than Spark retries it); what was committed is kept. */
    public static final class JobFailedException extends UtadException {
        private static final long serialVersionUID = 1L;

        /**
         * @param message what stopped, what was kept and what to do
         * @param cause   Spark's exception
         */
        public JobFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private DetectionJob() {
    }

    /**
     * Runs the job on a Spark context.
     *
     * @param sc       the context (its master decides local mode or a cluster)
     * @param request  what to detect and where
     * @param observer told by each task before each image, on the executors
     * @return the summary, also written to summary.txt in the output folder
     * @throws InvalidInputException                  if the input, output or options cannot be used
     * @throws org.utad.core.ModelFormatException     if the model file is missing or damaged
     * @throws IllegalArgumentException               for a bad method, conversion, device or setting
     * @throws JobFailedException                     if Spark gave up on a task; scores.csv then holds
     *                                                what was committed, and running again resumes
     */
    public static JobSummary run(JavaSparkContext sc, JobRequest request, TaskObserver observer) {
        long t0 = System.nanoTime();
        Engines.offline();
        JobRequest r = new JobRequest(request.model().toAbsolutePath().normalize(),
                request.input().toAbsolutePath().normalize(), request.output().toAbsolutePath().normalize(),
                request.masks(), request.overwrite(), request.method(), request.conversion(), request.device(),
                request.settings(), request.partitions(), request.commitEvery());
        Manifest manifest = ModelBundle.readManifest(r.model());
        Utad.detectOptions(manifest.config(), r.settings(), r.conversion(), r.method());
        DeviceChoice.parse(r.device());
        List<Path> files = InputFiles.list(r.input());
        JobOutput out = new JobOutput(r.output());
        out.prepare();
        if (r.overwrite()) {
            out.clear();
        }
        JobOutput.State before = out.state();
        Set<String> done = before.done();
        List<String> todo = new ArrayList<>();
        for (Path f : files) {
            if (!done.contains(f.getFileName().toString())) {
                todo.add(f.toString());
            }
        }
        List<TaskReport> reports = List.of();
        if (!todo.isEmpty()) {
            int partitions = r.partitions() > 0 ? Math.min(r.partitions(), todo.size())
                    : Math.min(todo.size(), Math.max(1, sc.defaultParallelism() * PARTITIONS_PER_CORE));
            sc.setJobDescription("UTAD detection: " + todo.size() + " images into " + r.output());
            try {
                reports = sc.parallelize(todo, partitions)
                        .mapPartitionsWithIndex(new PartitionTask(r, before.lastRun() + 1, observer), false)
                        .collect();
            } catch (Exception e) {
                // Spark reports a job it gave up on with its checked SparkException, thrown from Scala code.
                JobOutput.Table kept = out.merge();
                String cause = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString());
                throw new JobFailedException("The Spark job stopped: " + cause + " The " + (kept.images() + kept.failed())
                        + " rows committed so far are in " + kept.csv() + "; run the same command again to detect the"
                        + " rest (images already done are skipped).", e);
            }
        }
        JobOutput.Table table = out.merge();
        Map<String, Integer> reads = new TreeMap<>();
        int detected = 0;
        int processed = 0;
        int threads = 0;
        for (TaskReport t : reports) {
            threads = Math.max(threads, t.threads());
            reads.merge(t.executor(), t.modelReads(), Math::max);
            detected += t.images();
            processed += t.files();
        }
        JobSummary s = new JobSummary(table.csv(), table.images(), table.anomalous(), table.failed(),
                (System.nanoTime() - t0) / 1e9, detected, processed, files.size() - todo.size(), reports.size(), reads,
                threads);
        out.writeSummary(s.fileText());
        return s;
    }
}
