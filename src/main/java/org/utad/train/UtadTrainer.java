package org.utad.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.utad.config.Normalization;
import org.utad.config.Stage1Config;
import org.utad.config.Stage2Config;
import org.utad.config.UtadConfig;
import org.utad.core.CancellationToken;
import org.utad.core.CancelledException;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;
import org.utad.core.ModelFormatException;
import org.utad.core.ProgressEvent;
import org.utad.core.ProgressListener;
import org.utad.core.UtadException;
import org.utad.data.TrainingSet;
import org.utad.engine.Engines;
import org.utad.io.Manifest;
import org.utad.io.ModelBundle;
import org.utad.model.ExpertGenerator;
import org.utad.model.UtadNetworks;

/**
 * Trains both stages of UTAD on normal images.
 *
 * <p>Stage 1 trains the IE-Net to reconstruct images through its narrow bottleneck (L2, weight
 * 100) while a multi-scale LSGAN discriminator (weight 0.1) keeps the impressions image-like.
 * Stage 2 trains the Expert-Net generators of the image and impression domains, MUNIT-style
 * (within-domain reconstruction, content- and detail-code reconstruction, GAN terms), plus the
 * supervised translation impression to image with the image's own detail code, which is exactly
 * the expert reconstruction used at detection time.
 *
 * <p>Every random choice derives from the configuration's seed and the iteration number, so a run is
 * reproducible on the CPU and a resumed run continues as if it had not stopped. A checkpoint (all
 * networks, optimiser states, best weights so far, loss history) is written atomically at regular
 * intervals, at the end of stage 1 and on cancellation. The networks returned are the best by
 * validation loss of each stage.
 */
public final class UtadTrainer {
    private static final String STATE_ENTRY = "trainer_state.json";
    private static final String BEST_PREFIX = "best_";
    private static final String ADAM_PREFIX = "adam_";
    private static final int VALIDATION_BATCH = 8;
    private static final int MAX_HISTORY_PER_STAGE = 400;
    private static final Gson GSON = new com.google.gson.GsonBuilder().serializeSpecialFloatingPointValues().create();

    private final TrainingRequest request;
    private final UtadConfig config;
    private final ProgressListener listener;
    private final CancellationToken cancel;
    private final FiniteGuard guard;

    private NDManager manager;
    private UtadNetworks nets;
    private final Map<String, Adam> optimisers = new LinkedHashMap<>();
    private final Map<String, byte[]> best = new HashMap<>();
    private final List<HistoryPoint> history = new ArrayList<>();
    private int stage = 1;
    private int iteration;
    private double bestValidation1 = Double.POSITIVE_INFINITY;
    private double bestValidation2 = Double.POSITIVE_INFINITY;
    private double secondsStage1;
    private double secondsStage2;
    /** When the running stage's loop started in this run (System.nanoTime), or 0 between stages. */
    private long stageStarted;
    private Normalization normalization;
    private int channels;

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

    private TrainedModel run() {
        List<FloatImage> images = request.images();
        if (images == null || images.isEmpty()) {
            throw new InvalidInputException("No training images were given. Select a stack or a folder of normal"
                    + " images.");
        }
        normalization = Normalization.fit(images);
        TrainingSet all = TrainingSet.prepare(images, normalization, config.imageSize(), config.mode(),
                TrainingSet.MIN_IMAGES);
        List<String> padded = all.paddedNames();
        if (!padded.isEmpty()) {
            listener.onProgress(ProgressEvent.message("train", padded.size() + " of " + all.size() + " images are"
                    + " smaller than the " + config.imageSize() + " px patches in width or height and were"
                    + " reflection-padded to that size, as detection pads them (first: " + padded.get(0) + ")."
                    + " If the padding's mirrored borders matter, use a smaller image_size or mode=resize."));
        }
        channels = all.channels();
        List<List<Integer>> split = TrainingSet.splitIndices(all.size(), config.validationFraction(), config.seed());
        TrainingSet train = all.subset(split.get(0));
        TrainingSet validation = all.subset(split.get(1).isEmpty() ? split.get(0) : split.get(1));
        List<FloatImage> calibration = new ArrayList<>();
        for (int i : split.get(1).isEmpty() ? split.get(0) : split.get(1)) {
            calibration.add(images.get(i));
        }
        Engines.noGradientsOnThisThread();
        manager = NDManager.newBaseManager(request.device());
        boolean ok = false;
        try {
            Engine.getInstance().setRandomSeed((int) config.seed());
            nets = UtadNetworks.create(config, channels, manager, true);
            optimisers.put(UtadNetworks.IE_NET, new Adam(nets.ieNet(), manager, Adam.BETA1_IE_NET, Adam.BETA2));
            optimisers.put(UtadNetworks.IE_DISCRIMINATOR, new Adam(nets.ieDiscriminator(), manager, Adam.BETA1_GAN, Adam.BETA2));
            optimisers.put(UtadNetworks.EXPERT_IMAGE, new Adam(nets.expertImage(), manager, Adam.BETA1_GAN, Adam.BETA2));
            optimisers.put(UtadNetworks.EXPERT_IMPRESSION, new Adam(nets.expertImpression(), manager, Adam.BETA1_GAN, Adam.BETA2));
            optimisers.put(UtadNetworks.DISC_IMAGE, new Adam(nets.discImage(), manager, Adam.BETA1_GAN, Adam.BETA2));
            optimisers.put(UtadNetworks.DISC_IMPRESSION, new Adam(nets.discImpression(), manager, Adam.BETA1_GAN, Adam.BETA2));
            if (request.resume() && request.checkpoint() != null && Files.exists(request.checkpoint())) {
                restore(request.checkpoint());
            }
            List<float[]> valSamples = validation.fixedSamples(4);
            if (stage == 1) {
                stage1(train, valSamples);
                stage = 2;
                iteration = 0;
                writeCheckpoint();
            }
            stage2(train, valSamples);
            writeCheckpoint();
            restoreBest();
            Manifest manifest = ModelBundle.manifest(config, channels, normalization, nets.inference(),
                    summary(images.size(), train.size(), split.get(1).size()), null);
            ok = true;
            return new TrainedModel(manager, nets, manifest, calibration, List.copyOf(history));
        } finally {
            if (!ok) {
                manager.close();
            }
        }
    }

    private void stage1(TrainingSet train, List<float[]> valSamples) {
        Stage1Config s1 = config.stage1();
        int total = s1.iterations();
        int validateEvery = Math.max(1, total / 20);
        int historyEvery = Math.max(1, total / MAX_HISTORY_PER_STAGE);
        ParameterStore ps = new ParameterStore(manager, false);
        Adam optIe = optimisers.get(UtadNetworks.IE_NET);
        Adam optD = optimisers.get(UtadNetworks.IE_DISCRIMINATOR);
        stageStarted = System.nanoTime();
        double rate = Double.NaN;
        for (; iteration < total; iteration++) {
            checkCancelled();
            float lr = (float) (s1.learningRate() * Math.pow(0.1, decaysPassed(s1.decayAt(), iteration, total)));
            Map<String, Double> losses = new LinkedHashMap<>();
            long t0 = System.nanoTime();
            try (NDManager step = manager.newSubManager()) {
                NDList pair = train.samplePairs(step, s1.batchSize(), random(iteration, 1), config.augment(),
                        s1.corruption());
                NDArray x = pair.get(0);
                NDArray input = pair.get(1);
                NDArray impression = GeneratorSteps.ieNet(nets, ps, s1, x, input, losses);
                if (guard.check(1, iteration, total, losses, optIe)) {
                    optIe.step(lr);
                }
                if (s1.ganWeight() > 0) {
                    Adam.zeroGradients(nets.ieDiscriminator());
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray d = Losses.lsganDiscriminator(nets.ieDiscriminator().forward(ps, new NDList(x), true),
                                nets.ieDiscriminator().forward(ps, new NDList(impression.stopGradient()), true));
                        losses.put("disc", (double) d.getFloat());
                        gc.backward(d);
                    }
                    if (guard.check(1, iteration, total, losses, optD)) {
                        optD.step(lr);
                    }
                }
            }
            rate = ema(rate, s1.batchSize() / ((System.nanoTime() - t0) / 1e9));
            double val = Double.NaN;
            if ((iteration + 1) % validateEvery == 0 || iteration + 1 == total) {
                val = validate1(ps, valSamples);
                if (val < bestValidation1) {
                    bestValidation1 = val;
                    best.put(UtadNetworks.IE_NET, params(nets.ieNet()));
                }
            }
            record(1, total, losses, val, rate, historyEvery);
            periodicCheckpoint(total);
        }
        secondsStage1 += secondsInStage();
        stageStarted = 0;
        if (best.containsKey(UtadNetworks.IE_NET)) {
            load(nets.ieNet(), best.get(UtadNetworks.IE_NET));
        }
    }

    private void stage2(TrainingSet train, List<float[]> valSamples) {
        Stage2Config s2 = config.stage2();
        int total = s2.iterations();
        int validateEvery = Math.max(1, total / 20);
        int historyEvery = Math.max(1, total / MAX_HISTORY_PER_STAGE);
        ParameterStore ps = new ParameterStore(manager, false);
        ExpertGenerator gi = nets.expertImage();
        ExpertGenerator gm = nets.expertImpression();
        Block di = nets.discImage();
        Block dm = nets.discImpression();
        stageStarted = System.nanoTime();
        double rate = Double.NaN;
        int detailDim = config.expertNet().detailDim();
        for (; iteration < total; iteration++) {
            checkCancelled();
            float lr = (float) (s2.learningRate() * Math.pow(0.5, iteration / s2.halveEvery()));
            Map<String, Double> losses = new LinkedHashMap<>();
            long t0 = System.nanoTime();
            try (NDManager step = manager.newSubManager()) {
                Random rnd = random(iteration, 2);
                NDArray x01 = train.sampleBatch(step, s2.batchSize(), rnd, config.augment());
                NDArray m01 = nets.ieNet().forward(ps, new NDList(x01), false).singletonOrThrow();
                NDArray x = x01.mul(2).sub(1);
                NDArray m = m01.mul(2).sub(1);
                NDArray randX = gaussian(step, rnd, s2.batchSize(), detailDim);
                NDArray randM = gaussian(step, rnd, s2.batchSize(), detailDim);
                NDList fakes = GeneratorSteps.experts(nets, ps, s2, x, m, randX, randM, losses);
                NDArray xFromM = fakes.get(0);
                NDArray mFromX = fakes.get(1);
                if (guard.check(2, iteration, total, losses, optimisers.get(UtadNetworks.EXPERT_IMAGE),
                        optimisers.get(UtadNetworks.EXPERT_IMPRESSION))) {
                    optimisers.get(UtadNetworks.EXPERT_IMAGE).step(lr);
                    optimisers.get(UtadNetworks.EXPERT_IMPRESSION).step(lr);
                }
                if (s2.ganWeight() > 0) {
                    Adam.zeroGradients(di);
                    Adam.zeroGradients(dm);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray d = Losses.lsganDiscriminator(di.forward(ps, new NDList(x), true),
                                        di.forward(ps, new NDList(xFromM.stopGradient()), true))
                                .add(Losses.lsganDiscriminator(dm.forward(ps, new NDList(m), true),
                                        dm.forward(ps, new NDList(mFromX.stopGradient()), true)));
                        losses.put("disc", (double) d.getFloat());
                        gc.backward(d);
                    }
                    if (guard.check(2, iteration, total, losses, optimisers.get(UtadNetworks.DISC_IMAGE),
                            optimisers.get(UtadNetworks.DISC_IMPRESSION))) {
                        optimisers.get(UtadNetworks.DISC_IMAGE).step(lr);
                        optimisers.get(UtadNetworks.DISC_IMPRESSION).step(lr);
                    }
                }
            }
            rate = ema(rate, s2.batchSize() / ((System.nanoTime() - t0) / 1e9));
            double val = Double.NaN;
            if ((iteration + 1) % validateEvery == 0 || iteration + 1 == total) {
                val = validate2(ps, valSamples);
                if (val < bestValidation2) {
                    bestValidation2 = val;
                    best.put(UtadNetworks.EXPERT_IMAGE, params(gi));
                    best.put(UtadNetworks.EXPERT_IMPRESSION, params(gm));
                }
            }
            record(2, total, losses, val, rate, historyEvery);
            periodicCheckpoint(total);
        }
        secondsStage2 += secondsInStage();
        stageStarted = 0;
    }

    /**
     * Writes a checkpoint after every tenth of a stage (not after its last iteration, which the
     * stage's end handles), recording the next iteration to run so a resume starts there.
     */
    private void periodicCheckpoint(int total) {
        int every = Math.max(1, total / 10);
        if ((iteration + 1) % every == 0 && iteration + 1 < total) {
            iteration++;
            try {
                writeCheckpoint();
            } finally {
                iteration--;
            }
        }
    }

    /** Validation loss of stage 1: the L2 reconstruction error on held-out samples, in inference mode. */
    private double validate1(ParameterStore ps, List<float[]> samples) {
        double sum = 0;
        int n = 0;
        for (int start = 0; start < samples.size(); start += VALIDATION_BATCH) {
            try (NDManager step = manager.newSubManager()) {
                NDArray x = batch(step, samples, start);
                NDArray y = nets.ieNet().forward(ps, new NDList(x), false).singletonOrThrow();
                long count = x.getShape().get(0);
                sum += Losses.mse(y, x).getFloat() * count;
                n += count;
            }
        }
        return sum / Math.max(1, n);
    }

    /** Validation loss of stage 2: the L1 error of expert reconstructions on held-out samples. */
    private double validate2(ParameterStore ps, List<float[]> samples) {
        double sum = 0;
        int n = 0;
        for (int start = 0; start < samples.size(); start += VALIDATION_BATCH) {
            try (NDManager step = manager.newSubManager()) {
                NDArray x01 = batch(step, samples, start);
                NDArray m = nets.ieNet().forward(ps, new NDList(x01), false).singletonOrThrow().mul(2).sub(1);
                NDArray x = x01.mul(2).sub(1);
                NDArray xe = nets.expertReconstruction(ps, nets.impressionContent(ps, m), x);
                long count = x.getShape().get(0);
                sum += Losses.l1(xe, x).getFloat() * count;
                n += count;
            }
        }
        return sum / Math.max(1, n);
    }

    private NDArray batch(NDManager m, List<float[]> samples, int start) {
        int end = Math.min(samples.size(), start + VALIDATION_BATCH);
        int per = samples.get(0).length;
        float[] data = new float[(end - start) * per];
        for (int i = start; i < end; i++) {
            System.arraycopy(samples.get(i), 0, data, (i - start) * per, per);
        }
        int s = config.imageSize();
        return m.create(data, new Shape(end - start, channels, s, s));
    }

    private static NDArray gaussian(NDManager m, Random rnd, int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return m.create(v, new Shape(rows, cols));
    }

    private Random random(int iter, int stageNo) {
        return new Random(config.seed() * 1_000_003L + stageNo * 7_919_000_003L + iter);
    }

    private static int decaysPassed(double[] decayAt, int iter, int total) {
        int n = 0;
        for (double f : decayAt) {
            if (iter >= f * total) {
                n++;
            }
        }
        return n;
    }

    private static double ema(double old, double value) {
        return Double.isNaN(old) ? value : 0.9 * old + 0.1 * value;
    }

    private void record(int stageNo, int total, Map<String, Double> losses, double val, double rate, int every) {
        if (iteration % every == 0 || !Double.isNaN(val) || iteration + 1 == total) {
            history.add(new HistoryPoint(stageNo, iteration + 1, losses, val));
        }
        double left = (total - iteration - 1) / rate * (stageNo == 1 ? config.stage1().batchSize()
                : config.stage2().batchSize());
        String name = stageNo == 1 ? "stage 1 (IE-Net)" : "stage 2 (Expert-Net)";
        StringBuilder msg = new StringBuilder(name).append(" ").append(iteration + 1).append("/").append(total);
        for (Map.Entry<String, Double> e : losses.entrySet()) {
            msg.append(String.format(java.util.Locale.ROOT, " %s=%.4g", e.getKey(), e.getValue()));
        }
        if (!Double.isNaN(val)) {
            msg.append(String.format(java.util.Locale.ROOT, " val=%.4g", val));
        }
        listener.onProgress(new ProgressEvent(name, iteration + 1, total, losses, val, rate, left, msg.toString()));
    }

    private void checkCancelled() {
        if (cancel.isCancelled()) {
            String where = "stage " + stage + " at iteration " + iteration;
            if (request.checkpoint() != null) {
                writeCheckpoint();
                throw new CancelledException("Training stopped in " + where + "; the checkpoint "
                        + request.checkpoint() + " keeps that state. To continue, train again with the same model"
                        + " file and resume on (tick resume in the dialog, add resume to a macro's options, or"
                        + " --resume on the command line).");
            }
            throw new CancelledException("Training stopped in " + where + "; no checkpoint was kept, so the next"
                    + " run starts afresh.");
        }
    }

    /** A network's parameters as saved bytes: a snapshot to restore the best networks, or to compare. */
    static byte[] params(Block block) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataOutputStream dos = new DataOutputStream(out)) {
            block.saveParameters(dos);
        } catch (IOException e) {
            throw new UtadException("Could not copy network parameters: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private void load(Block block, byte[] bytes) {
        try (DataInputStream dis = new DataInputStream(new ByteArrayInputStream(bytes))) {
            block.loadParameters(manager, dis);
        } catch (IOException | ai.djl.MalformedModelException e) {
            throw new UtadException("Could not restore network parameters: " + e.getMessage(), e);
        }
    }

    private void restoreBest() {
        for (String name : new String[] {UtadNetworks.IE_NET, UtadNetworks.EXPERT_IMAGE,
                UtadNetworks.EXPERT_IMPRESSION}) {
            if (best.containsKey(name)) {
                load(nets.inference().get(name), best.get(name));
            }
        }
    }

    private JsonObject summary(int imagesTotal, int imagesTrain, int imagesValidation) {
        JsonObject t = new JsonObject();
        t.addProperty("images", imagesTotal);
        t.addProperty("training_images", imagesTrain);
        t.addProperty("validation_images", imagesValidation);
        t.addProperty("device", Engines.label(request.device()));
        t.addProperty("threads", Runtime.getRuntime().availableProcessors());
        t.addProperty("seed", config.seed());
        t.addProperty("seconds_stage1", secondsStage1);
        t.addProperty("seconds_stage2", secondsStage2);
        t.addProperty("skipped_steps", guard.skipped());
        t.addProperty("best_validation_stage1", bestValidation1);
        t.addProperty("best_validation_stage2", bestValidation2);
        t.add("history", GSON.toJsonTree(history));
        return t;
    }

    /** Seconds the running stage has trained in this run, so a checkpoint written mid-stage keeps them. */
    private double secondsInStage() {
        return stageStarted == 0 ? 0 : (System.nanoTime() - stageStarted) / 1e9;
    }

    private void writeCheckpoint() {
        Path file = request.checkpoint();
        if (file == null) {
            return;
        }
        JsonObject state = new JsonObject();
        state.addProperty("stage", stage);
        state.addProperty("iteration", iteration);
        state.addProperty("best_validation_stage1", bestValidation1);
        state.addProperty("best_validation_stage2", bestValidation2);
        state.addProperty("seconds_stage1", secondsStage1 + (stage == 1 ? secondsInStage() : 0));
        state.addProperty("seconds_stage2", secondsStage2 + (stage == 2 ? secondsInStage() : 0));
        state.add("history", GSON.toJsonTree(history));
        state.add("config", config.toJsonTree());
        Map<String, byte[]> extras = new LinkedHashMap<>();
        extras.put(STATE_ENTRY, GSON.toJson(state).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (Map.Entry<String, Adam> e : optimisers.entrySet()) {
            extras.put(ADAM_PREFIX + e.getKey(), e.getValue().encodeState());
        }
        for (Map.Entry<String, byte[]> e : best.entrySet()) {
            extras.put(BEST_PREFIX + e.getKey(), e.getValue());
        }
        Manifest m = ModelBundle.manifest(config, channels, normalization, nets.all(), new JsonObject(), null);
        ModelBundle.write(file, m, nets.all(), extras, true);
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
        return UtadConfig.fromJsonTree(readState(checkpoint).get("config"));
    }

    private static JsonObject readState(Path file) {
        byte[] raw = ModelBundle.readExtra(file, STATE_ENTRY);
        if (raw == null) {
            throw new ModelFormatException("The file " + file + " is not a training checkpoint.");
        }
        return GSON.fromJson(new String(raw, java.nio.charset.StandardCharsets.UTF_8), JsonObject.class);
    }

    private void restore(Path file) {
        Manifest m = ModelBundle.readManifest(file);
        if (m.channels() != channels) {
            throw new InvalidInputException("The checkpoint " + file + " was trained on " + m.channels()
                    + "-channel images, these have " + channels + ". Use the same images, or start afresh"
                    + " (resume off).");
        }
        JsonObject state = readState(file);
        List<String> changed = new ArrayList<>();
        UtadConfig.fromJsonTree(state.get("config")).differences(config).forEach((key, change) -> {
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
                best.put(name, b);
            }
        }
        stage = state.get("stage").getAsInt();
        iteration = state.get("iteration").getAsInt();
        bestValidation1 = state.get("best_validation_stage1").getAsDouble();
        bestValidation2 = state.get("best_validation_stage2").getAsDouble();
        secondsStage1 = state.get("seconds_stage1").getAsDouble();
        secondsStage2 = state.get("seconds_stage2").getAsDouble();
        JsonArray h = state.getAsJsonArray("history");
        for (int i = 0; i < h.size(); i++) {
            history.add(GSON.fromJson(h.get(i), HistoryPoint.class));
        }
        listener.onProgress(ProgressEvent.message("resume", "Resuming from " + file + " at stage " + stage
                + ", iteration " + iteration + "."));
    }
}
