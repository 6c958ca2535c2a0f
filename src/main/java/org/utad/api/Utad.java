package org.utad.api;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.utad.config.Thresholds;
import org.utad.config.UtadConfig;
import org.utad.core.CancellationToken;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;
import org.utad.core.ProgressEvent;
import org.utad.core.ProgressListener;
import org.utad.engine.DeviceChoice;
import org.utad.engine.DeviceFallback;
import org.utad.engine.DeviceReport;
import org.utad.engine.Engines;
import org.utad.engine.NumericsCheck;
import org.utad.infer.Calibrator;
import org.utad.infer.ColorConversion;
import org.utad.infer.DetectOptions;
import org.utad.infer.Detector;
import org.utad.infer.Method;
import org.utad.io.Manifest;
import org.utad.io.ModelBundle;
import org.utad.io.StageSeconds;
import org.utad.train.TrainedModel;
import org.utad.train.TrainingRequest;
import org.utad.train.UtadTrainer;

/**
 * The facade every front end calls: the Fiji commands, their ImageJ 1.x twins, the CLI and the
 * tests. Each method is one user-level job, free of ImageJ, that starts the engine the one right
 * way, reports progress, honours cancellation and leaves no half-written files.
 */
public final class Utad {
    private Utad() {
    }

    /**
     * Reads the training settings that a model's checkpoint was started with, so that a front end can
     * resume a run with exactly those settings without the user having to repeat them (a resume with
     * other settings is refused by {@link #train}).
     *
     * @param model the model file being trained; its checkpoint is {@code <model>.checkpoint}
     * @return the saved settings, or empty if there is no checkpoint
     * @throws org.utad.core.ModelFormatException if the checkpoint exists but is not a training checkpoint
     */
    public static Optional<UtadConfig> checkpointSettings(Path model) {
        Path checkpoint = TrainParams.checkpointOf(model);
        return Files.exists(checkpoint) ? Optional.of(UtadTrainer.savedConfig(checkpoint)) : Optional.empty();
    }

    /**
     * Trains a model on normal images, calibrates its thresholds on the held-out normal images and
     * writes the model file atomically. The model holds the networks that did best on the validation
     * images; the checkpoint next to it ({@code <model>.checkpoint}) holds the last state of the run,
     * so a cancelled or failed run can resume and a finished one keeps its last networks too (the
     * detector can open it like a model; it has no calibrated thresholds).
     *
     * @param p        what to train and where to write it
     * @param listener progress of both stages and of calibration
     * @param cancel   stops training between iterations (a checkpoint is kept)
     * @return the summary for the user
     * @throws InvalidInputException if the images or output cannot be used
     */
    public static TrainSummary train(TrainParams p, ProgressListener listener, CancellationToken cancel) {
        Path out = p.output().toAbsolutePath();
        if (!p.overwrite() && Files.exists(out)) {
            throw new InvalidInputException("The model file " + out + " already exists. Choose another name, or allow"
                    + " overwriting.");
        }
        if (out.getParent() == null || !Files.isDirectory(out.getParent())) {
            throw new InvalidInputException("Cannot write the model to " + out + ": the folder does not exist.");
        }
        if (!Files.isWritable(out.getParent())) {
            throw new InvalidInputException("Cannot write the model to " + out + ": the folder is not writable.");
        }
        long t0 = System.nanoTime();
        DeviceReport report = Engines.deviceReport(p.device());
        Device device = report.device();
        NumericsCheck numerics = Engines.numerics();
        if (!report.gpu()) {
            numerics.requireTrainingSafe();
        }
        String deviceLine = report.line() + "; numerics: " + numerics.line();
        listener.onProgress(ProgressEvent.message("train", "Training on " + p.images().size() + " images, preset "
                + p.config().preset() + "; " + deviceLine));
        TrainingRequest request = new TrainingRequest(p.images(), p.config(), device, p.checkpoint(), p.resume());
        try (TrainedModel model = trainOrExplain(request, listener, cancel)) {
            Thresholds thresholds;
            try (Detector detector = Detector.of(model.manifest(), model.networks(), model.manager())) {
                listener.onProgress(ProgressEvent.message("calibrate", "Calibrating thresholds on "
                        + model.calibrationImages().size() + " held-out normal images."));
                String source = p.config().validationFraction() > 0 ? "held-out validation images"
                        : "training images (no validation split)";
                thresholds = Calibrator.calibrate(detector, model.calibrationImages(),
                        p.config().detect().calibrationQuantile(), source, listener, cancel);
            }
            Manifest manifest = model.manifest().withThresholds(thresholds);
            ModelBundle.write(out, manifest, model.networks().inference(), p.overwrite());
            StageSeconds seconds = model.stageSeconds();
            int skipped = model.skippedSteps();
            String numericsLine = skipped == 0 ? deviceLine : deviceLine + "; " + skipped + " training step(s)"
                    + " skipped for gradients that were not finite (see the log)";
            return new TrainSummary(out, numericsLine, (System.nanoTime() - t0) / 1e9, seconds.stage1(),
                    seconds.stage2(), thresholds, model.history(), p.checkpoint());
        }
    }

    /**
     * Runs the trainer, turning a device out-of-memory failure into a message that says where it
     * happened, that the checkpoint is kept, and how to go on (smaller batch, CPU, resume).
     */
    private static TrainedModel trainOrExplain(TrainingRequest request, ProgressListener listener,
                                               CancellationToken cancel) {
        try {
            return UtadTrainer.train(request, listener, cancel);
        } catch (RuntimeException e) {
            if (DeviceFallback.isOutOfMemory(e)) {
                throw DeviceFallback.trainingOutOfMemory(e, request.device(), request.checkpoint());
            }
            throw e;
        }
    }

    /**
     * Opens a model for detection.
     *
     * @param model  the model file
     * @param device auto, cpu or gpu
     * @return the detector; close it when done
     */
    public static Detector open(Path model, DeviceChoice device) {
        return Detector.load(model, Engines.device(device));
    }

    /**
     * Builds the detection settings of a batch run from the model's own settings and the user's
     * words, the same way for every front end that takes them as text (the command line, the
     * Spark job), so that the same words give the same maps everywhere.
     *
     * @param model      the model's configuration ({@code detector.manifest().config()}), whose
     *                   detection settings are the defaults; the Spark driver checks the user's
     *                   words with it before any executor loads the networks
     * @param settings   {@code detect.*} overrides, e.g. {@code detect.residual=l2}, applied in order
     * @param conversion the channel conversion word, none or auto
     * @param method     the method word, utad, baseline or expert
     * @return the options
     * @throws IllegalArgumentException naming a setting that is not a detect.* key, or a bad word
     */
    public static DetectOptions detectOptions(UtadConfig model, Map<String, String> settings, String conversion,
                                              String method) {
        UtadConfig c = model;
        for (var e : settings.entrySet()) {
            if (!e.getKey().startsWith("detect.")) {
                throw new IllegalArgumentException("Only detect.* settings can be changed at detection, not "
                        + e.getKey() + ".");
            }
            c = c.with(e.getKey(), e.getValue());
        }
        return DetectOptions.defaults(c.detect()).withConversion(ColorConversion.parse(conversion))
                .withMethod(Method.parse(method));
    }

    /**
     * Recalibrates a model's thresholds on a user's normal images and writes the result to a file
     * (the same file only when overwrite is true).
     *
     * @param model    the model file
     * @param normals  images known to be normal
     * @param output   where to write the recalibrated model
     * @param overwrite whether an existing output may be replaced
     * @param device   auto, cpu or gpu
     * @param listener progress
     * @param cancel   stops between images
     * @return the new thresholds
     */
    public static Thresholds recalibrate(Path model, List<FloatImage> normals, Path output, boolean overwrite,
                                         DeviceChoice device, ProgressListener listener, CancellationToken cancel) {
        try (Detector d = open(model, device)) {
            Thresholds t = Calibrator.calibrate(d, normals, d.manifest().config().detect().calibrationQuantile(),
                    "user-supplied normal images", listener, cancel);
            Manifest m = d.manifest().withThresholds(t);
            d.writeBundle(output, m, overwrite);
            return t;
        }
    }
}
