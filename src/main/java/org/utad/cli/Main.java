package org.utad.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.utad.api.BatchDetection;
import org.utad.api.ScoresCsv;
import org.utad.api.Shard;
import org.utad.api.TrainParams;
import org.utad.api.TrainSummary;
import org.utad.api.Utad;
import org.utad.config.Presets;
import org.utad.config.TrainingChoices;
import org.utad.config.UserOptions;
import org.utad.config.UtadConfig;
import org.utad.core.CancellationToken;
import org.utad.core.CancelledException;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;
import org.utad.core.ModelFormatException;
import org.utad.core.ProgressListener;
import org.utad.core.UtadException;
import org.utad.data.FolderReadResult;
import org.utad.data.ImageFolder;
import org.utad.engine.DeviceChoice;
import org.utad.engine.Engines;
import org.utad.infer.DetectOptions;
import org.utad.infer.Detector;
import org.utad.imagej.IjEvaluationFigures;
import org.utad.imagej.IjImageLoader;
import org.utad.imagej.IjImageSaver;
import org.utad.io.Manifest;
import org.utad.io.ModelBundle;

/**
 * The command-line front end: train, detect, info and engine over folders, from a terminal or a
 * batch script, through the same facade as the Fiji commands.
 *
 * <p>Exit codes: 0 success; 1 internal error (a bug: the stack trace is printed); 2 usage error
 * (unknown option, missing value); 3 invalid input or model file (the message says what to fix);
 * 4 cancelled (Ctrl-C; a training checkpoint is kept for resume).
 */
public final class Main {
    /** Exit code of success. */
    public static final int OK = 0;
    /** Exit code of an internal error. */
    public static final int INTERNAL_ERROR = 1;
    /** Exit code of a command-line mistake. */
    public static final int USAGE = 2;
    /** Exit code of unusable input or model files. */
    public static final int INVALID_INPUT = 3;
    /** Exit code of a cancelled job. */
    public static final int CANCELLED = 4;

    private static final String DEVICES = words(UserOptions.DEVICES);
    private static final String METHODS = words(UserOptions.METHODS);
    private static final String CONVERSIONS = words(UserOptions.CONVERSIONS);

    /** The text of {@code utad --help}; its user options are those of {@link UserOptions}. */
    static final String USAGE_TEXT = String.join("\n",
            "UTAD for Fiji - unsupervised two-stage anomaly detection",
            "",
            "Usage: utad <command> [options]",
            "  train   --folder DIR --model FILE [--preset " + words(Presets.NAMES) + "] [--image_size N]",
            "          [--iterations1 N] [--iterations2 N] [--mode " + words(UserOptions.MODES) + "] [--validation F]",
            "          [--seed N] [--settings \"key=value ...\"] [--set key=value]... [--device " + DEVICES + "]",
            "          [--overwrite] [--resume] [--skip_bad]",
            "  detect  --model FILE --folder DIR --output DIR [--masks] [--overwrite] [--conversion " + CONVERSIONS + "]",
            "          [--method " + METHODS + "] [--device " + DEVICES + "] [--settings \"detect.key=value ...\"]",
            "          [--set detect.key=value]... [--shard i/n]   (only the i-th of n shares of the images;",
            "          writes scores.part-i-of-n.csv)",
            "  merge-scores --output DIR [--overwrite]   (joins the shard tables of DIR into scores.csv)",
            "  evaluate --model FILE --data DIR --output DIR [--method " + METHODS + "] [--conversion " + CONVERSIONS
                    + "]",
            "          [--device " + DEVICES + "] [--settings \"detect.key=value ...\"] [--set detect.key=value]..."
                    + " [--overwrite]",
            "  info    --model FILE",
            "  demo    [--data test-data/texture] [--work target/demo]   (train, detect, evaluate on the demo data)",
            "  engine",
            "Options are spelled as the macros' keys (docs/MACROS.md); older spellings still work: --images (train)",
            "and --input (detect) for --folder, --skip-bad for --skip_bad.",
            "Exit codes: 0 ok, 1 internal error, 2 usage error, 3 invalid input or model, 4 cancelled.");

    private final PrintStream out;
    private final PrintStream err;
    private final CancellationToken cancel;

    /**
     * @param out    where results and progress go
     * @param err    where errors go
     * @param cancel cancels the running job (the launcher wires Ctrl-C to it)
     */
    public Main(PrintStream out, PrintStream err, CancellationToken cancel) {
        this.out = out;
        this.err = err;
        this.cancel = cancel;
    }

    /**
     * Runs the CLI and exits with its code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        Engines.offline();
        SignalGate.runAndExit(cancel -> new Main(System.out, System.err, cancel).run(args));
    }

    /**
     * Runs one command.
     *
     * @param args the command line
     * @return the exit code
     */
    public int run(String... args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            out.println(USAGE_TEXT);
            return args.length == 0 ? USAGE : OK;
        }
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        try {
            switch (args[0]) {
                case "train":
                    return train(new Args(rest, UserOptions.TRAIN));
                case "detect":
                    return detect(new Args(rest, UserOptions.DETECT));
                case "merge-scores":
                    return mergeScores(new Args(rest, Set.of("output"), Set.of("overwrite")));
                case "info":
                    return info(new Args(rest, UserOptions.INFO));
                case "evaluate":
                    return evaluate(new Args(rest, UserOptions.EVALUATE));
                case "demo":
                    return new Demo(out, cancel).run(new Args(rest, Set.of("data", "work", "device"), Set.of()));
                case "engine":
                    new Args(rest, Set.of(), Set.of());
                    out.println(Engines.describe());
                    return OK;
                default:
                    err.println("Unknown command '" + args[0] + "'.\n" + USAGE_TEXT);
                    return USAGE;
            }
        } catch (Args.UsageException | IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            err.println("Run 'utad --help' for usage.");
            return USAGE;
        } catch (CancelledException e) {
            err.println(e.getMessage());
            return CANCELLED;
        } catch (InvalidInputException | ModelFormatException e) {
            err.println("Error: " + e.getMessage());
            return INVALID_INPUT;
        } catch (UtadException e) {
            err.println("Error: " + e.getMessage());
            return INVALID_INPUT;
        } catch (java.io.IOException e) {
            err.println("Error: " + e.getMessage());
            return INVALID_INPUT;
        } catch (RuntimeException e) {
            err.println("Internal error (please report it with these lines): " + e);
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t != e) {
                    err.println("Caused by: " + t);
                }
                for (StackTraceElement frame : t.getStackTrace()) {
                    err.println("\tat " + frame);
                }
            }
            return INTERNAL_ERROR;
        }
    }

    private int train(Args a) {
        Path images = Path.of(a.required(UserOptions.FOLDER));
        Path model = Path.of(a.required(UserOptions.MODEL));
        TrainingChoices choices = trainingChoices(a);
        boolean settingsGiven = a.get(UserOptions.PRESET, null) != null || choices.changesPreset();
        Optional<UtadConfig> saved = a.flag(UserOptions.RESUME) && !settingsGiven ? Utad.checkpointSettings(model)
                : Optional.empty();
        UtadConfig config = saved.orElseGet(choices::config);
        if (saved.isPresent()) {
            out.println("Resuming with the settings the run started with (preset " + config.preset() + ", as saved"
                    + " in its checkpoint).");
        }
        FolderReadResult read = ImageFolder.read(images, new IjImageLoader(), !a.flag(UserOptions.SKIP_BAD));
        out.println(read.summary());
        List<FloatImage> list = read.images();
        TrainSummary s = Utad.train(new TrainParams(list, config, model, a.flag(UserOptions.OVERWRITE),
                device(a), a.flag(UserOptions.RESUME)), progress(), cancel);
        out.println(s.text());
        return OK;
    }

    /**
     * Reads the training settings of the command line into the same typed choices as the Fiji
     * dialog: options not given keep the preset's values, and {@code --settings} and {@code --set}
     * are applied last. Public so that a test can hold it against the Fiji path.
     *
     * @param a the parsed options of {@code train}
     * @return the choices
     * @throws Args.UsageException for a size, count or share that is not a number
     */
    public static TrainingChoices trainingChoices(Args a) {
        Long seed = a.get(UserOptions.SEED, null) == null ? null : a.integer(UserOptions.SEED, 0);
        return new TrainingChoices(a.get(UserOptions.PRESET, UserOptions.DEFAULT_PRESET),
                (int) a.integer(UserOptions.IMAGE_SIZE, 0), (int) a.integer(UserOptions.ITERATIONS1, 0),
                (int) a.integer(UserOptions.ITERATIONS2, 0), a.get(UserOptions.MODE, UserOptions.MODE_PRESET),
                a.number(UserOptions.VALIDATION), seed, a.overrides());
    }

    private static DeviceChoice device(Args a) {
        return DeviceChoice.parse(a.get(UserOptions.DEVICE, UserOptions.DEVICE_AUTO));
    }

    private static String words(List<String> choices) {
        return String.join("|", choices);
    }

    private int detect(Args a) {
        Path model = Path.of(a.required(UserOptions.MODEL));
        Path input = Path.of(a.required(UserOptions.FOLDER));
        Path output = Path.of(a.required(UserOptions.OUTPUT));
        Shard shard = Shard.parse(a.get(UserOptions.SHARD, ""));
        try (Detector d = Utad.open(model, device(a))) {
            DetectOptions o = options(d.manifest().config(), a);
            BatchDetection.Summary s = BatchDetection.run(d, input, output, o, a.flag(UserOptions.MASKS),
                    a.flag(UserOptions.OVERWRITE), shard, new IjImageLoader(), new IjImageSaver(), progress(), cancel);
            out.println(s.text());
            d.fallbackMessages().forEach(m -> out.println("Note: " + m));
            return OK;
        }
    }

    /**
     * Builds detection options from the model's defaults and the command line, through the same
     * {@link Utad#detectOptions} as the Fiji commands. Public so that a test can hold it against
     * the Fiji path.
     *
     * @param model the model's configuration
     * @param a     parsed options of {@code detect} or {@code evaluate}
     * @return the options
     * @throws IllegalArgumentException naming a bad word, or a setting that is not a detect.* key
     */
    public static DetectOptions options(UtadConfig model, Args a) {
        return Utad.detectOptions(model, a.overrides(), a.get(UserOptions.CONVERSION, UserOptions.CONVERSION_NONE),
                a.get(UserOptions.METHOD, UserOptions.METHOD_UTAD));
    }

    private int evaluate(Args a) {
        Path model = Path.of(a.required(UserOptions.MODEL));
        Path data = Path.of(a.required(UserOptions.DATA));
        Path output = Path.of(a.required(UserOptions.OUTPUT));
        try (Detector d = Utad.open(model, device(a))) {
            org.utad.api.Evaluate.Summary s = org.utad.api.Evaluate.run(d, options(d.manifest().config(), a), data,
                    output, a.flag(UserOptions.OVERWRITE), new IjImageLoader(), new IjEvaluationFigures(), progress(),
                    cancel);
            out.println(s.text());
            d.fallbackMessages().forEach(m -> out.println("Note: " + m));
            return OK;
        }
    }

    private int mergeScores(Args a) {
        ScoresCsv.Merge m = ScoresCsv.mergeShards(Path.of(a.required("output")), a.flag("overwrite"));
        out.println(m.text());
        return OK;
    }

    private int info(Args a) {
        Path model = Path.of(a.required(UserOptions.MODEL));
        Manifest m = ModelBundle.readManifest(model);
        out.println(org.utad.api.ModelInfo.describe(model, m));
        return OK;
    }

    private ProgressListener progress() {
        return new ConsoleProgress(out, 5);
    }

}
