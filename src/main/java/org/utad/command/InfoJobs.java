package org.utad.command;

import java.io.File;
import org.utad.api.ModelInfo;
import org.utad.core.InvalidInputException;
import org.utad.engine.Engines;
import org.utad.io.ModelBundle;

/**
 * The text of Model Info and Engine Info, shared by the SciJava commands and their twins.
 */
public final class InfoJobs {
    private InfoJobs() {
    }

    /**
     * Describes a model file: what it takes, how it was trained, its thresholds.
     *
     * @param model the model file
     * @return several lines
     * @throws InvalidInputException if no file was chosen
     */
    public static String model(File model) {
        if (MacroOptions.isUnset(model)) {
            throw new InvalidInputException("Choose a model file to describe.");
        }
        return ModelInfo.describe(model.toPath(), ModelBundle.readManifest(model.toPath()));
    }

    /**
     * Describes the deep-learning engine and the Java runtime, the first thing to check when the
     * engine will not start or the GPU is not used. The engine's part already states the offline
     * switch and PYTORCH_LIBRARY_PATH, so they are said once.
     *
     * @return several lines
     */
    public static String engine() {
        return "Engine: " + Engines.describe() + "\n"
                + "Java: " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                + "max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB\n"
                + "OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                + System.getProperty("os.arch") + "), " + Runtime.getRuntime().availableProcessors() + " CPU cores";
    }
}
