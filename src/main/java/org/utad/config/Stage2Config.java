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

    /** @return a builder with no setting made yet: {@link Builder#build()} wants every one named */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this configuration's settings, to change some of them by name */
    public Builder toBuilder() {
        return builder().iterations(iterations).batchSize(batchSize).learningRate(learningRate).halveEvery(halveEvery)
                .imageRecon(imageRecon).paired(paired).contentRecon(contentRecon).detailRecon(detailRecon)
                .ganWeight(ganWeight).discriminator(discriminator);
    }

    /**
     * Builds a {@link Stage2Config} from named settings, so that a preset or a test reads as
     * {@code .iterations(1000).halveEvery(500)} instead of a row of bare numbers. Each setter's meaning
     * is that of the record component of the same name.
     */
    public static final class Builder {
        private Integer iterations;
        private Integer batchSize;
        private Double learningRate;
        private Integer halveEvery;
        private Double imageRecon;
        private Double paired;
        private Double contentRecon;
        private Double detailRecon;
        private Double ganWeight;
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

        /** Sets the steps between halvings of the learning rate; returns this builder. */
        public Builder halveEvery(int value) {
            halveEvery = value;
            return this;
        }

        /** Sets the weight of within-domain image reconstruction; returns this builder. */
        public Builder imageRecon(double value) {
            imageRecon = value;
            return this;
        }

        /** Sets the weight of the supervised impression to image translation; returns this builder. */
        public Builder paired(double value) {
            paired = value;
            return this;
        }

        /** Sets the weight of content-code reconstruction; returns this builder. */
        public Builder contentRecon(double value) {
            contentRecon = value;
            return this;
        }

        /** Sets the weight of detail-code reconstruction; returns this builder. */
        public Builder detailRecon(double value) {
            detailRecon = value;
            return this;
        }

        /** Sets the weight of the GAN terms, 0 for no discriminators; returns this builder. */
        public Builder ganWeight(double value) {
            ganWeight = value;
            return this;
        }

        /** Sets the per-domain discriminators; returns this builder. */
        public Builder discriminator(DiscriminatorConfig value) {
            discriminator = value;
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalStateException naming a setting that was not made
         * @throws IllegalArgumentException if a value is out of range
         */
        public Stage2Config build() {
            return new Stage2Config(Required.value(iterations, "stage2.iterations"),
                    Required.value(batchSize, "stage2.batch_size"),
                    Required.value(learningRate, "stage2.learning_rate"),
                    Required.value(halveEvery, "stage2.halve_every"),
                    Required.value(imageRecon, "stage2.image_recon"),
                    Required.value(paired, "stage2.paired"),
                    Required.value(contentRecon, "stage2.content_recon"),
                    Required.value(detailRecon, "stage2.detail_recon"),
                    Required.value(ganWeight, "stage2.gan_weight"),
                    Required.value(discriminator, "stage2.discriminator"));
        }
    }
}
