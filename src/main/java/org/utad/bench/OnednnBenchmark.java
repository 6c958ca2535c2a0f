package org.utad.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.utad.cli.Args;
import org.utad.cli.Main;
import org.utad.config.Presets;
import org.utad.config.UtadConfig;
import org.utad.core.CancellationToken;
import org.utad.engine.Engines;
import org.utad.model.UtadNetworks;

/**
 * {@code bench-onednn}: the speed benchmark's steps (those of {@code bench-peer}) timed by oneDNN's
 * own clock, to say how much of each step the convolutions take and at what rate they run.
 *
 * <p>oneDNN reads {@code ONEDNN_VERBOSE} once, when the engine starts, so each step runs in a child
 * JVM started with it set; the child runs the step a number of times and prints the median step time
 * last, and this process sums oneDNN's execution lines ({@link OnednnClock}). Both leave out the first
 * steps. Printing a line per primitive costs a little, and a fresh JVM runs slower for its first minute
 * or two ({@code bench-peer} settles it first): the table's step times are those of these runs, and its
 * shares, not its milliseconds, are what to compare with {@code bench-peer}.
 */
final class OnednnBenchmark {
    /**
     * The pieces of work, as {@link PeerWork#networkSteps} names them for {@code bench-peer}: the
     * training steps, detection, then the training steps on one sample.
     */
    static final List<String> WORKS = List.of("stage1_step", "stage2_step", "detect_tile_batch", "stage1_one",
            "stage2_one");
    /** The child's last line of standard error starts with this, then the median step time in ms. */
    private static final String MEDIAN = "median step ms ";

    private final PrintStream out;
    private final CancellationToken cancel;

    OnednnBenchmark(PrintStream out, CancellationToken cancel) {
        this.out = out;
        this.cancel = cancel;
    }

    /**
     * Runs every work in its own child JVM and prints the table.
     *
     * @param a options: preset, steps per work, leading steps to leave out
     * @return the exit code
     * @throws IOException if a child cannot be started or fails
     */
    int run(Args a) throws IOException {
        String preset = a.get("preset", "fast");
        int steps = Integer.parseInt(a.get("steps", "150"));
        int skip = Integer.parseInt(a.get("skip", String.valueOf(steps / 3)));
        if (steps <= skip || skip < 0) {
            throw new IllegalArgumentException("--steps (" + steps + ") must exceed --skip (" + skip + ")");
        }
        UtadConfig config = config(preset);
        WorkCount.Row count = WorkCount.of(config, config.imageSize());
        WorkCount.Row one = WorkCount.of(PeerWork.oneSample(config), config.imageSize());
        long[] flops = {count.stage1(), count.stage2(), PeerWork.TILE_BATCH * count.perTile(), one.stage1(),
            one.stage2()};
        out.println(String.format(Locale.ROOT, "Preset %s, %d px; %d steps per work, the first %d left out;"
                + " oneDNN's execution times (ONEDNN_VERBOSE=1), in a child JVM per work", preset,
                config.imageSize(), steps, skip));
        List<String> rows = new ArrayList<>();
        for (int w = 0; w < WORKS.size(); w++) {
            cancel.throwIfCancelled("the oneDNN benchmark");
            rows.add(measure(WORKS.get(w), preset, steps, skip, flops[w]));
            out.println(WORKS.get(w) + " done");
        }
        out.println();
        out.println(OnednnClock.header());
        rows.forEach(out::println);
        return Main.OK;
    }

    /** The preset as {@code bench-peer} times it (without the GAN terms). */
    private static UtadConfig config(String preset) {
        return PeerWork.withoutGan(Presets.get(preset));
    }

    /** Runs one work in a child JVM with oneDNN's verbose mode and returns its table row. */
    private String measure(String work, String preset, int steps, int skip, long flops) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx4g",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), OnednnBenchmark.class.getName(), work, preset,
                String.valueOf(steps), String.valueOf(skip));
        pb.environment().put("ONEDNN_VERBOSE", "1");
        Process child = pb.start();
        CompletableFuture<List<String>> errors = CompletableFuture.supplyAsync(() -> lines(child.getErrorStream()));
        List<String> output = lines(child.getInputStream());
        List<String> err = errors.join();
        int code;
        try {
            code = child.waitFor();
        } catch (InterruptedException e) {
            child.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while " + work + " ran", e);
        }
        String median = err.isEmpty() ? "" : err.get(err.size() - 1);
        if (code != 0 || !median.startsWith(MEDIAN)) {
            throw new IOException("The child JVM timing " + work + " failed (exit code " + code + "): "
                    + String.join("\n", err.subList(Math.max(0, err.size() - 10), err.size())));
        }
        double stepMs = Double.parseDouble(median.substring(MEDIAN.length()));
        return OnednnClock.of(output, steps, skip).row(work, stepMs, flops);
    }

    private static List<String> lines(java.io.InputStream stream) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            return r.lines().toList();
        } catch (IOException e) {
            return List.of("could not read the child's output: " + e.getMessage());
        }
    }

    /**
     * The child: runs one work of {@code bench-peer} a number of times and prints the median time of
     * the steps after the skipped ones as its last line of standard error.
     *
     * @param args the work (one of {@link #WORKS}), the preset, the number of steps, the steps to skip
     */
    public static void main(String[] args) {
        String work = args[0];
        UtadConfig config = config(args[1]);
        int steps = Integer.parseInt(args[2]);
        int skip = Integer.parseInt(args[3]);
        Engines.offline();
        Engines.engine();
        Engine.getInstance().setRandomSeed((int) config.seed());
        try (NDManager manager = NDManager.newBaseManager()) {
            UtadNetworks nets = UtadNetworks.create(config, 1, manager, false);
            Runnable step = PeerWork.networkSteps(nets, manager, config).get(work);
            if (step == null) {
                throw new IllegalArgumentException("Unknown work " + work + "; one of " + WORKS);
            }
            for (int i = 0; i < skip; i++) {
                step.run();
            }
            double median = PeerBenchmark.median(step, steps - skip);
            System.out.flush();
            System.err.println(String.format(Locale.ROOT, "%s%.3f", MEDIAN, median));
        }
    }
}
