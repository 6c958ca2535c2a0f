package org.utad.infer;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.utad.config.Mode;
import org.utad.config.Normalization;
import org.utad.config.Thresholds;
import org.utad.config.UtadConfig;
import org.utad.core.CancellationToken;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;
import org.utad.core.PixelSource;
import org.utad.core.ProgressEvent;
import org.utad.core.ProgressListener;
import org.utad.data.Resample;
import org.utad.engine.Engines;
import org.utad.io.Manifest;
import org.utad.io.ModelBundle;
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
 * <p>In patch mode tiles are read from a {@link PixelSource} one at a time, so a script's ImgLib2
 * image (or any other source) is never copied whole. This class holds the session, the input checks
 * and the order of the steps; {@code Tiling} holds the tile geometry and blending,
 * {@code ResidualMaps} the networks and their fusion, and {@code Scoring} the smoothing, the score
 * and the verdict.
 *
 * <p>Thread-safe: concurrent calls share the networks read-only and each works in its own native
 * memory scope. Closing the detector releases the networks if it loaded them.
 */
public final class Detector implements AutoCloseable {
    private final Manifest manifest;
    private final UtadConfig config;
    private final UtadNetworks nets;
    private final NDManager manager;
    private final boolean ownsManager;
    private final ResidualMaps residuals;

    private Detector(Manifest manifest, UtadNetworks nets, NDManager manager, boolean owns) {
        this.manifest = manifest;
        this.config = manifest.config();
        this.nets = nets;
        this.manager = manager;
        this.ownsManager = owns;
        this.residuals = new ResidualMaps(config, nets, manager);
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
     * Whether this detector's networks run on the CPU, where batch detection may work on several
     * images at once ({@code api.BatchDetection}); a GPU takes one image at a time.
     *
     * @return true on the CPU
     */
    public boolean onCpu() {
        return Device.Type.CPU.equals(manager.getDevice().getDeviceType());
    }

    /**
     * What detection had to do to fit in memory (smaller batches, the CPU instead of the GPU), for
     * summaries and logs.
     *
     * @return the messages so far, oldest first; empty when every batch fitted
     */
    public List<String> fallbackMessages() {
        return residuals.fallbackMessages();
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
        checkFits(input, options.conversion());
        FloatImage img = ColorConversion.convert(input, manifest.channels());
        ConformedSource.requireFinite(img.name(), img.channels(), 0, 0, img.width(), img.height(), img.data());
        return run(img, options, t0);
    }

    /**
     * Detects anomalies in an image read a rectangle at a time, such as a script's ImgLib2 image: in
     * patch mode only the tiles are read, each once, so the image is never copied whole (resize mode,
     * untiled runs and images smaller than a tile read it whole). The maps are the same as for a
     * {@link FloatImage} with the same samples.
     *
     * @param input   the pixels (any size; the model's bit depth family and channels)
     * @param options detection settings
     * @return the maps, score, verdict and regions; the maps carry the source's name and calibration
     * @throws InvalidInputException for channel or bit-depth mismatches and non-finite pixels (found
     *                               in the tile that holds them)
     */
    public DetectionResult detect(PixelSource input, DetectOptions options) {
        if (input instanceof FloatImage image) {
            return detect(image, options);
        }
        long t0 = System.nanoTime();
        Engines.noGradientsOnThisThread();
        checkFits(input, options.conversion());
        return run(ConformedSource.of(input, manifest.channels()), options, t0);
    }

    /**
     * Runs the steps on an image with the model's channels: networks (tiled, untiled or resized),
     * smoothing, score, verdict.
     */
    private DetectionResult run(PixelSource img, DetectOptions options, long t0) {
        int w = img.width();
        int h = img.height();
        int c = img.channels();
        Normalization norm = manifest.normalization();
        int s = config.imageSize();
        double[] netSeconds = new double[1];
        Maps maps;
        if (config.mode() == Mode.RESIZE) {
            float[] small = Resample.resize(norm.apply(img.readAll()), w, h, c, s, s);
            maps = residuals.run(List.of(small), s, s, c, options, netSeconds).resized(w, h, c, s, s);
        } else if (options.untiled()) {
            if (w % 32 != 0 || h % 32 != 0) {
                throw new InvalidInputException("Untiled detection needs a width and height that are multiples of 32;"
                        + " " + img.name() + " is " + w + "x" + h + ".");
            }
            maps = residuals.run(List.of(norm.apply(img.readAll())), w, h, c, options, netSeconds);
        } else {
            maps = tiled(img, options, netSeconds);
        }
        float[] smoothed = Scoring.smooth(maps.map, w, h, options.smoothingSigma());
        if (options.fusion().centre()) {
            Scoring.centre(smoothed);
        }
        Scoring.requireFinite(smoothed, img.name());
        double score = Scoring.imageScore(smoothed, w, h, options.scoreQuantile(), options.scoreMargin());
        Scoring.Judgement j = Scoring.judge(smoothed, w, h, score, thresholds(options.method()));
        double total = (System.nanoTime() - t0) / 1e9;
        return new DetectionResult(img.name(), score, j.verdict(), output(img, 1, smoothed), j.mask(), j.regions(),
                output(img, c, maps.impression), output(img, c, maps.expert), output(img, 1, maps.variance),
                netSeconds[0], total, null);
    }

    /**
     * Covers the image with tiles read from the source, normalised one by one; an image smaller than
     * a tile is read whole and reflection-padded first.
     */
    private Maps tiled(PixelSource img, DetectOptions o, double[] netSeconds) {
        int c = img.channels();
        Tiling tiling = new Tiling(img.width(), img.height(), config.imageSize(), o);
        int tw = tiling.tileWidth();
        int th = tiling.tileHeight();
        Normalization norm = manifest.normalization();
        Tiling.TileReader reader;
        if (tiling.padded()) {
            int pw = tiling.paddedWidth();
            int ph = tiling.paddedHeight();
            FloatImage padded = FloatImage.of(pw, ph, c,
                    Resample.reflectPad(norm.apply(img.readAll()), img.width(), img.height(), c, pw, ph));
            reader = (x, y) -> {
                float[] tile = new float[c * tw * th];
                padded.read(x, y, tw, th, tile);
                return tile;
            };
        } else {
            reader = (x, y) -> {
                float[] tile = new float[c * tw * th];
                img.read(x, y, tw, th, tile);
                return norm.apply(FloatImage.of(tw, th, c, tile));
            };
        }
        return tiling.run(reader, tiles -> residuals.run(tiles, tw, th, c, o, netSeconds), tiling.tileBatch(config, o),
                c, o);
    }

    /** A map of the input's size, name and calibration; null for a part that was not made. */
    private static FloatImage output(PixelSource input, int channels, float[] data) {
        return data == null ? null : new FloatImage(input.width(), input.height(), channels, data, 32, input.name(),
                input.calibration());
    }

    /** Checks the bit-depth family and the channels against the model under the channel policy. */
    private void checkFits(PixelSource img, ColorConversion conversion) {
        boolean model8 = "fixed8".equals(manifest.normalization().kind());
        if (model8 != (img.bitDepth() == 8)) {
            throw new InvalidInputException("Image " + img.name() + " is " + img.bitDepth() + "-bit but the model was"
                    + " trained on " + (model8 ? "8-bit" : "16/32-bit") + " images. Convert the image to the same"
                    + " type as the training images, or train a model on images like it.");
        }
        int mc = manifest.channels();
        if (img.channels() != mc && (conversion == ColorConversion.NONE || (mc != 1 && mc != 3)
                || (img.channels() != 1 && img.channels() != 3))) {
            throw new InvalidInputException("Image " + img.name() + " has " + img.channels() + " channel(s) but the"
                    + " model was trained on " + (mc == 1 ? "grey" : "RGB") + " images. Convert it, or set"
                    + " conversion=auto (RGB is averaged to grey; grey is copied to R, G and B).");
        }
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
        return Scoring.imageScore(map, width, height, q, margin);
    }

    /**
     * A quantile of the values, with linear interpolation; q = 1 is the maximum.
     *
     * @param values the values (not modified)
     * @param q      the quantile in (0, 1]
     * @return the quantile
     */
    public static double quantile(float[] values, double q) {
        return Scoring.quantile(values, q);
    }

    @Override
    public void close() {
        if (ownsManager) {
            manager.close();
        }
    }
}
