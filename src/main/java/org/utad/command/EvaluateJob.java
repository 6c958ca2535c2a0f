package org.utad.command;

import ij.ImagePlus;
import ij.macro.Interpreter;
import java.awt.GraphicsEnvironment;
import java.io.File;
import java.util.List;
import org.utad.api.Evaluate;
import org.utad.api.Utad;
import org.utad.core.CancellationToken;
import org.utad.core.InvalidInputException;
import org.utad.core.ProgressListener;
import org.utad.engine.DeviceChoice;
import org.utad.imagej.EvaluationWindows;
import org.utad.imagej.IjEvaluationFigures;
import org.utad.imagej.IjImageLoader;
import org.utad.infer.Detector;

/**
 * Evaluation as the Evaluate command and its ImageJ 1.x twin run it: open the model, measure it on a
 * labelled dataset through {@link Evaluate}, return the one-line summary (the tables and figures are
 * in the output folder) and, when someone can look, show the metrics table and the figures.
 */
public final class EvaluateJob {
    private EvaluateJob() {
    }

    /**
     * Tells whether results may open windows: Java has a display and ImageJ is not in batch mode (a
     * batch macro, or {@code ImageJ -batch}, wants no windows).
     *
     * @return true when windows may be shown
     */
    public static boolean hasScreen() {
        return !GraphicsEnvironment.isHeadless() && !Interpreter.isBatchMode();
    }

    /**
     * Shows an evaluation where the user looks, when there is a screen: the metrics table
     * ({@link EvaluationWindows#TABLE_TITLE}) and each figure as an image window.
     *
     * @param s the evaluation's summary
     * @return the figures shown (none without a screen)
     */
    public static List<ImagePlus> show(Evaluate.Summary s) {
        if (!hasScreen()) {
            return List.of();
        }
        List<ImagePlus> figures = EvaluationWindows.figures(s.figures());
        figures.forEach(ImagePlus::show);
        EvaluationWindows.metrics(s.evaluation()).show(EvaluationWindows.TABLE_TITLE);
        return figures;
    }

    /**
     * Runs an evaluation.
     *
     * @param model      the model file
     * @param data       the dataset folder
     * @param output     the folder for the tables
     * @param method     utad or baseline
     * @param conversion none or auto
     * @param device     auto, cpu or gpu
     * @param settings   detect.* overrides, key=value pairs separated by spaces or ';'; may be empty
     * @param overwrite  replace existing tables
     * @param progress   progress per image
     * @param cancel     stops between images
     * @return the summary
     * @throws InvalidInputException if a required path is missing
     */
    public static Evaluate.Summary run(File model, File data, File output, String method, String conversion,
                                       String device, String settings, boolean overwrite, ProgressListener progress,
                                       CancellationToken cancel) {
        if (MacroOptions.isUnset(model) || MacroOptions.isUnset(data) || MacroOptions.isUnset(output)) {
            throw new InvalidInputException("Evaluation needs a model file, a dataset folder and an output folder.");
        }
        try (Detector d = Utad.open(model.toPath(), DeviceChoice.parse(device))) {
            return Evaluate.run(d, DetectJob.options(d.manifest().config(), conversion, method, settings, false),
                    data.toPath(), output.toPath(), overwrite, new IjImageLoader(), new IjEvaluationFigures(), progress,
                    cancel);
        }
    }
}
