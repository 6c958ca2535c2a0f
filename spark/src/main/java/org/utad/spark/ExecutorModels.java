package org.utad.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.utad.api.Utad;
import org.utad.core.UtadException;
import org.utad.engine.DeviceChoice;
import org.utad.engine.Engines;
import org.utad.infer.Detector;

/**
 * The models open in this JVM (a Spark executor, or the driver in local mode), so that an executor
 * reads a model file once and all its tasks, concurrent or later, share the detector (which is
 * thread-safe) instead of each task, or each image, reading the networks again.
 *
 * <p>This is deliberately JVM-wide state: an executor runs many tasks of one application in one
 * JVM, and Spark offers no other place to keep a native resource across tasks (a broadcast variable
 * carries data, not open networks). A model is known by its path, size, modification time and
 * device, so a file replaced between runs is read again. Detectors stay open for the JVM's life,
 * which is the executor's.
 */
final class ExecutorModels {
    /** DJL's property for PyTorch's intra-op threads, read once when the engine starts. */
    static final String THREADS = "ai.djl.pytorch.num_threads";
    /** Cluster nodes have no screen; ImageJ's readers and writers must not look for one. */
    private static final String HEADLESS = "java.awt.headless";
    private static final Map<String, Detector> OPEN = new HashMap<>();
    private static final Map<String, Integer> READS = new HashMap<>();

    /**
     * A model for a task.
     *
     * @param detector the shared detector
     * @param reads    how many times this JVM has read the model file at this path (1 unless the
     *                 file changed, or it was asked for on several devices)
     */
    record Model(Detector detector, int reads) {
    }

    private ExecutorModels() {
    }

    /**
     * Returns the detector of a model file, reading the file only if this JVM has not yet. Tasks
     * that ask while another reads it wait for that one read.
     *
     * <p>Before the engine's first start in this JVM, PyTorch's intra-op threads are set to the
     * task's CPUs (unless {@value #THREADS} is already set): an executor runs one task per core
     * at once, and each task using every core would oversubscribe the machine.
     *
     * @param model   the model file, as every executor sees it
     * @param device  auto, cpu or gpu
     * @param threads the CPUs of one task ({@code spark.task.cpus})
     * @return the detector and the read count
     * @throws UtadException if the file cannot be read on this executor, saying that every node
     *                       must see it
     */
    static synchronized Model get(String model, String device, int threads) {
        Path file = Path.of(model);
        String key;
        try {
            key = model + "|" + device + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UtadException("The model file " + model + " cannot be read on this executor (" + e + "). Put"
                    + " the model on a file system that every node of the cluster mounts at the same path.", e);
        }
        Detector d = OPEN.get(key);
        if (d == null) {
            if (System.getProperty(HEADLESS) == null) {
                System.setProperty(HEADLESS, "true");
            }
            Engines.offline();
            if (System.getProperty(THREADS) == null && threads > 0) {
                System.setProperty(THREADS, Integer.toString(threads));
            }
            d = Utad.open(file, DeviceChoice.parse(device));
            OPEN.put(key, d);
            READS.merge(model, 1, Integer::sum);
        }
        return new Model(d, READS.get(model));
    }
}
