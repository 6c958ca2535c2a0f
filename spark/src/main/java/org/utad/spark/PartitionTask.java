package org.utad.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.utad.api.BatchDetection;
import org.utad.api.Utad;
import org.utad.imagej.IjImageLoader;
import org.utad.imagej.IjImageSaver;
import org.utad.infer.DetectOptions;

/**
 * One Spark task: detects on its partition's image files with the executor's shared model, writes
 * each image's heatmap (and mask) atomically through the same per-file step as
 * {@code bin/utad detect}, and commits the rows every few images as a part of the scores table.
 *
 * <p>Result files are written with overwrite on, since the driver sends only images that are not
 * done: a result file found for such an image is the leftover of a task that was killed or failed
 * before committing its row, and is replaced whole. A retried task redoes its partition and
 * rewrites its parts under the same names, so nothing appears twice.
 */
final class PartitionTask implements Function2<Integer, Iterator<String>, Iterator<TaskReport>> {
    private static final long serialVersionUID = 1L;

    private final String model;
    private final String output;
    private final boolean masks;
    private final String method;
    private final String conversion;
    private final String device;
    private final LinkedHashMap<String, String> settings;
    private final int run;
    private final int commitEvery;
    private final TaskObserver observer;

    /**
     * Captures what every task of a run needs, as plain serialisable values, since the task travels
     * to the executors.
     *
     * @param request  the run's request (paths already absolute)
     * @param run      the run number that names this run's parts
     * @param observer told before each image
     */
    PartitionTask(JobRequest request, int run, TaskObserver observer) {
        this.model = request.model().toString();
        this.output = request.output().toString();
        this.masks = request.masks();
        this.method = request.method();
        this.conversion = request.conversion();
        this.device = request.device();
        this.settings = new LinkedHashMap<>(request.settings());
        this.run = run;
        this.commitEvery = request.commitEvery();
        this.observer = observer;
    }

    /**
     * Runs the task.
     *
     * @param partition the partition number
     * @param files     its image files' absolute paths, in table order
     * @return one report
     */
    @Override
    public Iterator<TaskReport> call(Integer partition, Iterator<String> files) {
        long t0 = System.nanoTime();
        TaskContext context = TaskContext.get();
        int attempt = context == null ? 0 : context.attemptNumber();
        int cpus = context == null ? 1 : context.cpus();
        ExecutorModels.Model m = ExecutorModels.get(model, device, cpus);
        DetectOptions options = Utad.detectOptions(m.detector().manifest().config(), settings, conversion, method);
        IjImageLoader loader = new IjImageLoader();
        IjImageSaver saver = new IjImageSaver();
        Path out = Path.of(output);
        List<BatchDetection.Row> pending = new ArrayList<>();
        int chunk = 0;
        int inChunk = 0;
        int count = 0;
        int images = 0;
        int failed = 0;
        while (files.hasNext()) {
            String file = files.next();
            observer.beforeImage(file, attempt);
            List<BatchDetection.Row> rows = BatchDetection.detectFile(m.detector(), Path.of(file), out, options, masks,
                    true, loader, saver);
            pending.addAll(rows);
            count++;
            if (BatchDetection.isFailure(rows)) {
                failed++;
            } else {
                images += rows.size();
            }
            if (++inChunk == commitEvery) {
                JobOutput.commit(out, run, partition, chunk++, pending);
                pending.clear();
                inChunk = 0;
            }
        }
        if (inChunk > 0) {
            JobOutput.commit(out, run, partition, chunk, pending);
        }
        String executor = SparkEnv.get() == null ? "unknown" : SparkEnv.get().executorId();
        int threads = Integer.getInteger(ExecutorModels.THREADS, Runtime.getRuntime().availableProcessors());
        return List.of(new TaskReport(partition, executor, count, images, failed, m.reads(), threads,
                (System.nanoTime() - t0) / 1e9)).iterator();
    }
}
