package org.utad.config;

/**
 * Training schedule and loss weights of stage 1 (IE-Net).
 *
 * @param iterations      optimiser steps
 * @param batchSize       images per step
 * @param learningRate    Adam learning rate (1e-3 in the reference)
 * @param decayAt         fractions of the run at which the learning rate is divided by 10
 *                        (the reference decays at epochs 200 and 350 of 400: 0.5 and 0.875)
 * @param reconWeight     weight of the L2 reconstruction loss (100)
 * @param ganWeight       weight of the multi-scale LSGAN loss (0.1); 0 disables the discriminator
 * @param ssimWeight      weight of an optional 1 - SSIM reconstruction term (0 = off)
 * @param corruption      share of training samples (0..1) that the IE-Net sees with a synthetic defect
 *                        painted in while it is asked for the clean sample ({@code Corruptions}); 0, the
 *                        paper's training, reconstructs what it is given, so it learns to copy defects too
 * @param discriminator   the image discriminator
 */
public record Stage1Config(int iterations, int batchSize, double learningRate, double[] decayAt,
                           double reconWeight, double ganWeight, double ssimWeight, double corruption,
                           DiscriminatorConfig discriminator) {
    /** @throws IllegalArgumentException if a value is out of range */
    public Stage1Config {
        if (iterations < 0 || batchSize < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException("Stage 1 needs iterations >= 0, batch >= 1 and a positive learning rate");
        }
        if (!(corruption >= 0 && corruption <= 1)) {
            throw new IllegalArgumentException("stage1.corruption is the share of corrupted training samples, from 0"
                    + " to 1; got " + corruption);
        }
        decayAt = decayAt == null ? new double[0] : decayAt.clone();
    }

    /**
     * @param steps the new number of optimiser steps
     * @return a copy with that many steps, every other setting kept
     */
    public Stage1Config withIterations(int steps) {
        return new Stage1Config(steps, batchSize, learningRate, decayAt, reconWeight, ganWeight, ssimWeight,
                corruption, discriminator);
    }
}
