package org.utad.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.utad.cli.Args;
import org.utad.cli.Main;
import org.utad.cli.SignalGate;
import org.utad.core.CancellationToken;
import org.utad.core.CancelledException;
import org.utad.core.UtadException;
import org.utad.engine.Engines;

/**
 * The entry point of the developer benchmarks of docs/BENCHMARKS.md (quality against the
 * baselines, training and detection speed, the PyTorch peer, operation counts, detection
 * ablations). They live apart from the user's command line because they reach below the facade
 * (the trainer, the networks) to time exactly the work training and detection do.
 *
 * <p>{@code bin/utad-bench} starts it, and {@code bin/utad} forwards the benchmark words to it, so
 * that {@code bin/utad bench-peer ...} keeps working as the benchmark records give it. Exit codes
 * are those of {@link Main}.
 *
 * @param out    where results and progress go
 * @param err    where errors go
 * @param cancel cancels the running benchmark (the launcher wires Ctrl-C to it)
 */
public record BenchMain(PrintStream out, PrintStream err, CancellationToken cancel) {
    private static final String USAGE_TEXT = String.join("\n",
            "UTAD for Fiji - developer benchmarks (docs/BENCHMARKS.md)",
            "",
            "Usage: utad-bench <command> [options]   (bin/utad <command> forwards these too)",
            "  benchmark --data DIR [--preset fast] [--seed N] [--set key=value]... [--table docs/BENCHMARKS.md]",
            "  bench-train [--presets fast,balanced,paper] [--sizes 64,128,256] [--iterations 6] [--max-batch N]",
            "  bench-detect [--preset fast] [--count 20] [--size 256] [--large 4096]",
            "  bench-flops [--sizes 64,128,256]",
            "  bench-peer [--preset fast] [--rounds 5] [--repeats 5] [--settle 240] [--python /usr/bin/python3]"
                    + " [--profile WORK]",
            "  bench-onednn [--preset fast] [--steps 150] [--skip 50]",
            "  ablate  --model FILE --data DIR --output DIR [--per-type 20] [--seed 1]"
                    + " [--variants \"utad;expert:own_code;utad:own_code,range,reflect@8\"]",
            "Exit codes: 0 ok, 1 internal error, 2 usage error, 3 invalid input or model, 4 cancelled.");

    /** The words this entry point takes, which {@code bin/utad} forwards to it. */
    public static final Set<String> COMMANDS = Set.of("benchmark", "bench-train", "bench-detect", "bench-flops",
            "bench-peer", "bench-onednn", "ablate");

    /**
     * Runs one benchmark and exits with its code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        Engines.offline();
        SignalGate.runAndExit(cancel -> new BenchMain(System.out, System.err, cancel).run(args));
    }

    /**
     * Runs one benchmark command, or prints the usage for {@code --help} (and, as a usage error,
     * for no command at all).
     *
     * @param args the command line: a word of {@link #COMMANDS} and its options
     * @return the exit code
     */
    public int run(String... args) {
        String command = args.length == 0 ? "" : args[0];
        List<String> rest = args.length == 0 ? List.of() : Arrays.asList(args).subList(1, args.length);
        try {
            return dispatch(command, rest);
        } catch (IOException | RuntimeException e) {
            return failed(e);
        }
    }

    private int dispatch(String command, List<String> rest) throws IOException {
        switch (command) {
            case "benchmark":
                return new Benchmarks(out, cancel).quality(new Args(rest,
                        Set.of("data", "preset", "seed", "work", "table"), Set.of()));
            case "bench-train":
                return new Benchmarks(out, cancel).training(new Args(rest,
                        Set.of("presets", "sizes", "iterations", "max-batch"), Set.of()));
            case "bench-detect":
                return new Benchmarks(out, cancel).detection(new Args(rest,
                        Set.of("preset", "count", "large", "size", "work"), Set.of()));
            case "bench-peer":
                return new PeerBenchmark(out, cancel).run(new Args(rest,
                        Set.of("preset", "rounds", "repeats", "warmup", "settle", "work", "python", "script",
                                "profile"),
                        Set.of()));
            case "bench-onednn":
                return new OnednnBenchmark(out, cancel).run(new Args(rest, Set.of("preset", "steps", "skip"),
                        Set.of()));
            case "bench-flops":
                WorkCount.print(Arrays.stream(new Args(rest, Set.of("sizes"), Set.of()).get("sizes", "64,128,256")
                        .split(",")).mapToInt(Integer::parseInt).toArray(), out);
                return Main.OK;
            case "ablate":
                return new Ablation(out, cancel).run(new Args(rest,
                        Set.of("model", "data", "output", "per-type", "seed", "variants"), Set.of()));
            case "help", "--help":
                out.println(USAGE_TEXT);
                return Main.OK;
            case "":
                out.println(USAGE_TEXT);
                return Main.USAGE;
            default:
                err.println("Unknown command '" + command + "'.\n" + USAGE_TEXT);
                return Main.USAGE;
        }
    }

    /**
     * Says why a benchmark stopped and picks the exit code, by the same rules as {@code utad}: a
     * mistake in the command line, a cancellation, unusable input, or a bug with its stack trace.
     */
    private int failed(Exception e) {
        if (e instanceof Args.UsageException || e instanceof IllegalArgumentException) {
            err.println("Error: " + e.getMessage());
            err.println("Run 'utad-bench --help' for usage.");
            return Main.USAGE;
        }
        if (e instanceof CancelledException) {
            err.println(e.getMessage());
            return Main.CANCELLED;
        }
        if (e instanceof UtadException || e instanceof IOException) {
            err.println("Error: " + e.getMessage());
            return Main.INVALID_INPUT;
        }
        err.println("Internal error (please report it with these lines):");
        e.printStackTrace(err);
        return Main.INTERNAL_ERROR;
    }
}
