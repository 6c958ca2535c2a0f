package org.utad.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.utad.config.Normalization;
import org.utad.config.UtadConfig;
import org.utad.core.InvalidInputException;
import org.utad.core.ModelFormatException;
import org.utad.core.ProgressEvent;
import org.utad.core.ProgressListener;
import org.utad.io.Manifest;
import org.utad.io.ModelBundle;
import org.utad.model.UtadNetworks;

/**
 * A run's training checkpoint file: a model bundle of all networks (generators and discriminators)
 * plus extra entries for the {@link TrainerState} ({@value #STATE_ENTRY}), each optimiser's moments
 * and the best networks so far. It is written atomically, so a crash leaves the previous one intact,
 * and read back only with the settings the run started with.
 */
final class Checkpoint {
    private static final String STATE_ENTRY = "trainer_state.json";
    private static final String BEST_PREFIX = "best_";
    private static final String ADAM_PREFIX = "adam_";

    private final Path file;
    private final UtadConfig config;
    private final int channels;
    private final Normalization normalization;
    private final UtadNetworks nets;
    private final Map<String, Adam> optimisers;
    private final NDManager manager;

    /**
     * @param file          the checkpoint file, or null when the run keeps none
     * @param config        the run's configuration
     * @param channels      the training images' channels
     * @param normalization the normalisation fitted to the training images
     * @param nets          the networks being trained
     * @param optimisers    each network's optimiser, by network name
     * @param manager       the native memory scope that owns the networks
     */
    Checkpoint(Path file, UtadConfig config, int channels, Normalization normalization, UtadNetworks nets,
               Map<String, Adam> optimisers, NDManager manager) {
        this.file = file;
        this.config = config;
        this.channels = channels;
        this.normalization = normalization;
        this.nets = nets;
        this.optimisers = optimisers;
        this.manager = manager;
    }

    /** @return the checkpoint file, or null when the run keeps none */
    Path file() {
        return file;
    }

    /**
     * Writes the checkpoint atomically, replacing the previous one; does nothing when the run keeps none.
     *
     * @param state where the run stands
     */
    void write(TrainerState state) {
        if (file == null) {
            return;
        }
        Map<String, byte[]> extras = new LinkedHashMap<>();
        extras.put(STATE_ENTRY, TrainerState.GSON.toJson(state.toJson(config)).getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, Adam> e : optimisers.entrySet()) {
            extras.put(ADAM_PREFIX + e.getKey(), e.getValue().encodeState());
        }
        for (Map.Entry<String, byte[]> e : state.best.entrySet()) {
            extras.put(BEST_PREFIX + e.getKey(), e.getValue());
        }
        Manifest m = ModelBundle.manifest(config, channels, normalization, nets.all(), new JsonObject(), null);
        ModelBundle.write(file, m, nets.all(), extras, true, false);
    }

    /**
     * Reads the settings a training checkpoint was started with.
     *
     * @param checkpoint a checkpoint file
     * @return the configuration saved in it
     * @throws ModelFormatException if the file is not a training checkpoint
     */
    static UtadConfig savedConfig(Path checkpoint) {
        return UtadConfig.fromJsonTree(readState(checkpoint).get("config"));
    }

    private static JsonObject readState(Path file) {
        byte[] raw = ModelBundle.readExtra(file, STATE_ENTRY);
        if (raw == null) {
            throw new ModelFormatException("The file " + file + " is not a training checkpoint.");
        }
        return TrainerState.GSON.fromJson(new String(raw, StandardCharsets.UTF_8), JsonObject.class);
    }

    /**
     * Loads the checkpoint into the run: the networks, the optimisers, the best networks and the state.
     * Refuses, before changing anything, a checkpoint of other channels or other training settings.
     *
     * @param state    receives where the checkpointed run stood
     * @param listener told where the run resumes
     * @throws InvalidInputException if the checkpoint was made on other images or with other settings
     */
    void restore(TrainerState state, ProgressListener listener) {
        Manifest m = ModelBundle.readManifest(file);
        if (m.channels() != channels) {
            throw new InvalidInputException("The checkpoint " + file + " was trained on " + m.channels()
                    + "-channel images, these have " + channels + ". Use the same images, or start afresh"
                    + " (resume off).");
        }
        JsonObject saved = readState(file);
        List<String> changed = new ArrayList<>();
        UtadConfig.fromJsonTree(saved.get("config")).differences(config).forEach((key, change) -> {
            if (!key.startsWith("detect.") && !key.equals("preset") && !key.equals("version")) {
                changed.add(key + ": " + change);
            }
        });
        if (!changed.isEmpty()) {
            throw new InvalidInputException("The checkpoint " + file + " was made with other training settings,"
                    + " and a resumed run must go on with the ones it started with: " + String.join("; ", changed)
                    + ". Resume with the checkpoint's settings (the command line's --resume without --preset or"
                    + " --set takes them from the checkpoint), or start afresh without resume.");
        }
        ModelBundle.loadParameters(file, m, nets.all(), manager);
        for (Block network : nets.all().values()) {
            Adam.trackGradients(network);
        }
        for (Map.Entry<String, Adam> e : optimisers.entrySet()) {
            byte[] s = ModelBundle.readExtra(file, ADAM_PREFIX + e.getKey());
            if (s != null) {
                e.getValue().decodeState(s);
            }
        }
        for (String name : nets.inference().keySet()) {
            byte[] b = ModelBundle.readExtra(file, BEST_PREFIX + name);
            if (b != null) {
                state.best.put(name, b);
            }
        }
        state.read(saved);
        listener.onProgress(ProgressEvent.message("resume", "Resuming from " + file + " at stage " + state.stage
                + ", iteration " + state.iteration + "."));
    }
}
