package org.utad.config;

/**
 * Training schedule and loss weights of stage 2 (Expert-Net).
 *
 * @param iterations    optimiser steps
 * @param batchSize     images per step
 * @param learningRate  Adam learning rate (1e-4 in the reference, beta1 0.5)
 * @param halveEvery    steps between halvings of the learning rate (50 000 in the reference)
 * @param imageRecon    weight of within-domain image reconstruction (10)
 * @param paired        weight of the supervised impression -> image translation with the image's own
 *                      detail code (L1); possible because every image comes with its impression
 * @param contentRecon  weight of content-code reconstruction (1)
 * @param detailRecon   weight of detail-code reconstruction (1)
 * @param ganWeight     weight of the GAN terms (1); 0 disables the discriminators
 * @param discriminator the per-domain discriminators
 */
public record Stage2Config(int iterations, int batchSize, double learningRate, int halveEvery,
                           double imageRecon, double paired, double contentRecon, double detailRecon,
                           double ganWeight, DiscriminatorConfig discriminator) {
    /** @throws IllegalArgumentException if a value is out of range */
    public Stage2Config {
        if (iterations < 0 || batchSize < 1 || !(learningRate > 0) || halveEvery < 1) {
            throw new IllegalArgumentException("Stage 2 needs iterations >= 0, batch >= 1, a positive "
                    + "learning rate and halve_every >= 1");
        }
    }

    /**
     * @param steps the new number of optimiser steps
     * @return a copy with that many steps, every other setting kept
     */
    public Stage2Config withIterations(int steps) {
        return new Stage2Config(steps, batchSize, learningRate, halveEvery, imageRecon, paired, contentRecon,
                detailRecon, ganWeight, discriminator);
    }
}
