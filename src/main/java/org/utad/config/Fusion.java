package org.utad.config;

import java.util.Locale;
import java.util.StringJoiner;

/**
 * How the residual maps are formed from the networks' outputs: the choices the detection-quality
 * ablations measure (docs/BENCHMARKS.md, "Detection ablations"), each a hypothesis about where our
 * maps depart from the UTAD reference.
 *
 * @param ownDetailCode  decode the expert reconstruction that enters the residuals with the image's
 *                       own detail code (the path the paired loss trains and the reference's expert
 *                       test uses) instead of the mean of the K random-code decodes
 * @param rangeMatch     rescale each reconstruction to the input's value range before the residuals,
 *                       as the reference does, so a global brightness offset does not enter the map
 * @param reflectBorders compute SSIM on reflection-padded images, so image borders get no false
 *                       structure from zero padding
 * @param centre         subtract the median of each image's smoothed map (clipped at zero), so that
 *                       what the map and the score measure is how much a place stands out from the
 *                       rest of its own image, not how well the image as a whole is reconstructed
 * @param noFast         leave the fast-impression residual r(x, mean f) out of the UTAD map
 * @param noGap          leave the expert-impression term r(x_e, m) out of the UTAD map
 * @param noVariance     leave the random-code variance out of the UTAD map; these three switches
 *                       measure what each term of the fusion adds (docs/BENCHMARKS.md, hypothesis 7)
 * @param softLuminance  SSIM residuals with a luminance constant of (0.1)^2 instead of (0.01)^2: SSIM's
 *                       luminance term compares means relatively, so in near-black regions a
 *                       reconstruction a few grey levels too bright counts as a large difference;
 *                       the larger constant keeps that term for mid and bright grey levels and damps
 *                       it only where both means are near zero
 */
public record Fusion(boolean ownDetailCode, boolean rangeMatch, boolean reflectBorders, boolean centre,
                     boolean noFast, boolean noGap, boolean noVariance, boolean softLuminance) {
    /**
     * No switch on: random-code mean, raw ranges, zero-padded SSIM, no centring, every term. The maps of
     * model files written before the presets chose {@code own_code} (the paper preset's fusion, in
     * {@code config/presets/paper.json}).
     */
    public static final Fusion DEFAULT = new Fusion(false, false, false, false, false, false, false, false);

    /** The switches' words, in the order {@link #toString()} prints them. */
    private static final String WORDS = "own_code, range, reflect, centre, no_fast, no_gap, no_variance, soft_luminance";

    /**
     * Parses a comma-separated list of switches, e.g. "own_code,reflect,no_fast"; "default" or an empty
     * text gives {@link #DEFAULT}.
     *
     * @param text the switches
     * @return the fusion
     * @throws IllegalArgumentException for an unknown switch, naming the valid ones
     */
    public static Fusion parse(String text) {
        boolean own = false;
        boolean range = false;
        boolean reflect = false;
        boolean centre = false;
        boolean noFast = false;
        boolean noGap = false;
        boolean noVariance = false;
        boolean softLuminance = false;
        for (String part : text.toLowerCase(Locale.ROOT).split(",")) {
            switch (part.trim()) {
                case "", "default" -> { }
                case "own_code" -> own = true;
                case "range" -> range = true;
                case "reflect" -> reflect = true;
                case "centre" -> centre = true;
                case "no_fast" -> noFast = true;
                case "no_gap" -> noGap = true;
                case "no_variance" -> noVariance = true;
                case "soft_luminance" -> softLuminance = true;
                default -> throw new IllegalArgumentException("Unknown fusion switch '" + part.trim()
                        + "'; use default, or any of " + WORDS + " separated by commas.");
            }
        }
        return new Fusion(own, range, reflect, centre, noFast, noGap, noVariance, softLuminance);
    }

    @Override
    public String toString() {
        if (equals(DEFAULT)) {
            return "default";
        }
        boolean[] on = {ownDetailCode, rangeMatch, reflectBorders, centre, noFast, noGap, noVariance, softLuminance};
        String[] words = WORDS.split(", ");
        StringJoiner b = new StringJoiner(",");
        for (int k = 0; k < on.length; k++) {
            if (on[k]) {
                b.add(words[k]);
            }
        }
        return b.toString();
    }
}
