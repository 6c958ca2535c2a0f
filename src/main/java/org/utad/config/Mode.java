package org.utad.config;

import org.utad.core.Words;

/**
 * How images are brought to the network's input size.
 */
public enum Mode {
    /** The whole image is scaled to the model size: for objects that fill the frame. */
    RESIZE,
    /**
     * Random crops at native resolution for training and overlapping tiles for detection: for
     * textures and large fields, where scaling down would erase small defects.
     */
    PATCH;

    /**
     * Parses a user's word for the mode, ignoring case.
     *
     * @param text "resize" or "patch"
     * @return the mode
     * @throws IllegalArgumentException naming the accepted words
     */
    public static Mode parse(String text) {
        return Words.parse(values(), text, "Unknown mode '" + text + "': use 'resize' or 'patch'.");
    }
}
