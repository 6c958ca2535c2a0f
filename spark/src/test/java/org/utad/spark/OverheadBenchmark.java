package org.utad.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.utad.api.BatchDetection;
import org.utad.api.TrainParams;
import org.utad.api.Utad;
import org.utad.config.Presets;
import org.utad.core.CancellationToken;
import org.utad.core.FloatImage;
import org.utad.core.ProgressListener;
import org.utad.data.SyntheticImages;
import org.utad.engine.DeviceChoice;
import org.utad.engine.Engines;
import org.utad.imagej.ImageWriter;

/**
 * The cost of running detection as a Spark job rather than with {@code bin/utad detect}: the same
 * generated images and the same {@code fast}-preset model, each run in a fresh process as a user
 * starts it ({@code bin/utad detect}; the job jar through Spark's own {@code SparkSubmit} in local
 * mode with one and with two cores), timing the whole process and its detection phase, sampling
 * its peak resident memory, and checking that the tables agree. Prints a Markdown table for
 * docs/BENCHMARKS.md. Run it with {@code spark/bin/bench-overhead}.
 */
public final class OverheadBenchmark {
    private static final Pattern SECONDS = Pattern.compile("Detected \\d+ images \\(.*\\) in ([0-9.]+) s");

    /**
     * One measured process.
     *
     * @param name        what ran
     * @param cores       the cores it was given
     * @param wall        seconds from start to exit
     * @param detection   seconds its own summary reports for detection (listing to table)
     * @param peakMb      peak resident memory, MB
     * @param otherLoad   share of the machine's CPU time used by other processes meanwhile
     * @param output      its output folder
     */
    record Result(String name, String cores, double wall, double detection, double peakMb, double otherLoad,
                  Path output) {
    }

    private final Path root;
    private final Path work;
    private final Path jobJar;
    private final String sparkClasspath;
    private final List<String> sparkJavaOptions;
    private final int count;

    private OverheadBenchmark(Map<String, String> a) throws IOException {
        root = Path.of(a.get("root")).toAbsolutePath();
        work = Path.of(a.getOrDefault("work", "/tmp/utad-spark-bench")).toAbsolutePath();
        jobJar = Path.of(a.get("jar")).toAbsolutePath();
        sparkClasspath = Files.readString(Path.of(a.get("spark-classpath"))).strip();
        sparkJavaOptions = Arrays.stream(System.getProperty("bench.spark.java.options", "").split("\\s+"))
                .filter(o -> !o.isBlank()).toList();
        count = Integer.parseInt(a.getOrDefault("count", "200"));
    }

    /**
     * Runs the benchmark.
     *
     * @param args {@code --root DIR --jar JOB_JAR --spark-classpath FILE [--count 200] [--work DIR]}
     * @throws Exception if a run fails; its log is named
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        new OverheadBenchmark(a).run();
    }

    private void run() throws Exception {
        Engines.offline();
        Path images = images();
        Path model = model();
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        List<Result> results = new ArrayList<>();
        results.add(process("bin/utad detect", "2 (one image at a time, 2 PyTorch threads)", List.of(
                root.resolve("bin/utad").toString(), "detect", "--model", model.toString(), "--input", images.toString(),
                "--output", work.resolve("out-utad").toString(), "--device", "cpu"), Map.of("UTAD_NO_BUILD", "1"),
                work.resolve("out-utad")));
        results.add(spark("1", images, model));
        results.add(spark("2", images, model));
        results.add(process("bin/utad detect, 1 PyTorch thread", "1", List.of(root.resolve("bin/utad").toString(),
                "detect", "--model", model.toString(), "--input", images.toString(), "--output",
                work.resolve("out-utad-1").toString(), "--device", "cpu"), Map.of("UTAD_NO_BUILD", "1",
                "UTAD_JAVA_OPTS", "-Xmx8g -Dai.djl.pytorch.num_threads=1"), work.resolve("out-utad-1")));
        Result rerun = submit("Spark local[2], re-run on its finished output", "2", images, model,
                work.resolve("out-spark-2"), false);
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).strip();
        report(results, rerun, loadBefore, loadAfter);
    }

    private Result spark(String cores, Path images, Path model) throws Exception {
        return submit("Spark job, local[" + cores + "]", cores + " (" + cores + " task(s) at once, 1 PyTorch thread"
                + " each)", images, model, work.resolve("out-spark-" + cores), true);
    }

    private Result submit(String name, String cores, Path images, Path model, Path out, boolean fresh)
            throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx8g");
        cmd.addAll(sparkJavaOptions);
        cmd.addAll(List.of("-Dai.djl.offline=true", "-cp", sparkClasspath, "org.apache.spark.deploy.SparkSubmit",
                "--master", "local[" + cores.charAt(0) + "]", "--conf", "spark.ui.enabled=false", "--conf",
                "spark.driver.host=127.0.0.1", "--class", SparkDetect.class.getName(), jobJar.toString(),
                "--model", model.toString(), "--input", images.toString(), "--output", out.toString(),
                "--device", "cpu"));
        if (fresh) {
            deleteTree(out);
        }
        return measure(name, cores, cmd, Map.of(), out);
    }

    private Result process(String name, String cores, List<String> cmd, Map<String, String> env, Path out)
            throws Exception {
        deleteTree(out);
        return measure(name, cores, cmd, env, out);
    }

    /** Runs one process, sampling its peak resident memory and CPU time and the machine's CPU time. */
    private Result measure(String name, String cores, List<String> cmd, Map<String, String> env, Path out)
            throws Exception {
        Path log = work.resolve("logs").resolve(out.getFileName() + (Files.exists(out) ? "-rerun" : "") + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        long[] machine0 = machineTicks();
        long t0 = System.nanoTime();
        Process p = pb.start();
        double peak = 0;
        long childTicks = 0;
        while (p.isAlive()) {
            peak = Math.max(peak, statusKb(p.pid(), "VmHWM") / 1024.0);
            childTicks = Math.max(childTicks, processTicks(p.pid()));
            Thread.sleep(50);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        long[] machine1 = machineTicks();
        String text = Files.readString(log);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(name + " failed with exit code " + p.exitValue() + "; see " + log);
        }
        Matcher m = SECONDS.matcher(text);
        double detection = m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        long total = machine1[0] - machine0[0];
        long busy = machine1[1] - machine0[1];
        double other = total > 0 ? Math.max(0, (busy - childTicks) / (double) total) : Double.NaN;
        System.err.printf(Locale.ROOT, "%s: %.1f s, peak %.0f MB%n", name, wall, peak);
        return new Result(name, cores, wall, detection, peak, other, out);
    }

    private void report(List<Result> results, Result rerun, String loadBefore, String loadAfter) throws IOException {
        Result utad = results.get(0);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d images of 128 x 128 px (8-bit grey PNG), fast preset, CPU.%n%n", count));
        sb.append("| run | cores | wall s | images/s (wall) | detection s | images/s (detection) | Spark overhead"
                + " (wall, detection) | peak RSS MB | other processes' CPU share |\n|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            boolean isSpark = r.name().startsWith("Spark");
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.2f | %.1f | %.2f | %s | %.0f | %.0f %% |%n",
                    r.name(), r.cores(), r.wall(), count / r.wall(), r.detection(), count / r.detection(),
                    isSpark ? String.format(Locale.ROOT, "%.2fx, %.2fx", r.wall() / utad.wall(),
                            r.detection() / utad.detection()) : "-",
                    r.peakMb(), 100 * r.otherLoad()));
        }
        sb.append(String.format(Locale.ROOT, "| %s | %s | %.1f | - | %.1f | - | - | %.0f | %.0f %% |%n", rerun.name(),
                rerun.cores(), rerun.wall(), rerun.detection(), rerun.peakMb(), 100 * rerun.otherLoad()));
        Result one = results.get(1);
        Result two = results.get(2);
        sb.append(String.format(Locale.ROOT, "%nExecutor memory: peak RSS %.0f MB with one image in flight (local[1]),"
                + " %.0f MB with two (local[2]): %.0f MB per additional concurrent image.%n", one.peakMb(),
                two.peakMb(), two.peakMb() - one.peakMb()));
        sb.append(String.format(Locale.ROOT, "Tables: Spark local[1] vs local[2] %s; Spark vs bin/utad detect with 1"
                + " PyTorch thread %s; Spark vs bin/utad detect with its default 2 threads: %s.%n",
                same(one.output(), two.output()), same(one.output(), results.get(3).output()),
                differingRows(one.output(), utad.output())));
        sb.append(String.format(Locale.ROOT, "Load average (1, 5, 15 min; runnable/total; last pid) before: %s;"
                + " after: %s.%n", loadBefore, loadAfter));
        System.out.print(sb);
    }

    private static String same(Path a, Path b) throws IOException {
        return Arrays.equals(Files.readAllBytes(a.resolve(BatchDetection.CSV)), Files.readAllBytes(b.resolve(
                BatchDetection.CSV))) ? "byte-identical" : "DIFFERENT";
    }

    private static String differingRows(Path a, Path b) throws IOException {
        List<String> x = Files.readAllLines(a.resolve(BatchDetection.CSV));
        List<String> y = Files.readAllLines(b.resolve(BatchDetection.CSV));
        int differ = 0;
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            if (!x.get(i).equals(y.get(i))) {
                differ++;
            }
        }
        return differ == 0 && x.size() == y.size() ? "byte-identical"
                : differ + " of " + (x.size() - 1) + " rows differ (in the last printed digit of the score)";
    }

    /** Generates the images once: seeded textures, every tenth with a planted defect. */
    private Path images() throws IOException {
        Path dir = work.resolve("images-" + count);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.count() == count) {
                    return dir;
                }
            }
        }
        deleteTree(dir);
        SyntheticImages gen = new SyntheticImages(7);
        SyntheticImages.Defect[] kinds = SyntheticImages.Defect.values();
        for (int i = 0; i < count; i++) {
            FloatImage img = i % 10 == 9 ? gen.defective(i, 128, 128, 1, kinds[(i / 10) % kinds.length]).image()
                    : gen.normal(i, 128, 128, 1);
            ImageWriter.writePng8(img, dir.resolve(String.format(Locale.ROOT, "img_%04d.png", i)), false);
        }
        return dir;
    }

    /** Trains a fast-preset model briefly: detection speed depends on the networks' size, not on training. */
    private Path model() {
        Path model = work.resolve("fast.utad");
        if (Files.exists(model)) {
            return model;
        }
        SyntheticImages gen = new SyntheticImages(8);
        List<FloatImage> normals = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            normals.add(gen.normal(1000 + i, 128, 128, 1));
        }
        Utad.train(new TrainParams(normals, Presets.get("fast").with(Map.of("stage1.iterations", "30",
                "stage2.iterations", "20")), model, false, DeviceChoice.CPU, false), ProgressListener.NONE,
                CancellationToken.none());
        return model;
    }

    private static long[] machineTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[] {total, total - idle};
    }

    private static long processTicks(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static double statusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith(field + ":")) {
                    return Double.parseDouble(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
