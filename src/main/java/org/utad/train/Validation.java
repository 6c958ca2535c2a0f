package org.utad.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.function.Function;
import org.utad.config.UtadConfig;
import org.utad.model.UtadNetworks;

/**
 * The validation losses that select the best networks of each stage, computed on fixed held-out
 * samples in inference mode, each batch in its own native memory scope.
 *
 * <p>A batch holds {@value #BATCH_PIXELS} pixels' worth of samples: 32 samples of 64 px, 8 of 128 px,
 * at least {@value #MIN_BATCH}. Batches of 8 small patches spent most of their time on the engine's
 * per-operation costs: at 64 px, batches of 32 took 0.68 of the time of batches of 8 for the same
 * losses to rounding (docs/BENCHMARKS.md, issue 17's thirteenth pass), with no more memory per batch
 * than 8 samples of 128 px.
 */
final class Validation {
    /** The pixels per sample times the samples of a batch, for samples of at most 128 px. */
    private static final int BATCH_PIXELS = 32 * 64 * 64;
    /** The fewest samples in a batch, whatever their size. */
    private static final int MIN_BATCH = 8;

    private final NDManager manager;
    private final UtadNetworks nets;
    private final UtadConfig config;
    private final int channels;

    /**
     * @param manager  the run's native memory scope; each batch opens a sub-scope of it
     * @param nets     the networks being trained
     * @param config   the configuration (the samples' size)
     * @param channels the samples' channels
     */
    Validation(NDManager manager, UtadNetworks nets, UtadConfig config, int channels) {
        this.manager = manager;
        this.nets = nets;
        this.config = config;
        this.channels = channels;
    }

    /** Validation loss of stage 1: the L2 reconstruction error on held-out samples, in inference mode. */
    double validate1(ParameterStore ps, List<float[]> samples) {
        return meanLoss(samples, x -> Losses.mse(nets.ieNet().forward(ps, new NDList(x), false).singletonOrThrow(), x));
    }

    /** Validation loss of stage 2: the L1 error of expert reconstructions on held-out samples. */
    double validate2(ParameterStore ps, List<float[]> samples) {
        return meanLoss(samples, x01 -> {
            NDArray m = nets.ieNet().forward(ps, new NDList(x01), false).singletonOrThrow().mul(2).sub(1);
            NDArray x = x01.mul(2).sub(1);
            NDArray xe = nets.expertReconstruction(ps, nets.impressionContent(ps, m), x);
            return Losses.l1(xe, x);
        });
    }

    /**
     * The mean of a per-batch loss over the held-out samples, weighted by batch size, each batch in its
     * own scope so that validation holds no more native memory than one batch.
     */
    private double meanLoss(List<float[]> samples, Function<NDArray, NDArray> loss) {
        double sum = 0;
        int n = 0;
        int perBatch = batchSize(config.imageSize());
        for (int start = 0; start < samples.size(); start += perBatch) {
            try (NDManager step = manager.newSubManager()) {
                NDArray x = batch(step, samples, start, perBatch);
                long count = x.getShape().get(0);
                sum += loss.apply(x).getFloat() * count;
                n += count;
            }
        }
        return sum / Math.max(1, n);
    }

    /**
     * @param size the samples' width and height
     * @return the samples per validation batch
     */
    static int batchSize(int size) {
        return Math.max(MIN_BATCH, BATCH_PIXELS / (size * size));
    }

    private NDArray batch(NDManager m, List<float[]> samples, int start, int perBatch) {
        int end = Math.min(samples.size(), start + perBatch);
        int per = samples.get(0).length;
        float[] data = new float[(end - start) * per];
        for (int i = start; i < end; i++) {
            System.arraycopy(samples.get(i), 0, data, (i - start) * per, per);
        }
        int s = config.imageSize();
        return m.create(data, new Shape(end - start, channels, s, s));
    }
}
