package org.utad.infer;

import org.utad.core.Words;

/** Which anomaly map to compute. */
public enum Method {
    /** The full two-stage UTAD fusion of DESIGN section 2. */
    UTAD,
    /** The one-stage baseline: the residual of the input against its IE-Net impression only. */
    BASELINE,
    /**
     * The second stage alone: the residual of the input against the mean of its expert
     * reconstructions (K random detail codes), without the fast-impression, variance and
     * impression terms of the fusion; for measuring what each part of the fusion contributes.
     */
    EXPERT;

    /**
     * Parses a user's word, ignoring case.
     *
     * @param text "utad", "baseline" or "expert"
     * @return the method
     * @throws IllegalArgumentException naming the accepted words
     */
    public static Method parse(String text) {
        return Words.parse(values(), text, "Unknown method '" + text + "': use utad, baseline or expert.");
    }
}
