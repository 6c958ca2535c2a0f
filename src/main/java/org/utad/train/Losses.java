package org.utad.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * The loss terms of both stages, as plain means so the configured weights mean what the paper's
 * weights mean (DJL's own L2Loss carries a factor 1/2 and is avoided for that reason).
 */
public final class Losses {
    private Losses() {
    }

    /**
     * Mean squared error.
     *
     * @param a prediction
     * @param b target
     * @return a scalar
     */
    public static NDArray mse(NDArray a, NDArray b) {
        return a.sub(b).square().mean();
    }

    /**
     * Mean absolute error.
     *
     * @param a prediction
     * @param b target
     * @return a scalar
     */
    public static NDArray l1(NDArray a, NDArray b) {
        return a.sub(b).abs().mean();
    }

    /**
     * Least-squares GAN loss of a generator: its fakes should score 1 at every scale.
     *
     * @param fakeScores discriminator outputs for generated images, one per scale
     * @return the sum over scales of mean((D - 1)^2)
     */
    public static NDArray lsganGenerator(NDList fakeScores) {
        NDArray total = null;
        for (NDArray s : fakeScores) {
            NDArray term = s.sub(1).square().mean();
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    /**
     * Least-squares GAN loss of a discriminator: real images should score 1, fakes 0.
     *
     * @param realScores outputs for real images, one per scale
     * @param fakeScores outputs for (detached) generated images, one per scale
     * @return the sum over scales of mean((D(real) - 1)^2) + mean(D(fake)^2)
     */
    public static NDArray lsganDiscriminator(NDList realScores, NDList fakeScores) {
        NDArray total = null;
        for (int i = 0; i < realScores.size(); i++) {
            NDArray term = realScores.get(i).sub(1).square().mean().add(fakeScores.get(i).square().mean());
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    /**
     * Least-squares GAN loss of a discriminator, with the real and the generated images scored in one
     * pass: they are stacked on the batch axis and each scale's scores split back ({@code Stacked}).
     * The discriminators treat every sample on its own (instance norm, per-sample pooling), so this
     * is {@link #lsganDiscriminator(NDList, NDList)} of two passes, in half the engine calls and on
     * batches twice as large.
     *
     * @param discriminator the multi-scale discriminator, run in training mode
     * @param ps            the parameter store of the training run
     * @param real          real images, (N, C, H, W)
     * @param fake          generated images of the same size, detached from their generator's graph
     * @return the sum over scales of mean((D(real) - 1)^2) + mean(D(fake)^2)
     */
    public static NDArray lsganDiscriminator(Block discriminator, ParameterStore ps, NDArray real, NDArray fake) {
        NDList[] scores = Stacked.forward(discriminator, ps, new NDList(real), new NDList(fake));
        return lsganDiscriminator(scores[0], scores[1]);
    }
}
