package org.utad.spark;

import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.utad.engine.Engines;

/**
 * A Spark job in its own JVM that detects slowly (it waits before each image), committing after
 * every image, so that {@link SparkDetectionTest} can kill it half-way with SIGKILL, as a cluster
 * manager or an operator would, and check that a new run resumes where it stopped.
 */
public final class SlowJob {
    /** How long each task waits before an image, so the kill surely comes mid-job. */
    static final long PAUSE_MS = 400;

    private SlowJob() {
    }

    /**
     * Runs the job in local mode on two cores.
     *
     * @param args model file, input folder, output folder
     */
    public static void main(String[] args) {
        Engines.offline();
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("utad-slow-job")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            DetectionJob.run(sc, JobRequest.of(Path.of(args[0]), Path.of(args[1]), Path.of(args[2])).withMasks(true)
                    .withSplit(2, 1), (file, attempt) -> {
                        try {
                            Thread.sleep(PAUSE_MS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException("interrupted while pacing the job", e);
                        }
                    });
        }
    }
}
