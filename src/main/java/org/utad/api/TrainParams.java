package org.utad.api;

import java.nio.file.Path;
import java.util.List;
import org.utad.config.UtadConfig;
import org.utad.core.FloatImage;
import org.utad.engine.DeviceChoice;

/**
 * Everything a training job needs, as the Train command, the macro twin, the CLI and the tests give it.
 *
 * @param images    normal images (raw values)
 * @param config    the configuration (a preset with overrides)
 * @param output    the model file to write
 * @param overwrite whether an existing model file may be replaced
 * @param device    auto, cpu or gpu
 * @param resume    continue from the checkpoint next to the output, if there is one
 */
public record TrainParams(List<FloatImage> images, UtadConfig config, Path output, boolean overwrite,
                          DeviceChoice device, boolean resume) {
    /**
     * The checkpoint file kept next to the model while training runs (and after a cancel or failure),
     * so that training can resume.
     *
     * @return {@code <output>.checkpoint}
     */
    public Path checkpoint() {
        return checkpointOf(output);
    }

    /**
     * Names the checkpoint that training keeps next to a model file.
     *
     * @param model the model file
     * @return {@code <model>.checkpoint}
     */
    public static Path checkpointOf(Path model) {
        return model.resolveSibling(model.getFileName() + ".checkpoint");
    }
}
