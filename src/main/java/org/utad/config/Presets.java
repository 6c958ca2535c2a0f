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
 *   with a synthetic defect, and 4500 iterations, three times the 1500 it had before.</li>
 *   <li>{@code balanced}: patch mode with 128 px patches, twice the widths of {@code fast}, the paper's
 *   stage 1 for 3000 iterations of batch 16 (fewer than {@code fast}'s 4500), 2500 stage-2 iterations,
 *   the reference 10 random codes and detection on 256 px tiles; a CPU with time to spare or a small
 *   GPU.</li>
 *   <li>{@code paper}: the reference: 256 px, IE-Net filters 128, Expert-Net dim 64 with MLP 256,
 *   batch 128 for stage 1, learning rates and decays as published. Meant for a GPU.</li>
 * </ul>
 * Any value can be changed afterwards with {@link UtadConfig#with(String, String)}.
 *
 * <p>{@code paper} names every setting; {@code fast} and {@code balanced} are written as the paper's
 * settings with the ones they change named, each with its reason where the reason was measured.
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

    /** The seed of every preset, for every random choice (weights, sampling, augmentation, codes). */
    public static final long SEED = 42L;

    /** The share of the normal images that every preset holds out for validation and calibration. */
    public static final double VALIDATION_FRACTION = 0.15;

    /** Whether the presets augment with flips and 90-degree rotations: yes, for images without orientation. */
    public static final boolean AUGMENT = true;

    /** Name of the CPU preset, the cheapest and the default. */
    public static final String FAST = "fast";
    /** Name of the middle preset. */
    public static final String BALANCED = "balanced";
    /** Name of the paper's reference preset. */
    public static final String PAPER = "paper";

    /** The preset names, in order of cost. */
    public static final List<String> NAMES = List.of(FAST, BALANCED, PAPER);

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
            case FAST:
                return fast();
            case BALANCED:
                return balanced();
            case PAPER:
                return paper();
            default:
                throw new IllegalArgumentException("Unknown preset '" + name + "'. Use one of " + NAMES);
        }
    }

    /** @return the CPU preset: 64 px patches, narrow networks, short schedules */
    public static UtadConfig fast() {
        UtadConfig paper = paper();
        DiscriminatorConfig discriminator = DiscriminatorConfig.builder().dim(16).layers(3).scales(2).build();
        Stage1Config stage1 = paper.stage1().toBuilder()
                .iterations(4500).batchSize(16)             // 3x the 1500 of before: fifth round, two seeds
                .ganWeight(0)                               // no image GAN term: the same round
                .corruption(0.5)                            // half the samples with a synthetic defect to undo
                .discriminator(discriminator)
                .build();
        Stage2Config stage2 = paper.stage2().toBuilder()
                .iterations(1000).batchSize(4).learningRate(4e-4).halveEvery(500)
                .discriminator(discriminator)
                .build();
        DetectConfig detect = patchDetection(paper)
                .randomCodes(4)                             // K = 4 random codes, not the reference's 10: CPU time
                .tileSize(0)                                // 64 px tiles, the size the networks trained on
                .build();
        return preset(FAST, 64, Mode.PATCH,               // 64 px patches at native resolution
                IeNetConfig.builder().filters(32).build(),  // a quarter of the paper's widths
                paper.expertNet().toBuilder().dim(16).mlpDim(64).build(),
                stage1, stage2, detect);
    }

    /** @return the middle preset: 128 px patches, twice the widths of fast, a longer stage 2 */
    public static UtadConfig balanced() {
        UtadConfig paper = paper();
        Stage1Config stage1 = paper.stage1().toBuilder()
                .iterations(3000).batchSize(16)
                .build();
        Stage2Config stage2 = paper.stage2().toBuilder()
                .iterations(2500).batchSize(4).learningRate(2e-4).halveEvery(1000)
                .discriminator(paper.stage2().discriminator().toBuilder().dim(32).build())
                .build();
        DetectConfig detect = patchDetection(paper)
                .tileSize(256)                              // tiles twice the model size: less overlap to redo
                .build();
        return preset(BALANCED, 128, Mode.PATCH,
                IeNetConfig.builder().filters(64).build(),  // half the paper's widths
                paper.expertNet().toBuilder().dim(32).mlpDim(128).build(),
                stage1, stage2, detect);
    }

    /** @return the reference configuration of the paper, for a GPU */
    public static UtadConfig paper() {
        DiscriminatorConfig discriminator = DiscriminatorConfig.builder().dim(32).layers(4).scales(3).build();
        Stage1Config stage1 = Stage1Config.builder()
                .iterations(20_000).batchSize(128)
                .learningRate(1e-3).decayAt(0.5, 0.875)     // divided by 10 at epochs 200 and 350 of 400
                .reconWeight(100).ganWeight(0.1).ssimWeight(0)
                .corruption(0)                              // the paper trains on the images as they are
                .discriminator(discriminator)
                .build();
        Stage2Config stage2 = Stage2Config.builder()
                .iterations(100_000).batchSize(1)
                .learningRate(1e-4).halveEvery(50_000)
                .imageRecon(10).paired(10).contentRecon(1).detailRecon(1).ganWeight(1)
                .discriminator(discriminator.toBuilder().dim(64).build())
                .build();
        DetectConfig detect = DetectConfig.builder()
                .randomCodes(10).residual(Residual.SSIM).smoothingSigma(4.0)
                .scoreQuantile(1.0)                         // the image score is the map's maximum
                .calibrationQuantile(0.99)                  // about 1 % of normal images are flagged
                .tileOverlap(0.5).tileSize(0)
                .fusion(OWN_CODE)
                .scoreMargin(0.0)                           // the whole map is scored, as the reference does
                .build();
        return preset(PAPER, 256, Mode.RESIZE,
                IeNetConfig.builder().filters(128).build(),
                ExpertNetConfig.builder().dim(64).nDownsample(2).nRes(2).detailDim(8).mlpDim(256).mlpLayers(3).build(),
                stage1, stage2, detect);
    }

    /**
     * Starts the detection settings that both patch presets share from the paper's.
     *
     * @param paper the paper preset
     * @return a builder with the patch presets' overlap, fusion and score margin
     */
    private static DetectConfig.Builder patchDetection(UtadConfig paper) {
        return paper.detect().toBuilder()
                .tileOverlap(0.25)                          // a quarter of each tile shared with its neighbour
                .fusion(PATCH_FUSION)
                .scoreMargin(SCORE_MARGIN);
    }

    /**
     * Puts a preset's sections together with the settings that every preset shares.
     *
     * @param name      the preset's name
     * @param imageSize the network input size in pixels
     * @param mode      how images are brought to that size
     * @param ieNet     IE-Net width
     * @param expertNet Expert-Net size
     * @param stage1    stage 1 schedule and weights
     * @param stage2    stage 2 schedule and weights
     * @param detect    detection settings
     * @return the configuration
     */
    private static UtadConfig preset(String name, int imageSize, Mode mode, IeNetConfig ieNet,
                                     ExpertNetConfig expertNet, Stage1Config stage1, Stage2Config stage2,
                                     DetectConfig detect) {
        return new UtadConfig(UtadConfig.VERSION, name, imageSize, mode, SEED, VALIDATION_FRACTION, AUGMENT,
                ieNet, expertNet, stage1, stage2, detect);
    }
}
