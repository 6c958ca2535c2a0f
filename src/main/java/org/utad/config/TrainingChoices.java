package org.utad.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training settings a user chose in a front end (the Fiji dialog, a macro, {@code bin/utad
 * train}), as typed values, and the one way they become a configuration: the preset, then the
 * explicit settings through {@link UtadConfig}'s typed overrides, then the free-form
 * {@code settings}, which win. The front ends thus build the same configuration from the same
 * choices, and no number is written out as text to be parsed again.
 *
 * @param preset      the preset's name
 * @param imageSize   network input size; 0 keeps the preset's
 * @param iterations1 stage 1 iterations; 0 keeps the preset's
 * @param iterations2 stage 2 iterations; 0 keeps the preset's
 * @param mode        a word of {@link UserOptions#MODES}; {@link UserOptions#MODE_PRESET} keeps the preset's
 * @param validation  share of images held out, or null to keep the preset's
 * @param seed        seed of every random choice, or null to keep the preset's
 * @param settings    further overrides by dotted key, applied last, in order
 */
public record TrainingChoices(String preset, int imageSize, int iterations1, int iterations2, String mode,
                              Double validation, Long seed, Map<String, String> settings) {

    /** Copies the overrides in their order (null for none), so a caller's later changes do not reach this record. */
    public TrainingChoices {
        settings = settings == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /**
     * Builds the configuration.
     *
     * @return the preset with the choices applied
     * @throws IllegalArgumentException naming a bad preset, mode, value or override
     */
    public UtadConfig config() {
        UtadConfig c = Presets.get(preset);
        if (imageSize < 0 || iterations1 < 0 || iterations2 < 0) {
            throw new IllegalArgumentException("Image size and iteration counts must be 0 (the preset's) or positive.");
        }
        Mode m = keepsPresetMode() ? null : Mode.parse(mode);
        if (imageSize > 0) {
            c = c.withImageSize(imageSize);
        }
        if (iterations1 > 0) {
            c = c.withStage1Iterations(iterations1);
        }
        if (iterations2 > 0) {
            c = c.withStage2Iterations(iterations2);
        }
        if (m != null) {
            c = c.withMode(m);
        }
        if (validation != null) {
            c = c.withValidationFraction(validation);
        }
        if (seed != null) {
            c = c.withSeed(seed);
        }
        return c.with(settings);
    }

    /**
     * Tells whether these choices change anything besides the preset's name: a resumed run without
     * such changes continues with the settings saved in its checkpoint.
     *
     * @return true when a size, count, mode, share, seed or override was given
     */
    public boolean changesPreset() {
        return imageSize > 0 || iterations1 > 0 || iterations2 > 0 || !keepsPresetMode() || validation != null
                || seed != null || !settings.isEmpty();
    }

    private boolean keepsPresetMode() {
        return mode == null || UserOptions.MODE_PRESET.equals(UserOptions.word(mode));
    }
}
