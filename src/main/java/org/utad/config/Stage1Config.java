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

    /** @return a builder with no setting made yet: {@link Builder#build()} wants every one named */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this configuration's settings, to change some of them by name */
    public Builder toBuilder() {
        return builder().iterations(iterations).batchSize(batchSize).learningRate(learningRate).decayAt(decayAt)
                .reconWeight(reconWeight).ganWeight(ganWeight).ssimWeight(ssimWeight).corruption(corruption)
                .discriminator(discriminator);
    }

    /**
     * Builds a {@link Stage1Config} from named settings, so that a preset or a test reads as
     * {@code .iterations(4500).batchSize(16)} instead of a row of bare numbers. Each setter's meaning is
     * that of the record component of the same name.
     */
    public static final class Builder {
        private Integer iterations;
        private Integer batchSize;
        private Double learningRate;
        private double[] decayAt;
        private Double reconWeight;
        private Double ganWeight;
        private Double ssimWeight;
        private Double corruption;
        private DiscriminatorConfig discriminator;

        private Builder() {
        }

        /** Sets the optimiser steps; returns this builder. */
        public Builder iterations(int value) {
            iterations = value;
            return this;
        }

        /** Sets the images per step; returns this builder. */
        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        /** Sets the Adam learning rate; returns this builder. */
        public Builder learningRate(double value) {
            learningRate = value;
            return this;
        }

        /** Sets the fractions of the run at which the learning rate is divided by 10; returns this builder. */
        public Builder decayAt(double... fractions) {
            decayAt = fractions.clone();
            return this;
        }

        /** Sets the weight of the L2 reconstruction loss; returns this builder. */
        public Builder reconWeight(double value) {
            reconWeight = value;
            return this;
        }

        /** Sets the weight of the LSGAN loss, 0 for no discriminator; returns this builder. */
        public Builder ganWeight(double value) {
            ganWeight = value;
            return this;
        }

        /** Sets the weight of the 1 - SSIM reconstruction term, 0 for none; returns this builder. */
        public Builder ssimWeight(double value) {
            ssimWeight = value;
            return this;
        }

        /** Sets the share of training samples shown with a synthetic defect; returns this builder. */
        public Builder corruption(double value) {
            corruption = value;
            return this;
        }

        /** Sets the image discriminator; returns this builder. */
        public Builder discriminator(DiscriminatorConfig value) {
            discriminator = value;
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalStateException naming a setting that was not made
         * @throws IllegalArgumentException if a value is out of range
         */
        public Stage1Config build() {
            return new Stage1Config(Required.value(iterations, "stage1.iterations"),
                    Required.value(batchSize, "stage1.batch_size"),
                    Required.value(learningRate, "stage1.learning_rate"),
                    Required.value(decayAt, "stage1.decay_at"),
                    Required.value(reconWeight, "stage1.recon_weight"),
                    Required.value(ganWeight, "stage1.gan_weight"),
                    Required.value(ssimWeight, "stage1.ssim_weight"),
                    Required.value(corruption, "stage1.corruption"),
                    Required.value(discriminator, "stage1.discriminator"));
        }
    }
}
