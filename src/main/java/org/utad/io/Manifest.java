package org.utad.io;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.utad.config.Normalization;
import org.utad.config.Thresholds;
import org.utad.config.UtadConfig;

/**
 * The description of a model bundle: everything needed to rebuild its networks and to use them as
 * they were trained, and what a user needs to know about how the model was made.
 *
 * @param formatVersion  bundle format version, {@link ModelBundle#FORMAT_VERSION} when written now
 * @param created        ISO-8601 time of writing
 * @param config         the full configuration the model was trained with
 * @param channels       image channels the model takes (1 grey, 3 RGB)
 * @param normalization  how raw samples map to the networks' [0, 1] range
 * @param networks       for each network, its parameter names and shapes in order ("name:(a, b)"),
 *                       checked against the rebuilt networks on load
 * @param training       summary of training (times, iterations, losses, device, seed...); free-form
 * @param thresholds     the calibrated thresholds, or null before calibration
 * @param djlVersion     DJL version that wrote the bundle
 * @param engineVersion  PyTorch version that wrote the bundle
 */
public record Manifest(int formatVersion, String created, UtadConfig config, int channels,
                       Normalization normalization, Map<String, List<String>> networks, JsonObject training,
                       Thresholds thresholds, String djlVersion, String engineVersion) {

    /**
     * Returns a copy with other thresholds, for calibration and recalibration.
     *
     * @param newThresholds the thresholds to store
     * @return the changed manifest
     */
    public Manifest withThresholds(Thresholds newThresholds) {
        return new Manifest(formatVersion, created, config, channels, normalization, networks, training,
                newThresholds, djlVersion, engineVersion);
    }

    /**
     * The stage timings of the training summary, typed, so that readers need not know its JSON keys.
     *
     * @return the timings, or empty when the summary has none (a training checkpoint's manifest)
     */
    public Optional<StageSeconds> stageSeconds() {
        return StageSeconds.from(training);
    }

    /**
     * Returns a copy with another training summary.
     *
     * @param newTraining the summary
     * @return the changed manifest
     */
    public Manifest withTraining(JsonObject newTraining) {
        return new Manifest(formatVersion, created, config, channels, normalization, networks, newTraining,
                thresholds, djlVersion, engineVersion);
    }
}
