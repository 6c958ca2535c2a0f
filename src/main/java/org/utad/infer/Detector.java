package org.utad.infer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.utad.config.Fusion;
import org.utad.config.Mode;
import org.utad.config.Normalization;
import org.utad.config.Residual;
import org.utad.config.Thresholds;
import org.utad.config.UtadConfig;
import org.utad.core.CancellationToken;
import org.utad.core.ConnectedComponents;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;
import org.utad.core.ProgressEvent;
import org.utad.core.ProgressListener;
import org.utad.core.UtadException;
import org.utad.data.Resample;
import org.utad.engine.DeviceFallback;
import org.utad.engine.Engines;
import org.utad.io.Manifest;
import org.utad.io.ModelBundle;
import org.utad.model.ExpertGenerator;
import org.utad.model.ImageOps;
import org.utad.model.ReflectionPad2d;
import org.utad.model.UtadNetworks;

/**
 * Turns images into UTAD anomaly maps, scores and verdicts with a trained model.
 *
 * <p>For each input x: the IE-Net impression m; the expert reconstruction with x's own detail code;
 * K expert reconstructions with random detail codes (their mean and per-pixel variance); K fast
 * impressions (their mean); then the fusion of DESIGN section 2,
 * {@code r(x, mean xe) + r(x, mean f) - var(xe) - r(mean xe, m)} clipped at 0, with SSIM or L2
 * residuals on grey values, all on the engine's device in batches. The map is smoothed with a
 * Gaussian and the image score is a quantile (by default the maximum) of the smoothed map.
 *
 * <p>Images of any size work: in resize mode the image is scaled to the model size and the maps
 * back to the image size; in patch mode the image is covered by overlapping tiles whose maps are
 * blended with a smooth window, so no seams show. The random detail codes are fixed per model (from
 * its seed), so the same image always gets the same map, whichever thread asks.
 *
 * <p>Thread-safe: concurrent calls share the networks read-only and each works in its own native
 * memory scope. Closing the detector releases the networks if it loaded them.
 */
public final class Detector implements AutoCloseable {
    /** The most tiles per network batch; each tile is expanded K-fold for the random codes. */
    private static final int MAX_TILE_BATCH = 8;
    /** Share of the machine's physical memory that one batch of tiles may use for activations. */
    private static final double MEMORY_SHARE = 0.05;
    /** Upper bound of that budget: larger batches gain little speed on a CPU and cost resident memory. */
    private static final long MAX_BATCH_BYTES = 1L << 30;

    private final Manifest manifest;
    private final UtadConfig config;
    private final UtadNetworks nets;
    private final Block ieNet;
    private final ExpertGenerator expertImage;
    private final ExpertGenerator expertImpression;
    private final NDManager manager;
    private final boolean ownsManager;
    private final float[] codes;
    private final int maxCodes;
    private final DeviceFallback fallback;

    private Detector(Manifest manifest, UtadNetworks nets, NDManager manager, boolean owns) {
        this.manifest = manifest;
        this.config = manifest.config();
        this.nets = nets;
        this.ieNet = nets.ieNet();
        this.expertImage = nets.expertImage();
        this.expertImpression = nets.expertImpression();
        this.manager = manager;
        this.ownsManager = owns;
        this.maxCodes = Math.max(64, config.detect().randomCodes());
        int d = config.expertNet().detailDim();
        Random r = new Random(config.seed() ^ 0x5DEECE66DL);
        this.codes = new float[maxCodes * d];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = (float) r.nextGaussian();
        }
        this.fallback = Engines.fallback(manager.getDevice(), MAX_TILE_BATCH, message -> { });
    }

    /**
     * Loads a model file.
     *
     * @param file   the model bundle
     * @param device where to run
     * @return a detector that owns its networks
     * @throws org.utad.core.ModelFormatException if the file is missing, damaged or does not match
     */
    public static Detector load(Path file, Device device) {
        Manifest m = ModelBundle.readManifest(file);
        NDManager manager = NDManager.newBaseManager(device);
        try {
            UtadNetworks nets = UtadNetworks.create(m.config(), m.channels(), manager, false);
            ModelBundle.loadParameters(file, m, nets.inference(), manager);
            return new Detector(m, nets, manager, true);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Wraps networks already in memory (right after training, for calibration).
     *
     * @param manifest the model's manifest
     * @param nets     its networks; not closed by this detector
     * @param manager  the manager the networks live in; detection scopes are its children
     * @return a detector that does not own the networks
     */
    public static Detector of(Manifest manifest, UtadNetworks nets, NDManager manager) {
        return new Detector(manifest, nets, manager, false);
    }

    /**
     * What detection had to do to fit in memory (smaller batches, the CPU instead of the GPU), for
     * summaries and logs.
     *
     * @return the messages so far, oldest first; empty when every batch fitted
     */
    public List<String> fallbackMessages() {
        return fallback.messages();
    }

    /**
     * The thresholds that apply to a method's maps. Calibration scores held-out normal images with
     * the UTAD map, so its thresholds mean nothing on the scale of the baseline or expert-only maps:
     * those get no verdict and no mask rather than a wrong one.
     *
     * @param method the method
     * @return the calibrated thresholds, or null when the model is uncalibrated or the method is not UTAD
     */
    public Thresholds thresholds(Method method) {
        return method == Method.UTAD ? manifest.thresholds() : null;
    }

    /** @return the model's manifest */
    public Manifest manifest() {
        return manifest;
    }

    /**
     * Writes this detector's networks with another manifest (after recalibration) atomically.
     *
     * @param file      the target model file
     * @param m         the manifest to write
     * @param overwrite whether an existing file may be replaced
     */
    public void writeBundle(Path file, Manifest m, boolean overwrite) {
        ModelBundle.write(file, m, nets.inference(), overwrite);
    }

    /** @return the model's own detection settings */
    public DetectOptions defaultOptions() {
        return DetectOptions.defaults(config.detect());
    }

    /**
     * A detector that uses other thresholds, for recalibration; shares the networks.
     *
     * @param thresholds the new thresholds
     * @return a view of this detector with them
     */
    public Detector withThresholds(Thresholds thresholds) {
        return new Detector(manifest.withThresholds(thresholds), nets, manager, false);
    }

    /**
     * Detects anomalies in one image with the model's settings.
     *
     * @param image raw image
     * @return the result
     */
    public DetectionResult detect(FloatImage image) {
        return detect(image, defaultOptions());
    }

    /**
     * Detects anomalies in several images, reporting progress and checking for cancellation
     * between images.
     *
     * @param images   raw images
     * @param options  detection settings
     * @param listener progress per image
     * @param cancel   stops between images
     * @return one result per image, in order
     * @throws InvalidInputException at the first image that cannot be processed
     */
    public List<DetectionResult> detectAll(List<FloatImage> images, DetectOptions options, ProgressListener listener,
                                           CancellationToken cancel) {
        return detectAll(images, options, listener, cancel, false);
    }

    /**
     * Detects anomalies in several images, optionally going on past images that cannot be processed
     * (a stack with one bad slice): such an image gets a {@link DetectionResult#failed failed} result
     * with the reason, reported through the listener, and the others are processed as usual.
     *
     * @param images    raw images
     * @param options   detection settings
     * @param listener  progress per image, and a message per failed image
     * @param cancel    stops between images
     * @param keepGoing true to record failures and continue, false to stop at the first
     * @return one result per image, in order
     */
    public List<DetectionResult> detectAll(List<FloatImage> images, DetectOptions options, ProgressListener listener,
                                           CancellationToken cancel, boolean keepGoing) {
        List<DetectionResult> out = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < images.size(); i++) {
            cancel.throwIfCancelled("after " + i + " of " + images.size() + " images");
            try {
                out.add(detect(images.get(i), options));
            } catch (InvalidInputException e) {
                if (!keepGoing) {
                    throw e;
                }
                listener.onProgress(ProgressEvent.message("detect", "Image " + (i + 1) + " (" + images.get(i).name()
                        + ") was skipped: " + e.getMessage()));
                out.add(DetectionResult.failed(images.get(i), e.getMessage(), thresholds(options.method()) != null,
                        options.intermediates(), options.intermediates() && options.method() == Method.UTAD));
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            double rate = (i + 1) / secs;
            listener.onProgress(new ProgressEvent("detect", i + 1, images.size(), java.util.Map.of(), Double.NaN,
                    rate, (images.size() - i - 1) / rate, "Detected " + (i + 1) + "/" + images.size() + ": "
                    + images.get(i).name()));
        }
        return out;
    }

    /**
     * Detects anomalies in one image.
     *
     * @param input   raw image (any size; the model's bit depth family and channels)
     * @param options detection settings
     * @return the maps, score, verdict and regions
     * @throws InvalidInputException for channel or bit-depth mismatches and non-finite pixels
     */
    public DetectionResult detect(FloatImage input, DetectOptions options) {
        long t0 = System.nanoTime();
        Engines.noGradientsOnThisThread();
        FloatImage img = conform(input, options.conversion());
        int bad = img.firstNonFinite();
        if (bad >= 0) {
            throw new InvalidInputException("Image " + input.name() + " has a NaN or infinite pixel at (x="
                    + (bad % img.width()) + ", y=" + ((bad / img.width()) % img.height())
                    + "). Remove or repair such pixels before detection.");
        }
        int w = img.width();
        int h = img.height();
        int c = img.channels();
        float[] norm = manifest.normalization().apply(img);
        int s = config.imageSize();
        double[] netSeconds = new double[1];
        Maps maps;
        if (config.mode() == Mode.RESIZE) {
            float[] small = Resample.resize(norm, w, h, c, s, s);
            Maps tile = runFitting(List.of(small), s, s, c, options, netSeconds);
            maps = tile.resized(w, h, c, s, s);
        } else if (options.untiled()) {
            if (w % 32 != 0 || h % 32 != 0) {
                throw new InvalidInputException("Untiled detection needs a width and height that are multiples of 32;"
                        + " " + input.name() + " is " + w + "x" + h + ".");
            }
            maps = runFitting(List.of(norm), w, h, c, options, netSeconds);
        } else {
            maps = tiled(norm, w, h, c, options, netSeconds);
        }
        float[] smoothed;
        try (NDManager scope = manager.newSubManager()) {
            NDArray m = scope.create(maps.map, new Shape(1, 1, h, w));
            smoothed = ImageOps.smooth(m, options.smoothingSigma()).toFloatArray();
        }
        if (options.fusion().centre()) {
            float median = (float) quantile(smoothed, 0.5);
            for (int i = 0; i < smoothed.length; i++) {
                smoothed[i] = Math.max(0f, smoothed[i] - median);
            }
        }
        for (float v : smoothed) {
            if (!Float.isFinite(v)) {
                throw new UtadException("The anomaly map of " + input.name() + " holds values that are not numbers"
                        + " (NaN) or infinite: the networks gave wrong numbers on this image, so no score or verdict"
                        + " can be trusted. Run Engine Info (bin/utad engine) and check its numerics line; if it"
                        + " reports wrong arithmetic, detect on another computer or a GPU.");
            }
        }
        double score = imageScore(smoothed, w, h, options.scoreQuantile(), options.scoreMargin());
        Thresholds th = thresholds(options.method());
        DetectionResult.Verdict verdict = DetectionResult.Verdict.UNKNOWN;
        boolean[] mask = null;
        List<ConnectedComponents.Region> regions = List.of();
        if (th != null) {
            verdict = score >= th.imageThreshold() ? DetectionResult.Verdict.ANOMALOUS : DetectionResult.Verdict.NORMAL;
            mask = new boolean[smoothed.length];
            float pt = (float) th.pixelThreshold();
            for (int i = 0; i < smoothed.length; i++) {
                mask[i] = smoothed[i] >= pt;
            }
            regions = ConnectedComponents.label(mask, w, h).regions(smoothed);
        }
        double total = (System.nanoTime() - t0) / 1e9;
        return new DetectionResult(input.name(), score, verdict, input.withData(1, smoothed), mask, regions,
                maps.impression == null ? null : input.withData(c, maps.impression),
                maps.expert == null ? null : input.withData(c, maps.expert),
                maps.variance == null ? null : input.withData(1, maps.variance), netSeconds[0], total, null);
    }

    /** Applies the channel policy and checks the bit-depth family against the model's normalisation. */
    private FloatImage conform(FloatImage img, ColorConversion conversion) {
        boolean model8 = "fixed8".equals(manifest.normalization().kind());
        if (model8 != (img.bitDepth() == 8)) {
            throw new InvalidInputException("Image " + img.name() + " is " + img.bitDepth() + "-bit but the model was"
                    + " trained on " + (model8 ? "8-bit" : "16/32-bit") + " images. Convert the image to the same"
                    + " type as the training images, or train a model on images like it.");
        }
        int mc = manifest.channels();
        if (img.channels() == mc) {
            return img;
        }
        if (conversion == ColorConversion.NONE || (mc != 1 && mc != 3) || (img.channels() != 1 && img.channels() != 3)) {
            throw new InvalidInputException("Image " + img.name() + " has " + img.channels() + " channel(s) but the"
                    + " model was trained on " + (mc == 1 ? "grey" : "RGB") + " images. Convert it, or set"
                    + " conversion=auto (RGB is averaged to grey; grey is copied to R, G and B).");
        }
        return ColorConversion.convert(img, mc);
    }

    /**
     * Covers the image with overlapping tiles and blends their maps with a smooth window. Tiles are
     * the detection tile size (the model size unless {@code tile_size} asks for larger tiles, which
     * the fully convolutional networks accept and which cost less overlap), shrunk to the image when
     * it is smaller, in steps of 32 pixels; images smaller than the model size are reflection-padded.
     */
    private Maps tiled(float[] norm, int w, int h, int c, DetectOptions o, double[] netSeconds) {
        int s = config.imageSize();
        int tile = Math.max(s, o.tileSize());
        int tw = Math.min(tile, roundUp(Math.max(w, s), 32));
        int th = Math.min(tile, roundUp(Math.max(h, s), 32));
        int pw = Math.max(w, tw);
        int ph = Math.max(h, th);
        float[] src = (pw == w && ph == h) ? norm : Resample.reflectPad(norm, w, h, c, pw, ph);
        int[] xs = positions(pw, tw, Math.max(1, (int) Math.round(tw * (1 - o.tileOverlap()))));
        int[] ys = positions(ph, th, Math.max(1, (int) Math.round(th * (1 - o.tileOverlap()))));
        float[] windowX = window(tw);
        float[] windowY = window(th);
        boolean more = o.intermediates();
        boolean utad = o.method() == Method.UTAD;
        Maps acc = new Maps(new float[pw * ph], more ? new float[c * pw * ph] : null,
                more && utad ? new float[c * pw * ph] : null, more && utad ? new float[pw * ph] : null);
        int batch = tileBatch(tw, th, o);
        List<int[]> pending = new ArrayList<>();
        List<float[]> tiles = new ArrayList<>();
        for (int ty : ys) {
            for (int tx : xs) {
                float[] t = new float[c * tw * th];
                for (int k = 0; k < c; k++) {
                    for (int y = 0; y < th; y++) {
                        System.arraycopy(src, k * pw * ph + (ty + y) * pw + tx, t, k * tw * th + y * tw, tw);
                    }
                }
                tiles.add(t);
                pending.add(new int[] {tx, ty});
                if (tiles.size() == batch) {
                    blend(runFitting(tiles, tw, th, c, o, netSeconds), pending, acc, windowX, windowY, pw, ph, c, tw,
                            th);
                    tiles.clear();
                    pending.clear();
                }
            }
        }
        if (!tiles.isEmpty()) {
            blend(runFitting(tiles, tw, th, c, o, netSeconds), pending, acc, windowX, windowY, pw, ph, c, tw, th);
        }
        float[] colWeight = coverage(xs, windowX, pw);
        float[] rowWeight = coverage(ys, windowY, ph);
        for (int i = 0; i < pw * ph; i++) {
            float inv = 1f / (rowWeight[i / pw] * colWeight[i % pw]);
            acc.map[i] *= inv;
            if (acc.variance != null) {
                acc.variance[i] *= inv;
            }
            for (int k = 0; k < c; k++) {
                if (acc.impression != null) {
                    acc.impression[k * pw * ph + i] *= inv;
                }
                if (acc.expert != null) {
                    acc.expert[k * pw * ph + i] *= inv;
                }
            }
        }
        return (pw == w && ph == h) ? acc : acc.cropped(w, h, c, pw, ph);
    }

    /**
     * Sizes a batch of tiles to the memory available: the widest activation of a tile is about
     * {@code 4 * max(ie_filters, expert dim)} channels at full resolution, counted once per K
     * random-code decode of both generators. Since each network now runs in its own memory scope and
     * the codes are decoded one at a time, this overestimates the peak, which keeps batches on the
     * small side. The batch may use a twentieth of the physical memory (at most 1 GB), and never more
     * than {@value #MAX_TILE_BATCH} tiles. An out-of-memory error still halves it.
     */
    private int tileBatch(int tw, int th, DetectOptions o) {
        long channels = 4L * Math.max(config.ieNet().filters(), config.expertNet().dim());
        long perTile = (long) tw * th * Float.BYTES * channels * (2L * o.randomCodes() + 2);
        long budget = Math.min(MAX_BATCH_BYTES, (long) (physicalMemory() * MEMORY_SHARE));
        return (int) Math.max(1, Math.min(MAX_TILE_BATCH, budget / perTile));
    }

    private static long physicalMemory() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory();
    }

    private static int roundUp(int v, int step) {
        return (v + step - 1) / step * step;
    }

    /**
     * The summed blending window along one axis. The tiles form a grid and each tile's weight is the
     * product of its two 1-D windows, so the total weight of a pixel is the product of the column and
     * row sums: two short arrays instead of a weight plane as large as the image.
     */
    private static float[] coverage(int[] starts, float[] window, int length) {
        float[] sum = new float[length];
        for (int start : starts) {
            for (int i = 0; i < window.length; i++) {
                sum[start + i] += window[i];
            }
        }
        return sum;
    }

    private static void blend(Maps batch, List<int[]> where, Maps acc, float[] windowX, float[] windowY, int pw,
                              int ph, int c, int tw, int th) {
        int plane = tw * th;
        for (int t = 0; t < where.size(); t++) {
            int tx = where.get(t)[0];
            int ty = where.get(t)[1];
            for (int y = 0; y < th; y++) {
                for (int x = 0; x < tw; x++) {
                    float wgt = windowY[y] * windowX[x];
                    int dst = (ty + y) * pw + tx + x;
                    int srcIdx = t * plane + y * tw + x;
                    acc.map[dst] += wgt * batch.map[srcIdx];
                    if (acc.variance != null) {
                        acc.variance[dst] += wgt * batch.variance[srcIdx];
                    }
                    for (int k = 0; k < c; k++) {
                        int from = (t * c + k) * plane + y * tw + x;
                        if (acc.impression != null) {
                            acc.impression[k * pw * ph + dst] += wgt * batch.impression[from];
                        }
                        if (acc.expert != null) {
                            acc.expert[k * pw * ph + dst] += wgt * batch.expert[from];
                        }
                    }
                }
            }
        }
    }

    /** A separable blending window that is small but positive at tile borders (squared sine). */
    private static float[] window(int s) {
        float[] w = new float[s];
        for (int i = 0; i < s; i++) {
            double v = Math.sin(Math.PI * (i + 0.5) / s);
            w[i] = (float) Math.max(1e-3, v * v);
        }
        return w;
    }

    private static int[] positions(int length, int tile, int stride) {
        if (length <= tile) {
            return new int[] {0};
        }
        int n = (int) Math.ceil((double) (length - tile) / stride) + 1;
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = Math.min(i * stride, length - tile);
        }
        return p;
    }

    /**
     * Runs a batch through the out-of-memory policy: when the device runs out of memory, the batch is
     * split into halves (down to single inputs), and a GPU that cannot hold even one input gives way to
     * the CPU for this and later batches.
     *
     * @return maps concatenated over the batch, as {@link #runBatch} returns them
     */
    private Maps runFitting(List<float[]> inputs, int w, int h, int c, DetectOptions o, double[] netSeconds) {
        return fallback.run((device, size) -> {
            List<Maps> parts = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i += size) {
                parts.add(runBatch(inputs.subList(i, Math.min(inputs.size(), i + size)), w, h, c, o, netSeconds,
                        device));
            }
            return parts.size() == 1 ? parts.get(0) : Maps.concat(parts);
        });
    }

    /**
     * Runs the networks and the fusion on a batch of equally sized inputs, on the given device (the
     * parameters are copied there when they live on another).
     *
     * @return maps concatenated over the batch: map (n*h*w), impression/expert (n*c*h*w), variance (n*h*w)
     */
    private Maps runBatch(List<float[]> inputs, int w, int h, int c, DetectOptions o, double[] netSeconds,
                          Device device) {
        int n = inputs.size();
        int per = c * w * h;
        float[] data = new float[n * per];
        for (int i = 0; i < n; i++) {
            System.arraycopy(inputs.get(i), 0, data, i * per, per);
        }
        try (NDManager scope = manager.newSubManager(device)) {
            ParameterStore ps = new ParameterStore(scope, false);
            NDArray x01 = scope.create(data, new Shape(n, c, h, w));
            long t = System.nanoTime();
            NDArray m01 = scoped(scope, ieNet, ps, x01);
            netSeconds[0] += (System.nanoTime() - t) / 1e9;
            Fusion fu = o.fusion();
            NDArray gx = ImageOps.grey(x01);
            NDArray gm = ImageOps.grey(inInputRange(fu, m01, x01));
            NDArray map;
            NDArray expert = null;
            NDArray variance = null;
            if (o.method() == Method.BASELINE) {
                map = residual(gx, gm, o.residual(), fu);
            } else {
                boolean fusion = o.method() == Method.UTAD;
                // The expert map with the image's own code needs no random decodes: they feed only the
                // fusion's terms and the mean reconstruction it would otherwise use.
                int k = fusion || !fu.ownDetailCode() ? Math.min(o.randomCodes(), maxCodes) : 0;
                int d = config.expertNet().detailDim();
                NDArray x = x01.mul(2).sub(1);
                NDArray m = m01.mul(2).sub(1);
                t = System.nanoTime();
                NDArray cm = scoped(scope, expertImpression.getContentEncoder(), ps, m);
                boolean fast = fusion && !fu.noFast();
                NDArray cx = fast ? scoped(scope, expertImage.getContentEncoder(), ps, x) : null;
                if (o.intermediates() || fu.ownDetailCode()) {
                    NDArray sx = scoped(scope, expertImage.getDetailEncoder(), ps, x);
                    expert = scoped(scope, expertImage.getDecoder(), ps, cm, sx).add(1).div(2);
                }
                NDArray sumXe = null;
                NDArray sumXe2 = null;
                NDArray sumF = null;
                for (int j = 0; j < k; j++) {
                    NDArray code = scope.create(Arrays.copyOfRange(codes, j * d, (j + 1) * d), new Shape(1, d))
                            .repeat(0, n);
                    NDArray xe = scoped(scope, expertImage.getDecoder(), ps, cm, code).add(1).div(2);
                    sumXe = sumXe == null ? xe : sumXe.addi(xe);
                    sumXe2 = sumXe2 == null ? xe.square() : sumXe2.addi(xe.square());
                    if (fast) {
                        NDArray f = scoped(scope, expertImpression.getDecoder(), ps, cx, code).add(1).div(2);
                        sumF = sumF == null ? f : sumF.addi(f);
                    }
                }
                netSeconds[0] += (System.nanoTime() - t) / 1e9;
                NDArray xeUsed = expert;
                if (k > 0) {
                    NDArray meanXe = sumXe.div(k);
                    variance = sumXe2.div(k).sub(meanXe.square()).maximum(0f).mean(new int[] {1}, true);
                    xeUsed = fu.ownDetailCode() ? expert : meanXe;
                }
                NDArray gXe = ImageOps.grey(inInputRange(fu, xeUsed, x01));
                map = residual(gx, gXe, o.residual(), fu);
                if (fast) {
                    NDArray gF = ImageOps.grey(inInputRange(fu, sumF.div(k), x01));
                    map = map.add(residual(gx, gF, o.residual(), fu));
                }
                if (fusion && !fu.noVariance()) {
                    map = map.sub(variance);
                }
                if (fusion && !fu.noGap()) {
                    map = map.sub(residual(gXe, gm, o.residual(), fu));
                }
                if (fusion) {
                    map = map.maximum(0f);
                }
            }
            boolean more = o.intermediates();
            return new Maps(map.toFloatArray(), more ? m01.toFloatArray() : null,
                    more && expert != null ? expert.toFloatArray() : null,
                    more && variance != null ? variance.toFloatArray() : null);
        }
    }

    /**
     * Runs one network in its own memory scope and keeps only its output. DJL frees an operation's
     * result only when its manager closes, so without this every activation of every network of a
     * tile stays allocated until the tile is done (about 1.5 GB for a 384 px tile of the fast preset);
     * with it, the peak is the largest single network's activations.
     *
     * @param outer the scope the output is moved to
     * @param block the network
     * @param ps    its parameters
     * @param in    its inputs, which stay in their own scope
     * @return the output, owned by {@code outer}
     */
    private static NDArray scoped(NDManager outer, Block block, ParameterStore ps, NDArray... in) {
        try (NDManager sub = outer.newSubManager()) {
            for (NDArray a : in) {
                a.tempAttach(sub);
            }
            NDArray out = block.forward(ps, new NDList(in), false).singletonOrThrow();
            out.attach(outer);
            return out;
        }
    }

    private static NDArray residual(NDArray a, NDArray b, Residual r, Fusion fu) {
        if (r == Residual.L2) {
            return a.sub(b).square();
        }
        float c1 = fu.softLuminance() ? ImageOps.SOFT_C1 : ImageOps.C1;
        if (!fu.reflectBorders()) {
            return ImageOps.ssimMap(a, b, c1).neg().add(1);
        }
        int pad = ImageOps.SSIM_WINDOW / 2;
        long h = a.getShape().get(2);
        long w = a.getShape().get(3);
        NDArray ssim = ImageOps.ssimMap(ReflectionPad2d.pad(a, pad), ReflectionPad2d.pad(b, pad), c1);
        return ssim.get(new NDIndex(":, :, {}:{}, {}:{}", pad, pad + h, pad, pad + w)).neg().add(1);
    }

    /**
     * Rescales each image of a batch to the value range of the matching input image, as the
     * reference implementation does before its residuals, when the fusion asks for it.
     */
    private static NDArray inInputRange(Fusion fu, NDArray rec, NDArray ref) {
        if (!fu.rangeMatch()) {
            return rec;
        }
        NDArray lo = perImage(rec, false);
        NDArray span = perImage(rec, true).sub(lo).maximum(1e-6f);
        NDArray refLo = perImage(ref, false);
        NDArray refSpan = perImage(ref, true).sub(refLo);
        return rec.sub(lo).div(span).mul(refSpan).add(refLo);
    }

    /** @return each image's maximum (or minimum) as an (N, 1, 1, 1) tensor that broadcasts over it */
    private static NDArray perImage(NDArray x, boolean max) {
        NDArray flat = x.reshape(x.getShape().get(0), -1);
        NDArray v = max ? flat.max(new int[] {1}) : flat.min(new int[] {1});
        return v.reshape(x.getShape().get(0), 1, 1, 1);
    }

    /**
     * The image score: a quantile of the map inside a margin. The margin exists because the maps run
     * high along the image border on normal images, so a maximum over the whole map mostly reads the
     * border rather than the defect.
     *
     * @param map    the smoothed map, row-major, {@code width * height} values (not modified)
     * @param width  map width
     * @param height map height
     * @param q      the quantile in (0, 1]; 1 is the maximum
     * @param margin share of the width and of the height left out on each side, in [0, 0.5); at least
     *               one row and one column always remain
     * @return the score; the maximum (the default score) is read in place, without copying the inner map
     */
    public static double imageScore(float[] map, int width, int height, double q, double margin) {
        int mx = Math.min((int) Math.floor(margin * width), (width - 1) / 2);
        int my = Math.min((int) Math.floor(margin * height), (height - 1) / 2);
        if (mx == 0 && my == 0) {
            return quantile(map, q);
        }
        int iw = width - 2 * mx;
        int ih = height - 2 * my;
        if (q >= 1) {
            float max = Float.NEGATIVE_INFINITY;
            for (int y = my; y < my + ih; y++) {
                for (int i = y * width + mx, end = i + iw; i < end; i++) {
                    max = Math.max(max, map[i]);
                }
            }
            return max;
        }
        float[] inner = new float[iw * ih];
        for (int y = 0; y < ih; y++) {
            System.arraycopy(map, (y + my) * width + mx, inner, y * iw, iw);
        }
        return quantile(inner, q);
    }

    /**
     * A quantile of the values, with linear interpolation; q = 1 is the maximum.
     *
     * @param values the values (not modified)
     * @param q      the quantile in (0, 1]
     * @return the quantile
     */
    public static double quantile(float[] values, double q) {
        if (q >= 1) {
            float max = Float.NEGATIVE_INFINITY;
            for (float v : values) {
                max = Math.max(max, v);
            }
            return max;
        }
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    @Override
    public void close() {
        if (ownsManager) {
            manager.close();
        }
    }

    /** The per-pixel outputs of a batch or of a whole image. */
    private static final class Maps {
        final float[] map;
        final float[] impression;
        final float[] expert;
        final float[] variance;

        Maps(float[] map, float[] impression, float[] expert, float[] variance) {
            this.map = map;
            this.impression = impression;
            this.expert = expert;
            this.variance = variance;
        }

        /** Joins the maps of consecutive batches, in order; absent parts stay absent. */
        static Maps concat(List<Maps> parts) {
            return new Maps(join(parts, 0), join(parts, 1), join(parts, 2), join(parts, 3));
        }

        private static float[] join(List<Maps> parts, int which) {
            List<float[]> arrays = new ArrayList<>();
            for (Maps m : parts) {
                arrays.add(which == 0 ? m.map : which == 1 ? m.impression : which == 2 ? m.expert : m.variance);
            }
            if (arrays.get(0) == null) {
                return null;
            }
            float[] out = new float[arrays.stream().mapToInt(a -> a.length).sum()];
            int at = 0;
            for (float[] a : arrays) {
                System.arraycopy(a, 0, out, at, a.length);
                at += a.length;
            }
            return out;
        }

        Maps resized(int w, int h, int c, int s1, int s2) {
            return new Maps(Resample.resize(map, s1, s2, 1, w, h),
                    impression == null ? null : Resample.resize(impression, s1, s2, c, w, h),
                    expert == null ? null : Resample.resize(expert, s1, s2, c, w, h),
                    variance == null ? null : Resample.resize(variance, s1, s2, 1, w, h));
        }

        Maps cropped(int w, int h, int c, int pw, int ph) {
            return new Maps(crop(map, 1, pw, ph, w, h), crop(impression, c, pw, ph, w, h),
                    crop(expert, c, pw, ph, w, h), crop(variance, 1, pw, ph, w, h));
        }

        private static float[] crop(float[] src, int c, int pw, int ph, int w, int h) {
            if (src == null) {
                return null;
            }
            float[] out = new float[c * w * h];
            for (int k = 0; k < c; k++) {
                for (int y = 0; y < h; y++) {
                    System.arraycopy(src, k * pw * ph + y * pw, out, k * w * h + y * w, w);
                }
            }
            return out;
        }
    }
}
