package org.utad.config;

import java.util.List;
import java.util.Locale;

/**
 * The named starting points for a configuration.
 *
 * <ul>
 *   <li>{@code fast}: for a laptop CPU. Patch mode with 64 px training patches at native resolution,
 *   narrow networks (IE-Net filters 32, Expert-Net dim 16), 4500 + 1000 iterations, 4 random detail
 *   codes, detection on overlapping 64 px tiles, the size the networks were trained on: both stages
 *   train in about a quarter of an hour on two cores. The networks are fully convolutional, so small
 *   patches still see defects at full resolution. Its stage 1 departs from the paper where two-seed
 *   measurements said so (docs/BENCHMARKS.md, "fifth round"): no image GAN term, half the samples
 *   with a synthetic defect, three times the iterations.</li>
 *   <li>{@code balanced}: patch mode with 128 px patches, twice the widths of {@code fast}, more
 *   iterations and the reference 10 random codes; a CPU with time to spare or a small GPU.</li>
 *   <li>{@code paper}: the reference: 256 px, IE-Net filters 128, Expert-Net dim 64 with MLP 256,
 *   batch 128 for stage 1, learning rates and decays as published. Meant for a GPU.</li>
 * </ul>
 * Any value can be changed afterwards with {@link UtadConfig#with(String, String)}.
 *
 * <p>{@code fast} and {@code balanced} leave {@link #SCORE_MARGIN} of each side out of the image score
 * (docs/BENCHMARKS.md, "the image border"); {@code paper} scores the whole map, as the reference does.
 */
public final class Presets {
    /**
     * Share of each side that the CPU presets leave out of the image score: on magnetic_tile it raised
     * image AUROC by 0.01 to 0.11 for every method, model type and seed measured, and did not lower it
     * on deeppcb.
     */
    public static final double SCORE_MARGIN = 0.1;

    /**
     * The fusion of the paper preset, and the base of {@link #PATCH_FUSION}: the expert reconstruction
     * in the map is decoded with the image's own detail code, as the reference's expert test does and
     * as the paired loss trains it, rather than as the mean of the K random-code decodes. On deeppcb
     * (full test set, the fast preset) it raised the UTAD map from 0.643 / 0.719 / 0.339 to 0.774 /
     * 0.727 / 0.361 image AUROC / pixel AUROC / AUPRO and the expert residual from 0.632 / 0.157 to
     * 0.810 / 0.480 pixel AUROC / AUPRO; on magnetic_tile (two seeds, whole-image models) it moved both
     * by -0.001 to +0.015 (docs/BENCHMARKS.md, sixth round).
     */
    public static final String OWN_CODE = "own_code";

    /**
     * The fusion of the patch presets ({@code fast}, {@code balanced}): {@link #OWN_CODE}, without the
     * fast-impression term, and with SSIM's luminance constant at (0.1)^2. On deeppcb the fast-impression
     * residual (the image's content decoded with other images' detail codes) is high over every dark
     * trace and cost the UTAD map 0.12 pixel AUROC; leaving it out, and damping the luminance term where
     * both means are near black, raised the map on all of deeppcb from 0.774 / 0.719 / 0.350 to
     * 0.808 / 0.835 / 0.548 image AUROC / pixel AUROC / AUPRO (seed 1; seed 2 0.858 / 0.825 / 0.527),
     * while on magnetic_tile pixel AUROC and AUPRO moved by less than 0.01 on both seeds. It also
     * halves detection time, since the fast-impression networks no longer run. A departure from the
     * paper's fusion; the paper preset keeps {@link #OWN_CODE} (docs/BENCHMARKS.md, sixth round,
     * hypothesis 10).
     */
    public static final String PATCH_FUSION = OWN_CODE + ",no_fast,soft_luminance";

    /** The preset names, in order of cost. */
    public static final List<String> NAMES = List.of("fast", "balanced", "paper");

    private Presets() {
    }

    /**
     * Returns a preset by name, ignoring case.
     *
     * @param name "fast", "balanced" or "paper"
     * @return the preset's configuration
     * @throws IllegalArgumentException naming the known presets
     */
    public static UtadConfig get(String name) {
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "fast":
                return fast();
            case "balanced":
                return balanced();
            case "paper":
                return paper();
            default:
                throw new IllegalArgumentException("Unknown preset '" + name + "'. Use one of " + NAMES);
        }
    }

    /** @return the CPU preset: 64 px patches, narrow networks, short schedules */
    public static UtadConfig fast() {
        return new UtadConfig(UtadConfig.VERSION, "fast", 64, Mode.PATCH, 42L, 0.15, true,
                new IeNetConfig(32),
                new ExpertNetConfig(16, 2, 2, 8, 64, 3),
                new Stage1Config(4500, 16, 1e-3, new double[] {0.5, 0.875}, 100, 0, 0, 0.5,
                        new DiscriminatorConfig(16, 3, 2)),
                new Stage2Config(1000, 4, 4e-4, 500, 10, 10, 1, 1, 1,
                        new DiscriminatorConfig(16, 3, 2)),
                new DetectConfig(4, Residual.SSIM, 4.0, 1.0, 0.99, 0.25, 0, PATCH_FUSION, SCORE_MARGIN));
    }

    /** @return the middle preset: 128 px patches, twice the widths of fast, longer schedules */
    public static UtadConfig balanced() {
        return new UtadConfig(UtadConfig.VERSION, "balanced", 128, Mode.PATCH, 42L, 0.15, true,
                new IeNetConfig(64),
                new ExpertNetConfig(32, 2, 2, 8, 128, 3),
                new Stage1Config(3000, 16, 1e-3, new double[] {0.5, 0.875}, 100, 0.1, 0, 0,
                        new DiscriminatorConfig(32, 4, 3)),
                new Stage2Config(2500, 4, 2e-4, 1000, 10, 10, 1, 1, 1,
                        new DiscriminatorConfig(32, 4, 3)),
                new DetectConfig(10, Residual.SSIM, 4.0, 1.0, 0.99, 0.25, 256, PATCH_FUSION, SCORE_MARGIN));
    }

    /** @return the reference configuration of the paper, for a GPU */
    public static UtadConfig paper() {
        return new UtadConfig(UtadConfig.VERSION, "paper", 256, Mode.RESIZE, 42L, 0.15, true,
                new IeNetConfig(128),
                new ExpertNetConfig(64, 2, 2, 8, 256, 3),
                new Stage1Config(20000, 128, 1e-3, new double[] {0.5, 0.875}, 100, 0.1, 0, 0,
                        new DiscriminatorConfig(32, 4, 3)),
                new Stage2Config(100000, 1, 1e-4, 50000, 10, 10, 1, 1, 1,
                        new DiscriminatorConfig(64, 4, 3)),
                new DetectConfig(10, Residual.SSIM, 4.0, 1.0, 0.99, 0.5, 0, OWN_CODE, 0.0));
    }
}
