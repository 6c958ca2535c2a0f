package org.utad.command;

import ij.ImagePlus;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.utad.api.TrainParams;
import org.utad.api.TrainSummary;
import org.utad.api.Utad;
import org.utad.config.TrainingChoices;
import org.utad.config.UserOptions;
import org.utad.config.UtadConfig;
import org.utad.core.CancellationToken;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;
import org.utad.core.ProgressListener;
import org.utad.data.FolderReadResult;
import org.utad.data.ImageFolder;
import org.utad.engine.DeviceChoice;
import org.utad.imagej.IjImageLoader;
import org.utad.imagej.ImagePlusAdapter;
import org.utad.imagej.LossPlot;
import org.utad.train.HistoryPoint;

/**
 * Training as both the SciJava command and its ImageJ 1.x twin run it: resolve the input (an open
 * stack or a folder), build the configuration from the preset and the user's settings, call
 * {@link Utad#train}, and turn the loss history into a plot.
 */
public final class TrainJob {
    /**
     * What the user asked for.
     *
     * @param image       the open image/stack of normal images; ignored when a folder is given
     * @param folder      a folder of normal images, or an empty path for none
     * @param model       the model file to write
     * @param preset      a preset name of {@code Presets.NAMES}
     * @param imageSize   network input size; 0 keeps the preset's
     * @param iterations1 stage 1 iterations; 0 keeps the preset's
     * @param iterations2 stage 2 iterations; 0 keeps the preset's
     * @param mode        preset (the preset's), resize or patch
     * @param validation  share of images held out for calibration
     * @param device      auto, cpu or gpu
     * @param seed        seed of every random choice
     * @param settings    further {@code key=value} overrides, separated by spaces or ';'; may be empty
     * @param overwrite   whether an existing model file may be replaced
     * @param resume      whether to continue from a checkpoint
     */
    public record Request(ImagePlus image, File folder, File model, String preset, int imageSize, int iterations1,
                          int iterations2, String mode, double validation, String device, long seed, String settings,
                          boolean overwrite, boolean resume) {
    }

    /**
     * What training produced.
     *
     * @param summary  the facade's summary (model path, device, times, thresholds, history)
     * @param lossPlot the loss curves of both stages as a plot image
     */
    public record Result(TrainSummary summary, ImagePlus lossPlot) {
    }

    private TrainJob() {
    }

    /**
     * Reads the command's options into a request, so the twin and the tests build it one way.
     *
     * @param o     the parsed options
     * @param image the image to use when no folder is given (may be null)
     * @return the request
     */
    public static Request request(MacroOptions o, ImagePlus image) {
        return new Request(image, o.file(UserOptions.FOLDER), o.file(UserOptions.MODEL),
                o.choice(UserOptions.PRESET), (int) o.integer(UserOptions.IMAGE_SIZE),
                (int) o.integer(UserOptions.ITERATIONS1), (int) o.integer(UserOptions.ITERATIONS2),
                o.choice(UserOptions.MODE), o.number(UserOptions.VALIDATION), o.choice(UserOptions.DEVICE),
                o.integer(UserOptions.SEED), o.text(UserOptions.SETTINGS), o.flag(UserOptions.OVERWRITE),
                o.flag(UserOptions.RESUME));
    }

    /**
     * Trains a model and writes it.
     *
     * @param r        the request
     * @param log      receives the input summary and the training summary
     * @param listener progress of both stages
     * @param cancel   stops training (a checkpoint is kept for resume)
     * @return the summary and the loss plot
     */
    public static Result run(Request r, UserLog log, ProgressListener listener, CancellationToken cancel) {
        if (MacroOptions.isUnset(r.model())) {
            throw new InvalidInputException("Choose the model file to write (for example normal.utad).");
        }
        UtadConfig config = config(r);
        List<FloatImage> images = images(r, log);
        TrainSummary summary = Utad.train(new TrainParams(images, config, r.model().toPath(), r.overwrite(),
                DeviceChoice.parse(r.device()), r.resume()), listener, cancel);
        log.info(summary.text());
        String name = r.model().getName();
        return new Result(summary, LossPlot.image("UTAD losses - " + name, panels(summary.history())));
    }

    /**
     * Builds the configuration: the preset, then the explicit settings (0 keeps the preset's
     * size and iterations), then the free-form overrides, which win, through the same
     * {@link TrainingChoices} as {@code bin/utad train}, as typed values.
     *
     * @param r the request
     * @return the configuration
     * @throws IllegalArgumentException naming a bad preset, value or override
     */
    public static UtadConfig config(Request r) {
        return choices(r).config();
    }

    /**
     * @param r the request
     * @return the training choices it holds; the dialog always gives the share held out and the seed
     * @throws IllegalArgumentException for settings that are not key=value pairs
     */
    static TrainingChoices choices(Request r) {
        return new TrainingChoices(r.preset(), r.imageSize(), r.iterations1(), r.iterations2(), r.mode(),
                r.validation(), r.seed(), UserOptions.settings(r.settings()));
    }

    /**
     * Turns the loss history into two panels, one per stage, each on its own axes (their losses
     * differ by orders of magnitude): stage 1's reconstruction loss and, where it was measured, its
     * validation loss; stage 2's reconstruction loss, counted from its own first iteration.
     *
     * @param history the training history
     * @return the panels, stage 1 first
     */
    static List<LossPlot.Panel> panels(List<HistoryPoint> history) {
        List<LossPlot.Panel> out = new ArrayList<>();
        out.add(new LossPlot.Panel("stage 1 (IE-Net)", List.of(curve("reconstruction", history, 1, "recon"),
                curve("validation", history, 1, null))));
        out.add(new LossPlot.Panel("stage 2 (Expert-Net)", List.of(curve("reconstruction", history, 2, "recon"))));
        return out;
    }

    private static LossPlot.Series curve(String label, List<HistoryPoint> history, int stage, String key) {
        List<double[]> points = new ArrayList<>();
        for (HistoryPoint p : history) {
            if (p.stage() != stage) {
                continue;
            }
            Double v = key == null ? Double.valueOf(p.validationLoss()) : p.losses().get(key);
            if (v != null && Double.isFinite(v)) {
                points.add(new double[] {p.iteration(), v});
            }
        }
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        return new LossPlot.Series(label, x, y);
    }

    private static List<FloatImage> images(Request r, UserLog log) {
        if (!MacroOptions.isUnset(r.folder())) {
            FolderReadResult read = ImageFolder.read(r.folder().toPath(), new IjImageLoader(), true);
            log.info(read.summary());
            return read.images();
        }
        List<FloatImage> images = ImagePlusAdapter.toFloatImages(r.image());
        log.info("Training on " + images.size() + " slice(s) of " + r.image().getTitle() + ".");
        return images;
    }
}
