package org.utad.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.utad.config.OptionSpec.Type;
import org.utad.config.OptionSpec.Where;

/**
 * The one list of user-facing options of train, detect, evaluate and model info: their names,
 * types, defaults, choices and help. The SciJava commands name their fields and choices with these
 * constants, the ImageJ 1.x twins parse macros against {@link #TRAIN}, {@link #DETECT},
 * {@link #EVALUATE} and {@link #INFO}, the dialogs' help is generated from them, {@code bin/utad}
 * checks its options against them, and tests check docs/MACROS.md, the CLI usage text and the
 * commands' annotations against them.
 *
 * <p>The key constants are compile-time constants so that annotations can use them. Defaults come
 * from {@link Presets}; the device, method and conversion words belong to enums in rooms that config
 * may not import ({@code engine.DeviceChoice}, {@code infer.Method}, {@code infer.ColorConversion}),
 * so a test checks that these words are exactly the enums' names.
 */
public final class UserOptions {
    /** Key of the open image (its title) to train on; the current image when absent. */
    public static final String IMAGES = "images";
    /** Key of the open image to detect on (its title); the current image when absent. */
    public static final String IMAGE = "image";
    /** Key of an input folder: the normal images of training, the images of detection. */
    public static final String FOLDER = "folder";
    /** Key of the model file (written by training, read by detection). */
    public static final String MODEL = "model";
    /** Key of the output folder of folder detection and of evaluation. */
    public static final String OUTPUT = "output";
    /** Key of the preset name. */
    public static final String PRESET = "preset";
    /** Key of the network input size in pixels; 0 keeps the preset's. */
    public static final String IMAGE_SIZE = "image_size";
    /** Key of stage 1 iterations; 0 keeps the preset's ({@code stage1.iterations}). */
    public static final String ITERATIONS1 = "iterations1";
    /** Key of stage 2 iterations; 0 keeps the preset's ({@code stage2.iterations}). */
    public static final String ITERATIONS2 = "iterations2";
    /** Key of the input mode: the preset's, resize or patch. */
    public static final String MODE = "mode";
    /** Key of the share of images held out for validation and calibration ({@code validation_fraction}). */
    public static final String VALIDATION = "validation";
    /** Key of the device, auto, cpu or gpu. */
    public static final String DEVICE = "device";
    /** Key of the training seed. */
    public static final String SEED = "seed";
    /** Key of the flag that allows replacing existing files. */
    public static final String OVERWRITE = "overwrite";
    /** Key of the flag that continues training from a checkpoint. */
    public static final String RESUME = "resume";
    /** Key of the flag that skips unreadable files of a training folder (command line only). */
    public static final String SKIP_BAD = "skip_bad";
    /** Key of free-form configuration overrides, {@code key=value} pairs separated by spaces or ';'. */
    public static final String SETTINGS = "settings";
    /** Key of the channel conversion policy, none or auto. */
    public static final String CONVERSION = "conversion";
    /** Key of the detection method, utad, baseline or expert. */
    public static final String METHOD = "method";
    /** Key of the flag that outputs binary masks. */
    public static final String MASKS = "masks";
    /** Key of the flag that outputs the impression, expert reconstruction and expert variance stacks. */
    public static final String INTERMEDIATES = "intermediates";
    /** Key of the flag that adds anomalous regions to the ROI Manager. */
    public static final String ADD_ROIS = "add_rois";
    /** Key of the share of a folder's images to process, {@code i/n}, for cluster array jobs. */
    public static final String SHARD = "shard";
    /** Key of the labelled dataset folder (MVTec-AD layout) to evaluate on. */
    public static final String DATA = "data";

    /** Preset choice: the CPU preset, and the default (the first of {@link Presets#NAMES}). */
    public static final String PRESET_FAST = Presets.FAST;
    /** Preset choice: the middle preset. */
    public static final String PRESET_BALANCED = Presets.BALANCED;
    /** Preset choice: the paper's reference preset. */
    public static final String PRESET_PAPER = Presets.PAPER;
    /** Mode choice that keeps the preset's own mode (patch for fast and balanced, resize for paper). */
    public static final String MODE_PRESET = "preset";
    /** Mode choice: scale whole images to the network size ({@link Mode#RESIZE}). */
    public static final String MODE_RESIZE = "resize";
    /** Mode choice: crop and tile at native resolution ({@link Mode#PATCH}). */
    public static final String MODE_PATCH = "patch";
    /** Device choice: the GPU when usable, else the CPU. */
    public static final String DEVICE_AUTO = "auto";
    /** Device choice: always the CPU. */
    public static final String DEVICE_CPU = "cpu";
    /** Device choice: a CUDA GPU. */
    public static final String DEVICE_GPU = "gpu";
    /** Conversion choice: refuse channel mismatches. */
    public static final String CONVERSION_NONE = "none";
    /** Conversion choice: convert RGB to grey or grey to RGB when the model wants the other. */
    public static final String CONVERSION_AUTO = "auto";
    /** Method choice: full two-stage UTAD. */
    public static final String METHOD_UTAD = "utad";
    /** Method choice: the one-stage baseline. */
    public static final String METHOD_BASELINE = "baseline";
    /** Method choice: the expert residual alone. */
    public static final String METHOD_EXPERT = "expert";

    /** The default preset: the first, cheapest of {@link Presets#NAMES}. */
    public static final String DEFAULT_PRESET = Presets.NAMES.get(0);
    /** The default share of images held out: the default preset's. */
    public static final double DEFAULT_VALIDATION = Presets.get(DEFAULT_PRESET).validationFraction();
    /** The default training seed: the default preset's. */
    public static final long DEFAULT_SEED = Presets.get(DEFAULT_PRESET).seed();

    /** Help of {@code images}. */
    public static final String HELP_IMAGES = "title of the open image/stack of normal images (default: the current"
            + " image); ignored when folder is given";
    /** Help of {@code folder} in train. */
    public static final String HELP_FOLDER_TRAIN = "folder of normal images, used instead of an open image";
    /** Help of {@code folder} in detect. */
    public static final String HELP_FOLDER_DETECT = "folder of images, used instead of an open image";
    /** Help of {@code model} in train. */
    public static final String HELP_MODEL_TRAIN = "the model file to write";
    /** Help of {@code model} in detect and evaluate. */
    public static final String HELP_MODEL_DETECT = "the model file";
    /** Help of {@code model} in info. */
    public static final String HELP_MODEL_INFO = "the model file to describe";
    /** Help of {@code preset}. */
    public static final String HELP_PRESET = "network size and schedule";
    /** Help of {@code image_size}. */
    public static final String HELP_IMAGE_SIZE = "network input size in px, a multiple of 32; 0 = the preset's";
    /** Help of {@code iterations1}. */
    public static final String HELP_ITERATIONS1 = "stage 1 (IE-Net) iterations; 0 = the preset's";
    /** Help of {@code iterations2}. */
    public static final String HELP_ITERATIONS2 = "stage 2 (Expert-Net) iterations; 0 = the preset's";
    /** Help of {@code mode}. */
    public static final String HELP_MODE = "the preset's mode, resize whole images, or train on patches at native"
            + " resolution";
    /** Help of {@code validation}. */
    public static final String HELP_VALIDATION = "share of images held out to calibrate thresholds, in [0, 1)";
    /** Help of {@code device}. */
    public static final String HELP_DEVICE = "where to compute";
    /** Help of {@code seed}. */
    public static final String HELP_SEED = "seed of every random choice";
    /** Help of {@code settings} in train. */
    public static final String HELP_SETTINGS = "further configuration overrides, key=value pairs separated by spaces"
            + " or ';' (e.g. ie_net.filters=16)";
    /** Help of {@code settings} in detect and evaluate. */
    public static final String HELP_SETTINGS_DETECT = "detection overrides, detect.* key=value pairs separated by"
            + " spaces or ';' (e.g. detect.tile_size=128 detect.score_margin=0), as bin/utad's --set";
    /** Help of {@code overwrite} in train. */
    public static final String HELP_OVERWRITE_TRAIN = "replace an existing model file";
    /** Help of {@code overwrite} in detect. */
    public static final String HELP_OVERWRITE_DETECT = "replace existing files in the output folder";
    /** Help of {@code overwrite} in evaluate. */
    public static final String HELP_OVERWRITE_EVALUATE = "replace existing tables and figures in the output folder";
    /** Help of {@code resume}. */
    public static final String HELP_RESUME = "continue from the checkpoint of a cancelled run";
    /** Help of {@code skip_bad}. */
    public static final String HELP_SKIP_BAD = "skip unreadable files of the training folder instead of stopping";
    /** Help of {@code image}. */
    public static final String HELP_IMAGE = "title of the open image/stack to examine (default: the current image);"
            + " ignored when folder is given";
    /** Help of {@code output} in detect. */
    public static final String HELP_OUTPUT_DETECT = "folder for heatmap TIFFs and scores.csv (required with folder)";
    /** Help of {@code output} in evaluate. */
    public static final String HELP_OUTPUT_EVALUATE = "folder for the metrics tables (csv, json), roc.png, pro.png"
            + " and one gallery PNG per test folder";
    /** Help of {@code conversion}. */
    public static final String HELP_CONVERSION = "convert RGB to grey or grey to RGB when the model wants the other";
    /** Help of {@code method}. */
    public static final String HELP_METHOD = "two-stage UTAD, the one-stage baseline, or the expert residual alone";
    /** Help of {@code masks}. */
    public static final String HELP_MASKS = "also output binary masks (calibrated models)";
    /** Help of {@code intermediates}. */
    public static final String HELP_INTERMEDIATES = "also output impression, expert reconstruction and expert variance stacks";
    /** Help of {@code add_rois}. */
    public static final String HELP_ADD_ROIS = "add anomalous regions to the ROI Manager";
    /** Help of {@code shard}. */
    public static final String HELP_SHARD = "folder input only: i/n processes only the i-th of n shares of the images"
            + " and writes scores.part-i-of-n.csv (cluster array jobs)";
    /** Help of {@code data}. */
    public static final String HELP_DATA = "dataset folder in the MVTec-AD layout (test/good, test/<defect>,"
            + " ground_truth/<defect>/<name>_mask.png)";

    /** The device words, in the order of {@code engine.DeviceChoice}. */
    public static final List<String> DEVICES = List.of(DEVICE_AUTO, DEVICE_CPU, DEVICE_GPU);
    /** The method words, in the order of {@code infer.Method}. */
    public static final List<String> METHODS = List.of(METHOD_UTAD, METHOD_BASELINE, METHOD_EXPERT);
    /** The conversion words, in the order of {@code infer.ColorConversion}. */
    public static final List<String> CONVERSIONS = List.of(CONVERSION_NONE, CONVERSION_AUTO);
    /** The mode words: the preset's, then those of {@link Mode}. */
    public static final List<String> MODES = modes();

    private static final OptionSpec DEVICE_SPEC = choice(DEVICE, DEVICE_AUTO, DEVICES, HELP_DEVICE);
    private static final OptionSpec METHOD_SPEC = choice(METHOD, METHOD_UTAD, METHODS, HELP_METHOD);
    private static final OptionSpec CONVERSION_SPEC = choice(CONVERSION, CONVERSION_NONE, CONVERSIONS,
            HELP_CONVERSION);

    /** The options of training. */
    public static final List<OptionSpec> TRAIN = List.of(
            plain(IMAGES, Type.TEXT, "", HELP_IMAGES).only(Where.FIJI),
            plain(FOLDER, Type.FOLDER, "", HELP_FOLDER_TRAIN).alias(IMAGES),
            required(MODEL, Type.NEW_FILE, HELP_MODEL_TRAIN),
            choice(PRESET, DEFAULT_PRESET, Presets.NAMES, HELP_PRESET),
            plain(IMAGE_SIZE, Type.INT, "0", HELP_IMAGE_SIZE),
            plain(ITERATIONS1, Type.INT, "0", HELP_ITERATIONS1),
            plain(ITERATIONS2, Type.INT, "0", HELP_ITERATIONS2),
            choice(MODE, MODE_PRESET, MODES, HELP_MODE),
            plain(VALIDATION, Type.NUMBER, Double.toString(DEFAULT_VALIDATION), HELP_VALIDATION),
            DEVICE_SPEC,
            plain(SEED, Type.INT, Long.toString(DEFAULT_SEED), HELP_SEED),
            plain(SETTINGS, Type.TEXT, "", HELP_SETTINGS),
            flag(OVERWRITE, HELP_OVERWRITE_TRAIN),
            flag(RESUME, HELP_RESUME),
            flag(SKIP_BAD, HELP_SKIP_BAD).only(Where.CLI).alias("skip-bad"));

    /** The options of detection. */
    public static final List<OptionSpec> DETECT = List.of(
            plain(IMAGE, Type.TEXT, "", HELP_IMAGE).only(Where.FIJI),
            plain(FOLDER, Type.FOLDER, "", HELP_FOLDER_DETECT).alias("input"),
            required(MODEL, Type.FILE, HELP_MODEL_DETECT),
            plain(OUTPUT, Type.FOLDER, "", HELP_OUTPUT_DETECT),
            CONVERSION_SPEC,
            METHOD_SPEC,
            DEVICE_SPEC,
            flag(MASKS, HELP_MASKS),
            flag(INTERMEDIATES, HELP_INTERMEDIATES).only(Where.FIJI),
            flag(ADD_ROIS, HELP_ADD_ROIS).only(Where.FIJI),
            flag(OVERWRITE, HELP_OVERWRITE_DETECT),
            plain(SHARD, Type.TEXT, "", HELP_SHARD),
            plain(SETTINGS, Type.TEXT, "", HELP_SETTINGS_DETECT));

    /** The options of evaluation. */
    public static final List<OptionSpec> EVALUATE = List.of(
            required(MODEL, Type.FILE, HELP_MODEL_DETECT),
            required(DATA, Type.FOLDER, HELP_DATA),
            required(OUTPUT, Type.FOLDER, HELP_OUTPUT_EVALUATE),
            METHOD_SPEC,
            CONVERSION_SPEC,
            DEVICE_SPEC,
            flag(OVERWRITE, HELP_OVERWRITE_EVALUATE),
            plain(SETTINGS, Type.TEXT, "", HELP_SETTINGS_DETECT));

    /** The options of Model Info. */
    public static final List<OptionSpec> INFO = List.of(required(MODEL, Type.FILE, HELP_MODEL_INFO));

    private UserOptions() {
    }

    /**
     * @param specs a command's options
     * @return those that the Fiji commands and macros offer, in order
     */
    public static List<OptionSpec> fiji(List<OptionSpec> specs) {
        return specs.stream().filter(OptionSpec::inFiji).toList();
    }

    /**
     * @param specs a command's options
     * @return those that {@code bin/utad} offers, in order
     */
    public static List<OptionSpec> cli(List<OptionSpec> specs) {
        return specs.stream().filter(OptionSpec::inCli).toList();
    }

    /**
     * Reads free-form overrides, the {@code settings} of training, detection and evaluation, in the
     * one way every front end reads them.
     *
     * @param settings {@code key=value} pairs separated by spaces or ';'; null or blank for none
     * @return key to value, in order
     * @throws IllegalArgumentException for a pair without '='
     */
    public static Map<String, String> settings(String settings) {
        Map<String, String> out = new LinkedHashMap<>();
        if (settings == null || settings.isBlank()) {
            return out;
        }
        for (String pair : settings.trim().split("[;\\s]+")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Setting '" + pair + "' is not key=value (for example"
                        + " ie_net.filters=16 or detect.tile_size=128).");
            }
            out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return out;
    }

    /**
     * Normalises a choice word the way the parsers compare it.
     *
     * @param word the user's word, possibly null
     * @return it trimmed and in lower case ("" for null)
     */
    public static String word(String word) {
        return word == null ? "" : word.trim().toLowerCase(Locale.ROOT);
    }

    private static List<String> modes() {
        List<String> out = new ArrayList<>(List.of(MODE_PRESET));
        for (Mode m : Mode.values()) {
            out.add(m.name().toLowerCase(Locale.ROOT));
        }
        return List.copyOf(out);
    }

    private static OptionSpec plain(String key, Type type, String fallback, String help) {
        return OptionSpec.of(key, type, fallback, false, List.of(), help);
    }

    private static OptionSpec required(String key, Type type, String help) {
        return OptionSpec.of(key, type, "", true, List.of(), help);
    }

    private static OptionSpec choice(String key, String fallback, List<String> choices, String help) {
        return OptionSpec.of(key, Type.CHOICE, fallback, false, choices, help);
    }

    private static OptionSpec flag(String key, String help) {
        return OptionSpec.of(key, Type.FLAG, "false", false, List.of(), help);
    }
}
