package org.utad.spark;

import java.io.PrintStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.utad.cli.Args;
import org.utad.cli.Main;
import org.utad.core.UtadException;

/**
 * The entry point that {@code spark-submit --class org.utad.spark.SparkDetect} runs: reads the
 * command line ({@link JobRequest#USAGE}), starts a Spark context on the master that spark-submit
 * (or {@code -Dspark.master}) names, runs {@link DetectionJob} and prints its summary.
 *
 * <p>Exit codes are {@code bin/utad}'s ({@link Main}): 0 success (failed images are rows of the table, not a
 * failure of the job); 1 internal error, or Spark gave up on a task; 2 usage error; 3 invalid
 * input or model file.
 */
public final class SparkDetect {
    private SparkDetect() {
    }

    /**
     * Runs the job and exits with its code (returning normally on success, so that spark-submit
     * shuts Spark down the usual way).
     *
     * @param args the command line after the jar
     */
    public static void main(String[] args) {
        int code = run(new SparkConf(), System.out, System.err, args);
        if (code != Main.OK) {
            System.exit(code);
        }
    }

    /**
     * Runs the job.
     *
     * @param conf Spark's configuration (from spark-submit, or the {@code spark.*} system properties)
     * @param out  where the summary goes
     * @param err  where errors go
     * @param args the command line after the jar
     * @return the exit code
     */
    public static int run(SparkConf conf, PrintStream out, PrintStream err, String... args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.println(JobRequest.USAGE);
            return args.length == 0 ? Main.USAGE : Main.OK;
        }
        JobRequest request;
        try {
            request = JobRequest.parse(args);
        } catch (Args.UsageException | IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            err.println(JobRequest.USAGE);
            return Main.USAGE;
        }
        if (!conf.contains("spark.master")) {
            err.println("Error: no Spark master is set. Start the job with spark-submit --master <url> (a standalone"
                    + " cluster spark://host:7077, yarn, k8s://..., or local[N] on one machine), or, started with plain"
                    + " java, pass -Dspark.master=local[N].");
            return Main.USAGE;
        }
        conf.setIfMissing("spark.app.name", "UTAD detection");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            JobSummary s = DetectionJob.run(sc, request, TaskObserver.NONE);
            out.println(s.text());
            return Main.OK;
        } catch (IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            return Main.USAGE;
        } catch (DetectionJob.JobFailedException e) {
            err.println("Error: " + e.getMessage());
            return Main.INTERNAL_ERROR;
        } catch (UtadException e) {
            err.println("Error: " + e.getMessage());
            return Main.INVALID_INPUT;
        } catch (RuntimeException e) {
            err.println("Internal error (please report it with these lines): " + e);
            for (StackTraceElement frame : e.getStackTrace()) {
                err.println("\tat " + frame);
            }
            return Main.INTERNAL_ERROR;
        }
    }
}
