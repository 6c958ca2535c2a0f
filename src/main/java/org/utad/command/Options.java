package org.utad.command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one list of option keys, defaults and choices that the SciJava commands, the ImageJ 1.x
 * twins, their dialogs and docs/MACROS.md share, so a setting is called and defaults the same
 * everywhere. Keys are short lower_snake_case words, as ImageJ macros write them.
 */
public final class Options {
    /** Key of the open image (its title) to use as input; the current image when absent. */
    public static final String IMAGES = "images";
    /** Key of the open image to detect on (its title); the current image when absent. */
    public static final String IMAGE = "image";
    /** Key of an input folder, used instead of an open image. */
    public static final String FOLDER = "folder";
    /** Key of the model file (written by training, read by detection). */
    public static final String MODEL = "model";
    /** Key of the output folder of folder detection. */
    public static final String OUTPUT = "output";
    /** Key of the preset name. */
    public static final String PRESET = "preset";
    /** Key of the network input size in pixels; 0 keeps the preset's. */
    public static final String IMAGE_SIZE = "image_size";
    /** Key of stage 1 iterations; 0 keeps the preset's. */
    public static final String ITERATIONS1 = "iterations1";
    /** Key of stage 2 iterations; 0 keeps the preset's. */
    public static final String ITERATIONS2 = "iterations2";
    /** Key of the input mode, resize or patch. */
    public static final String MODE = "mode";
    /** Key of the share of images held out for validation and calibration. */
    public static final String VALIDATION = "validation";
    /** Key of the device, auto, cpu or gpu. */
    public static final String DEVICE = "device";
    /** Key of the training seed. */
    public static final String SEED = "seed";
    /** Key of the flag that allows replacing existing files. */
    public static final String OVERWRITE = "overwrite";
    /** Key of the flag that continues training from a checkpoint. */
    public static final String RESUME = "resume";
    /** Key of free-form configuration overrides, {@code key=value} pairs separated by spaces or ';'. */
    public static final String SETTINGS = "settings";
    /** Key of the channel conversion policy, none or auto. */
    public static final String CONVERSION = "conversion";
    /** Key of the detection method, utad or baseline. */
    public static final String METHOD = "method";
    /** Key of the flag that outputs binary masks. */
    public static final String MASKS = "masks";
    /** Key of the flag that outputs impression and expert reconstruction stacks. */
    public static final String INTERMEDIATES = "intermediates";
    /** Key of the flag that adds anomalous regions to the ROI Manager. */
    public static final String ADD_ROIS = "add_rois";
    /** Key of the share of a folder's images to process, {@code i/n}, for cluster array jobs. */
    public static final String SHARD = "shard";
    /** Key of the labelled dataset folder (MVTec-AD layout) to evaluate on. */
    public static final String DATA = "data";

    /** Preset choices, in order of cost (the first is the default). */
    public static final String PRESET_FAST = "fast";
    /** Mode choice that keeps the preset's own mode (patch for fast and balanced, resize for paper). */
    public static final String MODE_PRESET = "preset";
    /** Mode choice: scale whole images to the network size. */
    public static final String MODE_RESIZE = "resize";
    /** Mode choice: crop and tile at native resolution. */
    public static final String MODE_PATCH = "patch";
    /** Device choice: the GPU when usable, else the CPU. */
    public static final String DEVICE_AUTO = "auto";
    /** Conversion choice: refuse channel mismatches. */
    public static final String CONVERSION_NONE = "none";
    /** Method choice: full two-stage UTAD. */
    public static final String METHOD_UTAD = "utad";
    /** Default share of images held out (the presets' share). */
    public static final double DEFAULT_VALIDATION = 0.15;
    /** Default training seed (the presets' seed). */
    public static final long DEFAULT_SEED = 42;

    /** Help of {@code images}, for dialogs, tooltips and docs. */
    public static final String HELP_IMAGES = "title of the open image/stack of normal images (default: the current"
            + " image); ignored when folder is given";
    /** Help of {@code folder} in train, for dialogs, tooltips and docs. */
    public static final String HELP_FOLDER_TRAIN = "folder of normal images, used instead of an open image";
    /** Help of {@code folder} in detect, for dialogs, tooltips and docs. */
    public static final String HELP_FOLDER_DETECT = "folder of images, used instead of an open image";
    /** Help of {@code model} in train, for dialogs, tooltips and docs. */
    public static final String HELP_MODEL_TRAIN = "the model file to write";
    /** Help of {@code model} in detect, for dialogs, tooltips and docs. */
    public static final String HELP_MODEL_DETECT = "the model file";
    /** Help of {@code model} in evaluate, for dialogs, tooltips and docs. */
    public static final String HELP_MODEL_EVALUATE = "the model file";
    /** Help of {@code model} in info, for dialogs, tooltips and docs. */
    public static final String HELP_MODEL_INFO = "the model file to describe";
    /** Help of {@code preset}, for dialogs, tooltips and docs. */
    public static final String HELP_PRESET = "network size and schedule";
    /** Help of {@code image_size}, for dialogs, tooltips and docs. */
    public static final String HELP_IMAGE_SIZE = "network input size in px, a multiple of 32; 0 = the preset's";
    /** Help of {@code iterations1}, for dialogs, tooltips and docs. */
    public static final String HELP_ITERATIONS1 = "stage 1 (IE-Net) iterations; 0 = the preset's";
    /** Help of {@code iterations2}, for dialogs, tooltips and docs. */
    public static final String HELP_ITERATIONS2 = "stage 2 (Expert-Net) iterations; 0 = the preset's";
    /** Help of {@code mode}, for dialogs, tooltips and docs. */
    public static final String HELP_MODE = "the preset's mode, resize whole images, or train on patches at native"
            + " resolution";
    /** Help of {@code validation}, for dialogs, tooltips and docs. */
    public static final String HELP_VALIDATION = "share of images held out to calibrate thresholds, in [0, 1)";
    /** Help of {@code device}, for dialogs, tooltips and docs. */
    public static final String HELP_DEVICE = "where to compute";
    /** Help of {@code seed}, for dialogs, tooltips and docs. */
    public static final String HELP_SEED = "seed of every random choice";
    /** Help of {@code settings}, for dialogs, tooltips and docs. */
    public static final String HELP_SETTINGS = "further configuration overrides, key=value pairs separated by spaces"
            + " or ';' (e.g. ie_net.filters=16)";
    /** Help of {@code settings} in detect and evaluate, for dialogs, tooltips and docs. */
    public static final String HELP_SETTINGS_DETECT = "detection overrides, detect.* key=value pairs separated by"
            + " spaces or ';' (e.g. detect.tile_size=128 detect.score_margin=0), as bin/utad's --set";
    /** Help of {@code overwrite} in train, for dialogs, tooltips and docs. */
    public static final String HELP_OVERWRITE_TRAIN = "replace an existing model file";
    /** Help of {@code overwrite} in detect, for dialogs, tooltips and docs. */
    public static final String HELP_OVERWRITE_DETECT = "replace existing files in the output folder";
    /** Help of {@code overwrite} in evaluate, for dialogs, tooltips and docs. */
    public static final String HELP_OVERWRITE_EVALUATE = "replace existing tables and figures in the output folder";
    /** Help of {@code resume}, for dialogs, tooltips and docs. */
    public static final String HELP_RESUME = "continue from the checkpoint of a cancelled run";
    /** Help of {@code image}, for dialogs, tooltips and docs. */
    public static final String HELP_IMAGE = "title of the open image/stack to examine (default: the current image);"
            + " ignored when folder is given";
    /** Help of {@code output} in detect, for dialogs, tooltips and docs. */
    public static final String HELP_OUTPUT_DETECT = "folder for heatmap TIFFs and scores.csv (required with folder)";
    /** Help of {@code output} in evaluate, for dialogs, tooltips and docs. */
    public static final String HELP_OUTPUT_EVALUATE = "folder for the metrics tables (csv, json), roc.png, pro.png"
            + " and one gallery PNG per test folder";
    /** Help of {@code conversion}, for dialogs, tooltips and docs. */
    public static final String HELP_CONVERSION = "convert RGB to grey or grey to RGB when the model wants the other";
    /** Help of {@code method}, for dialogs, tooltips and docs. */
    public static final String HELP_METHOD = "two-stage UTAD, the one-stage baseline, or the expert residual alone";
    /** Help of {@code masks}, for dialogs, tooltips and docs. */
    public static final String HELP_MASKS = "also output binary masks (calibrated models)";
    /** Help of {@code intermediates}, for dialogs, tooltips and docs. */
    public static final String HELP_INTERMEDIATES = "also output impression, expert reconstruction and expert variance stacks";
    /** Help of {@code add_rois}, for dialogs, tooltips and docs. */
    public static final String HELP_ADD_ROIS = "add anomalous regions to the ROI Manager";
    /** Help of {@code shard}, for dialogs, tooltips and docs. */
    public static final String HELP_SHARD = "folder input only: i/n processes only the i-th of n shares of the images"
            + " and writes scores.part-i-of-n.csv (cluster array jobs)";
    /** Help of {@code data}, for dialogs, tooltips and docs. */
    public static final String HELP_DATA = "dataset folder in the MVTec-AD layout (test/good, test/<defect>,"
            + " ground_truth/<defect>/<name>_mask.png)";

    /** The kinds of value an option takes, which decide how dialogs show and parsers read it. */
    public enum Kind {
        /** A free text. */
        TEXT,
        /** The path of an existing file to read. */
        FILE,
        /** The path of a file the command writes (the dialog offers a Save chooser for it). */
        NEW_FILE,
        /** A folder path. */
        FOLDER,
        /** One of a fixed list of words. */
        CHOICE,
        /** An integer. */
        INT,
        /** A decimal number. */
        NUMBER,
        /** A flag: present (or {@code =true}) means on. */
        FLAG
    }

    /**
     * One option of a command.
     *
     * @param key      the macro key
     * @param kind     what it takes
     * @param fallback its default as text ("" for none)
     * @param required whether a macro call must give it
     * @param choices  the accepted words of a choice, else empty
     * @param help     one line for dialogs and docs
     */
    public record Spec(String key, Kind kind, String fallback, boolean required, List<String> choices, String help) {
        /** @return "key=..." as a user would write it in a macro */
        public String example() {
            return kind == Kind.FLAG ? key : key + "=" + (fallback.isEmpty() ? "[...]" : fallback);
        }
    }

    /** The options of training. */
    public static final List<Spec> TRAIN = List.of(
            new Spec(IMAGES, Kind.TEXT, "", false, List.of(), HELP_IMAGES),
            new Spec(FOLDER, Kind.FOLDER, "", false, List.of(), HELP_FOLDER_TRAIN),
            new Spec(MODEL, Kind.NEW_FILE, "", true, List.of(), HELP_MODEL_TRAIN),
            new Spec(PRESET, Kind.CHOICE, PRESET_FAST, false, List.of("fast", "balanced", "paper"),
                    HELP_PRESET),
            new Spec(IMAGE_SIZE, Kind.INT, "0", false, List.of(), HELP_IMAGE_SIZE),
            new Spec(ITERATIONS1, Kind.INT, "0", false, List.of(), HELP_ITERATIONS1),
            new Spec(ITERATIONS2, Kind.INT, "0", false, List.of(), HELP_ITERATIONS2),
            new Spec(MODE, Kind.CHOICE, MODE_PRESET, false, List.of(MODE_PRESET, MODE_RESIZE, MODE_PATCH),
                    HELP_MODE),
            new Spec(VALIDATION, Kind.NUMBER, "0.15", false, List.of(), HELP_VALIDATION),
            new Spec(DEVICE, Kind.CHOICE, DEVICE_AUTO, false, List.of("auto", "cpu", "gpu"), HELP_DEVICE),
            new Spec(SEED, Kind.INT, "42", false, List.of(), HELP_SEED),
            new Spec(SETTINGS, Kind.TEXT, "", false, List.of(), HELP_SETTINGS),
            new Spec(OVERWRITE, Kind.FLAG, "false", false, List.of(), HELP_OVERWRITE_TRAIN),
            new Spec(RESUME, Kind.FLAG, "false", false, List.of(), HELP_RESUME));

    /** The options of detection. */
    public static final List<Spec> DETECT = List.of(
            new Spec(IMAGE, Kind.TEXT, "", false, List.of(), HELP_IMAGE),
            new Spec(FOLDER, Kind.FOLDER, "", false, List.of(), HELP_FOLDER_DETECT),
            new Spec(MODEL, Kind.FILE, "", true, List.of(), HELP_MODEL_DETECT),
            new Spec(OUTPUT, Kind.FOLDER, "", false, List.of(), HELP_OUTPUT_DETECT),
            new Spec(CONVERSION, Kind.CHOICE, CONVERSION_NONE, false, List.of("none", "auto"),
                    HELP_CONVERSION),
            new Spec(METHOD, Kind.CHOICE, METHOD_UTAD, false, List.of("utad", "baseline", "expert"),
                    HELP_METHOD),
            new Spec(DEVICE, Kind.CHOICE, DEVICE_AUTO, false, List.of("auto", "cpu", "gpu"), HELP_DEVICE),
            new Spec(MASKS, Kind.FLAG, "false", false, List.of(), HELP_MASKS),
            new Spec(INTERMEDIATES, Kind.FLAG, "false", false, List.of(), HELP_INTERMEDIATES),
            new Spec(ADD_ROIS, Kind.FLAG, "false", false, List.of(), HELP_ADD_ROIS),
            new Spec(OVERWRITE, Kind.FLAG, "false", false, List.of(), HELP_OVERWRITE_DETECT),
            new Spec(SHARD, Kind.TEXT, "", false, List.of(), HELP_SHARD),
            new Spec(SETTINGS, Kind.TEXT, "", false, List.of(), HELP_SETTINGS_DETECT));

    /** The options of evaluation. */
    public static final List<Spec> EVALUATE = List.of(
            new Spec(MODEL, Kind.FILE, "", true, List.of(), HELP_MODEL_EVALUATE),
            new Spec(DATA, Kind.FOLDER, "", true, List.of(), HELP_DATA),
            new Spec(OUTPUT, Kind.FOLDER, "", true, List.of(), HELP_OUTPUT_EVALUATE),
            new Spec(METHOD, Kind.CHOICE, METHOD_UTAD, false, List.of("utad", "baseline", "expert"),
                    HELP_METHOD),
            new Spec(CONVERSION, Kind.CHOICE, CONVERSION_NONE, false, List.of("none", "auto"),
                    HELP_CONVERSION),
            new Spec(DEVICE, Kind.CHOICE, DEVICE_AUTO, false, List.of("auto", "cpu", "gpu"), HELP_DEVICE),
            new Spec(OVERWRITE, Kind.FLAG, "false", false, List.of(), HELP_OVERWRITE_EVALUATE),
            new Spec(SETTINGS, Kind.TEXT, "", false, List.of(), HELP_SETTINGS_DETECT));

    /** The options of Model Info. */
    public static final List<Spec> INFO = List.of(
            new Spec(MODEL, Kind.FILE, "", true, List.of(), HELP_MODEL_INFO));

    private Options() {
    }

    /**
     * Tells whether a path option was left empty, which the commands read as "not given" (SciJava
     * file parameters default to an empty path so that macro replay never opens a chooser).
     *
     * @param f a file or folder option, possibly null
     * @return true when null or an empty path
     */
    public static boolean isUnset(java.io.File f) {
        return f == null || f.getPath().isBlank();
    }

    /**
     * Reads free-form overrides, the {@code settings} of training, detection and evaluation.
     *
     * @param settings {@code key=value} pairs separated by spaces or ';'; null or blank for none
     * @return key to value, in order
     * @throws IllegalArgumentException for a pair without '='
     */
    static Map<String, String> overrides(String settings) {
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
     * @param word the user's word
     * @return it trimmed and in lower case
     */
    static String word(String word) {
        return word == null ? "" : word.trim().toLowerCase(Locale.ROOT);
    }
}
