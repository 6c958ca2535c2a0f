package org.utad.train;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;
import org.utad.config.UtadConfig;
import org.utad.core.FloatImage;

/**
 * What to train on and how.
 *
 * @param images     the normal images (raw values, one bit depth, one channel count)
 * @param config     the configuration
 * @param device     where to train
 * @param checkpoint file for the training checkpoint (written periodically and on cancel); null
 *                   for none
 * @param resume     continue from the checkpoint if it exists
 */
public record TrainingRequest(List<FloatImage> images, UtadConfig config, Device device, Path checkpoint,
                              boolean resume) {
}
