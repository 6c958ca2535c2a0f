package org.utad.engine;

import java.util.Locale;
import org.utad.core.Words;

/** The user's device preference, shared by training, detection and evaluation. */
public enum DeviceChoice {
    /** The GPU if DJL can use one, else the CPU. */
    AUTO,
    /** Always the CPU. */
    CPU,
    /** A CUDA GPU; fails with an explanation when none is usable. */
    GPU;

    /**
     * Parses a user's word, ignoring case.
     *
     * @param text "auto", "cpu" or "gpu"
     * @return the choice
     * @throws IllegalArgumentException naming the accepted words
     */
    public static DeviceChoice parse(String text) {
        return Words.parse(values(), text, "Unknown device '" + text + "': use auto, cpu or gpu.");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
