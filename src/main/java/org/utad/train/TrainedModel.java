package org.utad.train;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.utad.core.FloatImage;
import org.utad.io.Manifest;
import org.utad.io.StageSeconds;
import org.utad.model.UtadNetworks;

/**
 * The result of training, still in memory: the networks (best by validation loss), their
 * manifest (without thresholds yet) and the held-out normal images for calibration. Closing it
 * releases the networks' native memory.
 */
public final class TrainedModel implements AutoCloseable {
    private final NDManager manager;
    private final UtadNetworks networks;
    private final Manifest manifest;
    private final List<FloatImage> calibrationImages;
    private final List<HistoryPoint> history;
    private final StageSeconds stageSeconds;
    private final int skippedSteps;

    TrainedModel(NDManager manager, UtadNetworks networks, Manifest manifest, List<FloatImage> calibrationImages,
                 List<HistoryPoint> history, StageSeconds stageSeconds, int skippedSteps) {
        this.manager = manager;
        this.networks = networks;
        this.manifest = manifest;
        this.calibrationImages = calibrationImages;
        this.history = history;
        this.stageSeconds = stageSeconds;
        this.skippedSteps = skippedSteps;
    }

    /** @return the trained networks */
    public UtadNetworks networks() {
        return networks;
    }

    /** @return the native memory scope the networks live in, for detection scopes right after training */
    public NDManager manager() {
        return manager;
    }

    /** @return the manifest to write with them */
    public Manifest manifest() {
        return manifest;
    }

    /**
     * The images to calibrate thresholds on: the held-out validation images, or the training
     * images when no validation fraction was set (the summary says so).
     *
     * @return raw images
     */
    public List<FloatImage> calibrationImages() {
        return calibrationImages;
    }

    /** @return the loss curves of both stages */
    public List<HistoryPoint> history() {
        return history;
    }

    /**
     * The time each stage trained, over every run that trained this model (a resumed run adds to what
     * the checkpoint kept); the manifest's training summary holds the same values.
     *
     * @return the stage timings
     */
    public StageSeconds stageSeconds() {
        return stageSeconds;
    }

    /**
     * How many steps were skipped because a gradient was not finite while the losses were, in this
     * run, so the summary can warn about the numerics.
     *
     * @return the count, 0 for a clean run
     */
    public int skippedSteps() {
        return skippedSteps;
    }

    @Override
    public void close() {
        manager.close();
    }
}
