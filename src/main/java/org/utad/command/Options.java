package org.utad.command;

import java.util.List;
import java.util.Locale;

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
            new Spec(IMAGES, Kind.TEXT, "", false, List.of(), "title of the open image/stack of normal images"
                    + " (default: the current image); ignored when folder is given"),
            new Spec(FOLDER, Kind.FOLDER, "", false, List.of(), "folder of normal images, used instead of an open image"),
            new Spec(MODEL, Kind.NEW_FILE, "", true, List.of(), "the model file to write"),
            new Spec(PRESET, Kind.CHOICE, PRESET_FAST, false, List.of("fast", "balanced", "paper"),
                    "network size and schedule"),
            new Spec(IMAGE_SIZE, Kind.INT, "0", false, List.of(), "network input size in px, a multiple of 32;"
                    + " 0 = the preset's"),
            new Spec(ITERATIONS1, Kind.INT, "0", false, List.of(), "stage 1 (IE-Net) iterations; 0 = the preset's"),
            new Spec(ITERATIONS2, Kind.INT, "0", false, List.of(), "stage 2 (Expert-Net) iterations; 0 = the preset's"),
            new Spec(MODE, Kind.CHOICE, MODE_PRESET, false, List.of(MODE_PRESET, MODE_RESIZE, MODE_PATCH),
                    "the preset's mode, resize whole images, or train on patches at native resolution"),
            new Spec(VALIDATION, Kind.NUMBER, "0.15", false, List.of(), "share of images held out to calibrate"
                    + " thresholds, in [0, 1)"),
            new Spec(DEVICE, Kind.CHOICE, DEVICE_AUTO, false, List.of("auto", "cpu", "gpu"), "where to compute"),
            new Spec(SEED, Kind.INT, "42", false, List.of(), "seed of every random choice"),
            new Spec(SETTINGS, Kind.TEXT, "", false, List.of(), "further configuration overrides, key=value pairs"
                    + " separated by spaces or ';' (e.g. ie_net.filters=16)"),
            new Spec(OVERWRITE, Kind.FLAG, "false", false, List.of(), "replace an existing model file"),
            new Spec(RESUME, Kind.FLAG, "false", false, List.of(), "continue from the checkpoint of a cancelled run"));

    /** The options of detection. */
    public static final List<Spec> DETECT = List.of(
            new Spec(IMAGE, Kind.TEXT, "", false, List.of(), "title of the open image/stack to examine"
                    + " (default: the current image); ignored when folder is given"),
            new Spec(FOLDER, Kind.FOLDER, "", false, List.of(), "folder of images, used instead of an open image"),
            new Spec(MODEL, Kind.FILE, "", true, List.of(), "the model file"),
            new Spec(OUTPUT, Kind.FOLDER, "", false, List.of(), "folder for heatmap TIFFs and scores.csv"
                    + " (required with folder)"),
            new Spec(CONVERSION, Kind.CHOICE, CONVERSION_NONE, false, List.of("none", "auto"),
                    "convert RGB to grey or grey to RGB when the model wants the other"),
            new Spec(METHOD, Kind.CHOICE, METHOD_UTAD, false, List.of("utad", "baseline", "expert"),
                    "two-stage UTAD, the one-stage baseline, or the expert residual alone"),
            new Spec(DEVICE, Kind.CHOICE, DEVICE_AUTO, false, List.of("auto", "cpu", "gpu"), "where to compute"),
            new Spec(MASKS, Kind.FLAG, "false", false, List.of(), "also output binary masks (calibrated models)"),
            new Spec(INTERMEDIATES, Kind.FLAG, "false", false, List.of(), "also output impression and expert"
                    + " reconstruction stacks"),
            new Spec(ADD_ROIS, Kind.FLAG, "false", false, List.of(), "add anomalous regions to the ROI Manager"),
            new Spec(OVERWRITE, Kind.FLAG, "false", false, List.of(), "replace existing files in the output folder"),
            new Spec(SHARD, Kind.TEXT, "", false, List.of(), "folder input only: i/n processes only the i-th of n"
                    + " shares of the images and writes scores.part-i-of-n.csv (cluster array jobs)"));

    /** The options of evaluation. */
    public static final List<Spec> EVALUATE = List.of(
            new Spec(MODEL, Kind.FILE, "", true, List.of(), "the model file"),
            new Spec(DATA, Kind.FOLDER, "", true, List.of(), "dataset folder in the MVTec-AD layout (test/good,"
                    + " test/<defect>, ground_truth/<defect>/<name>_mask.png)"),
            new Spec(OUTPUT, Kind.FOLDER, "", true, List.of(), "folder for the metrics tables (csv, json), roc.png,"
                    + " pro.png and one gallery PNG per test folder"),
            new Spec(METHOD, Kind.CHOICE, METHOD_UTAD, false, List.of("utad", "baseline", "expert"),
                    "two-stage UTAD, the one-stage baseline, or the expert residual alone"),
            new Spec(CONVERSION, Kind.CHOICE, CONVERSION_NONE, false, List.of("none", "auto"),
                    "convert RGB to grey or grey to RGB when the model wants the other"),
            new Spec(DEVICE, Kind.CHOICE, DEVICE_AUTO, false, List.of("auto", "cpu", "gpu"), "where to compute"),
            new Spec(OVERWRITE, Kind.FLAG, "false", false, List.of(), "replace existing tables and figures in the output folder"));

    /** The options of Model Info. */
    public static final List<Spec> INFO = List.of(
            new Spec(MODEL, Kind.FILE, "", true, List.of(), "the model file to describe"));

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
     * Normalises a choice word the way the parsers compare it.
     *
     * @param word the user's word
     * @return it trimmed and in lower case
     */
    static String word(String word) {
        return word == null ? "" : word.trim().toLowerCase(Locale.ROOT);
    }
}
