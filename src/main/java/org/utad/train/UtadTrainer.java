package org.utad.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.utad.config.Normalization;
import org.utad.config.UtadConfig;
import org.utad.core.CancellationToken;
import org.utad.core.CancelledException;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;
import org.utad.core.ModelFormatException;
import org.utad.core.ProgressEvent;
import org.utad.core.ProgressListener;
import org.utad.data.TrainingSet;
import org.utad.engine.Engines;
import org.utad.io.Manifest;
import org.utad.io.ModelBundle;
import org.utad.model.UtadNetworks;

/**
 * Trains both stages of UTAD on normal images: prepares the samples, builds the networks and their
 * optimisers, resumes from a checkpoint when asked, runs {@link Stage1Loop} and {@link Stage2Loop},
 * and hands back the best networks with their manifest.
 *
 * <p>Every random choice derives from the configuration's seed and the iteration number, so a run is
 * reproducible on the CPU and a resumed run continues as if it had not stopped. A {@link Checkpoint}
 * (all networks, optimiser states, best weights so far, loss history) is written atomically at regular
 * intervals, at the end of stage 1 and on cancellation. The networks returned are the best by
 * validation loss of each stage.
 */
public final class UtadTrainer {
    private final TrainingRequest request;
    private final UtadConfig config;
    private final ProgressListener listener;
    private final CancellationToken cancel;
    private final FiniteGuard guard;

    private UtadTrainer(TrainingRequest request, ProgressListener listener, CancellationToken cancel) {
        this.request = request;
        this.config = request.config();
        this.listener = listener == null ? ProgressListener.NONE : listener;
        this.cancel = cancel == null ? CancellationToken.none() : cancel;
        this.guard = new FiniteGuard(request.checkpoint(), Engines.numerics().line(),
                m -> this.listener.onProgress(ProgressEvent.message("train", m)));
    }

    /**
     * Trains a model.
     *
     * @param request  images, configuration, device and checkpoint
     * @param listener receives progress every iteration
     * @param cancel   stops training between iterations; a checkpoint is written first
     * @return the trained networks, to calibrate and save; the caller closes it
     * @throws InvalidInputException if the images cannot be trained on
     * @throws CancelledException    if cancelled; the message names the checkpoint
     */
    public static TrainedModel train(TrainingRequest request, ProgressListener listener, CancellationToken cancel) {
        return new UtadTrainer(request, listener, cancel).run();
    }

    /**
     * Reads the settings a training checkpoint was started with, so that a front end can resume a run
     * without the user repeating every setting (and cannot resume it with other ones by accident).
     *
     * @param checkpoint a {@code <model>.checkpoint} file written by {@link #train}
     * @return the configuration saved in it
     * @throws ModelFormatException if the file is not a training checkpoint
     */
    public static UtadConfig savedConfig(Path checkpoint) {
        return Checkpoint.savedConfig(checkpoint);
    }

    private TrainedModel run() {
        List<FloatImage> images = request.images();
        if (images == null || images.isEmpty()) {
            throw new InvalidInputException("No training images were given. Select a stack or a folder of normal"
                    + " images.");
        }
        Normalization normalization = Normalization.fit(images);
        TrainingSet all = TrainingSet.prepare(images, normalization, config.imageSize(), config.mode(),
                TrainingSet.MIN_IMAGES);
        List<String> padded = all.paddedNames();
        if (!padded.isEmpty()) {
            listener.onProgress(ProgressEvent.message("train", padded.size() + " of " + all.size() + " images are"
                    + " smaller than the " + config.imageSize() + " px patches in width or height and were"
                    + " reflection-padded to that size, as detection pads them (first: " + padded.get(0) + ")."
                    + " If the padding's mirrored borders matter, use a smaller image_size or mode=resize."));
        }
        int channels = all.channels();
        List<List<Integer>> split = TrainingSet.splitIndices(all.size(), config.validationFraction(), config.seed());
        TrainingSet train = all.subset(split.get(0));
        TrainingSet validation = all.subset(split.get(1).isEmpty() ? split.get(0) : split.get(1));
        List<FloatImage> calibration = new ArrayList<>();
        for (int i : split.get(1).isEmpty() ? split.get(0) : split.get(1)) {
            calibration.add(images.get(i));
        }
        Engines.noGradientsOnThisThread();
        NDManager manager = NDManager.newBaseManager(request.device());
        boolean ok = false;
        try {
            Engine.getInstance().setRandomSeed((int) config.seed());
            UtadNetworks nets = UtadNetworks.create(config, channels, manager, true);
            Map<String, Adam> optimisers = optimisers(nets, manager);
            TrainerState state = new TrainerState();
            Checkpoint checkpoint = new Checkpoint(request.checkpoint(), config, channels, normalization, nets,
                    optimisers, manager);
            if (request.resume() && request.checkpoint() != null && Files.exists(request.checkpoint())) {
                checkpoint.restore(state, listener);
            }
            TrainingRun run = new TrainingRun(config, manager, nets, optimisers, guard, state,
                    new Validation(manager, nets, config, channels),
                    new ProgressReport(listener, config.stage1().batchSize(), config.stage2().batchSize()),
                    checkpoint, cancel);
            List<float[]> valSamples = validation.fixedSamples(4);
            if (state.stage == 1) {
                Stage1Loop.run(run, train, valSamples);
                state.stage = 2;
                state.iteration = 0;
                run.writeCheckpoint();
            }
            Stage2Loop.run(run, train, valSamples);
            run.writeCheckpoint();
            for (String name : new String[] {UtadNetworks.IE_NET, UtadNetworks.EXPERT_IMAGE,
                    UtadNetworks.EXPERT_IMPRESSION}) {
                run.loadBest(name, nets.inference().get(name));
            }
            Manifest manifest = ModelBundle.manifest(config, channels, normalization, nets.inference(),
                    summary(state, images.size(), train.size(), split.get(1).size()), null);
            ok = true;
            return new TrainedModel(manager, nets, manifest, calibration, List.copyOf(state.history),
                    state.seconds(), guard.skipped());
        } finally {
            if (!ok) {
                manager.close();
            }
        }
    }

    /** One Adam per trained network, in the order the checkpoint stores their states. */
    private static Map<String, Adam> optimisers(UtadNetworks nets, NDManager manager) {
        Map<String, Adam> optimisers = new LinkedHashMap<>();
        optimisers.put(UtadNetworks.IE_NET, new Adam(nets.ieNet(), manager, Adam.BETA1_IE_NET, Adam.BETA2));
        optimisers.put(UtadNetworks.IE_DISCRIMINATOR, new Adam(nets.ieDiscriminator(), manager, Adam.BETA1_GAN, Adam.BETA2));
        optimisers.put(UtadNetworks.EXPERT_IMAGE, new Adam(nets.expertImage(), manager, Adam.BETA1_GAN, Adam.BETA2));
        optimisers.put(UtadNetworks.EXPERT_IMPRESSION, new Adam(nets.expertImpression(), manager, Adam.BETA1_GAN, Adam.BETA2));
        optimisers.put(UtadNetworks.DISC_IMAGE, new Adam(nets.discImage(), manager, Adam.BETA1_GAN, Adam.BETA2));
        optimisers.put(UtadNetworks.DISC_IMPRESSION, new Adam(nets.discImpression(), manager, Adam.BETA1_GAN, Adam.BETA2));
        return optimisers;
    }

    /** The manifest's training summary: the data, the device, the times, the best losses and the curves. */
    private JsonObject summary(TrainerState state, int imagesTotal, int imagesTrain, int imagesValidation) {
        JsonObject t = new JsonObject();
        t.addProperty("images", imagesTotal);
        t.addProperty("training_images", imagesTrain);
        t.addProperty("validation_images", imagesValidation);
        t.addProperty("device", Engines.label(request.device()));
        t.addProperty("threads", Runtime.getRuntime().availableProcessors());
        t.addProperty("seed", config.seed());
        state.seconds().addTo(t);
        t.addProperty("skipped_steps", guard.skipped());
        t.addProperty("best_validation_stage1", state.bestValidation1);
        t.addProperty("best_validation_stage2", state.bestValidation2);
        t.add("history", TrainerState.GSON.toJsonTree(state.history));
        return t;
    }
}
