package org.utad.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Optional;

/**
 * How long each training stage ran, summed over every run that trained a model (a resumed run adds to
 * what the checkpoint kept). This is the typed form of two entries of a manifest's training summary and
 * of a training checkpoint's state, so that readers use fields while the files keep the JSON keys
 * {@value #STAGE1_KEY} and {@value #STAGE2_KEY} they have always had.
 *
 * @param stage1 seconds spent in stage 1 (the IE-Net)
 * @param stage2 seconds spent in stage 2 (the Expert-Net)
 */
public record StageSeconds(double stage1, double stage2) {
    /** The JSON key of {@link #stage1()}. */
    public static final String STAGE1_KEY = "seconds_stage1";
    /** The JSON key of {@link #stage2()}. */
    public static final String STAGE2_KEY = "seconds_stage2";

    /**
     * Reads the timings from a training summary or checkpoint state.
     *
     * @param json the JSON object holding both keys, or null
     * @return the timings, or empty when the object is null or lacks either key (a checkpoint's
     *         manifest, whose training summary is empty)
     */
    public static Optional<StageSeconds> from(JsonObject json) {
        if (json == null) {
            return Optional.empty();
        }
        JsonElement s1 = json.get(STAGE1_KEY);
        JsonElement s2 = json.get(STAGE2_KEY);
        if (s1 == null || s2 == null) {
            return Optional.empty();
        }
        return Optional.of(new StageSeconds(s1.getAsDouble(), s2.getAsDouble()));
    }

    /**
     * Adds both timings to a JSON object under their keys, stage 1 first.
     *
     * @param json the summary or state being written
     */
    public void addTo(JsonObject json) {
        json.addProperty(STAGE1_KEY, stage1);
        json.addProperty(STAGE2_KEY, stage2);
    }
}
