package org.utad.config;

import org.utad.core.Words;

/** The residual used to compare two images when fusing the anomaly map. */
public enum Residual {
    /** 1 - SSIM with an 11-pixel Gaussian window (sigma 1.5): the reference default. */
    SSIM,
    /** Squared difference of grey values. */
    L2;

    /**
     * Parses a user's word, ignoring case.
     *
     * @param text "ssim" or "l2"
     * @return the residual
     * @throws IllegalArgumentException naming the accepted words
     */
    public static Residual parse(String text) {
        return Words.parse(values(), text, "Unknown residual '" + text + "': use 'ssim' or 'l2'.");
    }
}
