package org.utad.command;

import java.io.File;
import org.utad.api.Evaluate;
import org.utad.api.Utad;
import org.utad.core.CancellationToken;
import org.utad.core.InvalidInputException;
import org.utad.core.ProgressListener;
import org.utad.engine.DeviceChoice;
import org.utad.imagej.IjEvaluationFigures;
import org.utad.imagej.IjImageLoader;
import org.utad.infer.Detector;

/**
 * Evaluation as the Evaluate command and its ImageJ 1.x twin run it: open the model, measure it on a
 * labelled dataset through {@link Evaluate}, and return the one-line summary (the tables are in the
 * output folder).
 */
public final class EvaluateJob {
    private EvaluateJob() {
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
     * @param overwrite  replace existing tables
     * @param progress   progress per image
     * @param cancel     stops between images
     * @return the summary
     * @throws InvalidInputException if a required path is missing
     */
    public static Evaluate.Summary run(File model, File data, File output, String method, String conversion,
                                       String device, boolean overwrite, ProgressListener progress,
                                       CancellationToken cancel) {
        if (Options.isUnset(model) || Options.isUnset(data) || Options.isUnset(output)) {
            throw new InvalidInputException("Evaluation needs a model file, a dataset folder and an output folder.");
        }
        try (Detector d = Utad.open(model.toPath(), DeviceChoice.parse(device))) {
            return Evaluate.run(d, DetectJob.options(d, conversion, method, false), data.toPath(), output.toPath(),
                    overwrite, new IjImageLoader(), new IjEvaluationFigures(), progress, cancel);
        }
    }
}
