package org.utad.bench;

import ai.djl.Device;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.utad.api.BatchDetection;
import org.utad.api.Evaluate;
import org.utad.api.TrainParams;
import org.utad.api.TrainSummary;
import org.utad.api.Utad;
import org.utad.cli.Args;
import org.utad.cli.ConsoleProgress;
import org.utad.cli.Main;
import org.utad.config.Presets;
import org.utad.config.UtadConfig;
import org.utad.core.CancellationToken;
import org.utad.core.FloatImage;
import org.utad.core.ProgressListener;
import org.utad.data.DefectDataset;
import org.utad.data.FolderReadResult;
import org.utad.data.ImageFolder;
import org.utad.data.SyntheticImages;
import org.utad.engine.DeviceChoice;
import org.utad.engine.Engines;
import org.utad.imagej.IjEvaluationFigures;
import org.utad.imagej.IjImageLoader;
import org.utad.imagej.IjImageSaver;
import org.utad.imagej.ImageWriter;
import org.utad.infer.ColorConversion;
import org.utad.infer.DetectOptions;
import org.utad.infer.DetectionResult;
import org.utad.infer.Detector;
import org.utad.infer.Method;
import org.utad.train.TrainedModel;
import org.utad.train.TrainingRequest;
import org.utad.train.UtadTrainer;

/**
 * The benchmark programs of docs/BENCHMARKS.md, run through the CLI so that they measure exactly
 * the code users run: quality on a dataset against the baselines, training speed per preset and
 * size, and end-to-end detection speed and memory.
 *
 * @param out    where results and progress are printed
 * @param cancel stops the run between steps when the user interrupts
 */
record Benchmarks(PrintStream out, CancellationToken cancel) {
    /**
     * Trains on {@code <data>/train/good}, evaluates UTAD, the one-stage baseline and the
     * mean-intensity score on {@code <data>/test}, prints one markdown row per method and appends
     * them to the table file.
     */
    int quality(Args a) throws IOException {
        Path data = Path.of(a.required("data"));
        UtadConfig config = Presets.get(a.get("preset", "fast")).with(a.overrides());
        if (a.get("seed", null) != null) {
            config = config.with("seed", a.get("seed", null));
        }
        Path work = Path.of(a.get("work", "target/benchmark"));
        Files.createDirectories(work);
        String name = data.getFileName().toString();
        Path model = work.resolve(name + "-" + config.preset() + "-seed" + config.seed() + ".utad");
        IjImageLoader loader = new IjImageLoader();
        FolderReadResult train = ImageFolder.read(new DefectDataset(data).trainNormal(), loader, false);
        out.println(train.summary());
        List<FloatImage> images = sameChannels(train.images());
        TrainSummary ts = Utad.train(new TrainParams(images, config, model, true, DeviceChoice.CPU, false),
                new ConsoleProgress(out, 30), cancel);
        out.println(ts.text());
        List<String> rows = new ArrayList<>();
        String settings = settings(config);
        try (Detector d = Utad.open(model, DeviceChoice.CPU)) {
            for (Method m : List.of(Method.UTAD, Method.BASELINE)) {
                DetectOptions o = d.defaultOptions().withMethod(m).withConversion(ColorConversion.AUTO);
                Evaluate.Summary s = Evaluate.run(d, o, data, work.resolve(name + "-" + m.name().toLowerCase(Locale.ROOT)
                        + "-seed" + config.seed()), true, loader, new IjEvaluationFigures(), new ConsoleProgress(out, 30), cancel);
                out.println(m + ": " + s.text());
                rows.add(row(name, m == Method.UTAD ? "UTAD" : "one-stage (IE-Net residual)", config, settings, ts,
                        train.images().size(), s));
            }
        }
        Evaluate.Summary mean = Evaluate.run(img -> new Evaluate.Scored(meanIntensity(img), null), Float.NaN, data,
                work.resolve(name + "-mean-seed" + config.seed()), true, loader, new IjEvaluationFigures(), ProgressListener.NONE, cancel);
        rows.add(row(name, "trivial (mean intensity)", config, "-", null, train.images().size(), mean));
        String table = a.get("table", "docs/BENCHMARKS.md");
        StringBuilder sb = new StringBuilder();
        for (String r : rows) {
            out.println(r);
            sb.append(r).append('\n');
        }
        Files.writeString(Path.of(table), sb.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        return Main.OK;
    }

    private static String settings(UtadConfig c) {
        return String.format(Locale.ROOT, "%d px %s, IE %d, EN %d, it %d+%d, K %d, %s, sigma %.1f", c.imageSize(),
                c.mode().name().toLowerCase(Locale.ROOT), c.ieNet().filters(), c.expertNet().dim(),
                c.stage1().iterations(), c.stage2().iterations(), c.detect().randomCodes(),
                c.detect().residual().name().toLowerCase(Locale.ROOT), c.detect().smoothingSigma());
    }

    private static String row(String data, String method, UtadConfig c, String settings, TrainSummary ts, int images,
                              Evaluate.Summary s) {
        var o = s.evaluation().overall();
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %s | %d | %d | %s | %.3f | %.3f | %.3f | %.3f | %s | %s |",
                LocalDate.now(), data, method, c.preset() + " (" + settings + ")", c.seed(), "cpu",
                Runtime.getRuntime().availableProcessors(), images,
                ts == null ? "-" : String.format(Locale.ROOT, "%.0f", ts.secondsStage1() + ts.secondsStage2()),
                o.imageAuroc(), o.pixelAuroc(), o.aupro(), o.f1Max(),
                Double.isNaN(o.f1AtCalibrated()) ? "-" : String.format(Locale.ROOT, "%.3f", o.f1AtCalibrated()),
                String.format(Locale.ROOT, "%.0f", s.seconds()));
    }

    private static double meanIntensity(FloatImage img) {
        double sum = 0;
        for (float v : img.data()) {
            sum += v;
        }
        return sum / img.data().length;
    }

    /** Times training iterations of both stages for each preset and size on generated images. */
    int training(Args a) {
        String[] presets = a.get("presets", "fast,balanced,paper").split(",");
        int[] sizes = Arrays.stream(a.get("sizes", "64,128,256").split(",")).mapToInt(Integer::parseInt).toArray();
        int iterations = Integer.parseInt(a.get("iterations", "6"));
        int maxBatch = Integer.parseInt(a.get("max-batch", "0"));
        out.println("| preset | size | batch 1/2 | stage 1 ms/it | stage 2 ms/it | peak RSS MB |");
        out.println("|---|---|---|---|---|---|");
        for (String p : presets) {
            for (int s : sizes) {
                UtadConfig c = Presets.get(p).with(Map.of("image_size", String.valueOf(s), "mode", "resize",
                        "stage1.iterations", String.valueOf(iterations), "stage2.iterations", String.valueOf(iterations),
                        "validation_fraction", "0.1"));
                if (maxBatch > 0) {
                    c = c.with("stage1.batch_size", String.valueOf(Math.min(maxBatch, c.stage1().batchSize())))
                            .with("stage2.batch_size", String.valueOf(Math.min(maxBatch, c.stage2().batchSize())));
                }
                List<FloatImage> imgs = new ArrayList<>();
                SyntheticImages gen = new SyntheticImages(1);
                for (int i = 0; i < 10; i++) {
                    imgs.add(gen.normal(i, s, s, 1));
                }
                List<Long> t1 = new ArrayList<>();
                List<Long> t2 = new ArrayList<>();
                long[] last = {System.nanoTime()};
                ProgressListener timer = e -> {
                    long now = System.nanoTime();
                    if (e.stage().startsWith("stage 1")) {
                        t1.add(now - last[0]);
                    } else if (e.stage().startsWith("stage 2")) {
                        t2.add(now - last[0]);
                    }
                    last[0] = now;
                };
                try (TrainedModel m = UtadTrainer.train(new TrainingRequest(imgs, c, Device.cpu(), null, false), timer,
                        cancel)) {
                    out.println(String.format(Locale.ROOT, "| %s | %d | %d/%d | %.0f | %.0f | %.0f |", p, s,
                            c.stage1().batchSize(), c.stage2().batchSize(), median(t1), median(t2),
                            Memory.megabytes("VmHWM")));
                }
            }
        }
        return Main.OK;
    }

    private static double median(List<Long> nanos) {
        List<Long> steady = new ArrayList<>(nanos.subList(Math.min(2, nanos.size() - 1), nanos.size()));
        steady.sort(Long::compare);
        return steady.get(steady.size() / 2) / 1e6;
    }

    /**
     * Times end-to-end detection (read file, normalise, tile, both stages, fuse, write TIFF) of
     * {@code --count} square 16-bit images of {@code --size} px (256 by default) and of one large
     * 16-bit image, with a quickly trained model of the chosen preset in patch mode (speed does not
     * depend on how long it was trained). The small images are timed one at a time, which splits their
     * time into the networks and the rest, and then as a folder through {@link BatchDetection}, which
     * works on several at once on the CPU, as {@code bin/utad detect}, Fiji and macros do.
     */
    int detection(Args a) throws IOException {
        Path work = Path.of(a.get("work", "target/bench-detect"));
        Files.createDirectories(work);
        int count = Integer.parseInt(a.get("count", "20"));
        int large = Integer.parseInt(a.get("large", "4096"));
        int side = Integer.parseInt(a.get("size", "256"));
        UtadConfig c = Presets.get(a.get("preset", "fast")).with(Map.of("mode", "patch", "stage1.iterations", "10",
                "stage2.iterations", "10")).with(a.overrides());
        SyntheticImages gen = new SyntheticImages(3);
        List<FloatImage> train = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            train.add(sixteenBit(gen.normal(i, 256, 256, 1)));
        }
        Path model = work.resolve("speed.utad");
        Utad.train(new TrainParams(train, c, model, true, DeviceChoice.CPU, false), ProgressListener.NONE, cancel);
        Path in = work.resolve("in");
        Files.createDirectories(in);
        try (var old = Files.list(in)) {
            for (Path f : old.filter(Files::isRegularFile).toList()) {
                Files.delete(f);
            }
        }
        List<Path> small = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path f = in.resolve("img" + i + ".tif");
            ImageWriter.writeTiff16(sixteenBit(gen.normal(100 + i, side, side, 1)), f, true);
            small.add(f);
        }
        Path big = Files.createDirectories(work.resolve("large")).resolve("large.tif");
        ImageWriter.writeTiff16(sixteenBit(gen.normal(999, large, large, 1)), big, true);
        IjImageLoader loader = new IjImageLoader();
        IjImageSaver saver = new IjImageSaver();
        try (Detector d = Utad.open(model, DeviceChoice.CPU)) {
            DetectOptions o = d.defaultOptions();
            run(d, o, loader, saver, List.of(small.get(0)), work);
            double[] r = run(d, o, loader, saver, small, work);
            int cores = Runtime.getRuntime().availableProcessors();
            out.println(String.format(Locale.ROOT, "%dx%d 16-bit, %s preset, K=%d, overlap %.2f: %.2f images/s (%.2f per"
                            + " core), %.1f %% of the time outside network forward passes (%d images, %.1f s)",
                    side, side, c.preset(), o.randomCodes(), o.tileOverlap(), count / r[0], count / r[0] / cores,
                    100 * (1 - r[1] / r[0]), count, r[0]));
            System.gc();
            Memory.resetPeak();
            double[] l = run(d, o, loader, saver, List.of(big), work);
            out.println(String.format(Locale.ROOT, "%dx%d 16-bit: %.1f s, %.1f %% outside network forward passes, "
                            + "peak resident memory during it %.0f MB", large, large, l[0], 100 * (1 - l[1] / l[0]),
                    Memory.megabytes("VmHWM")));
            // After the large image: with the folder run before it, the large image's peak resident memory
            // came out at 1905 MB, against 1236 MB in the run before the folder run was added, so its row
            // would no longer compare with earlier runs.
            int inFlight = BatchDetection.imagesInFlight(d, small, Engines.intraOpThreads());
            BatchDetection.Summary folder = BatchDetection.run(d, in, work.resolve("out"), o, false, true, loader,
                    saver, ProgressListener.NONE, cancel);
            double rate = count / folder.seconds();
            out.println(String.format(Locale.ROOT, "The same %d small images as a folder (as bin/utad detect),"
                    + " %d at once: %.2f images/s (%.2f per core), %.1f s", count, inFlight, rate, rate / cores,
                    folder.seconds()));
        }
        out.println(String.format(Locale.ROOT, "Peak resident memory since the large image started, the folder run"
                        + " included: %.0f MB (engine %s, %d cores)",
                Memory.megabytes("VmHWM"), Engines.summary(), Runtime.getRuntime().availableProcessors()));
        return Main.OK;
    }

    private static double[] run(Detector d, DetectOptions o, IjImageLoader loader, IjImageSaver saver, List<Path> files,
                                Path work) {
        long t0 = System.nanoTime();
        double net = 0;
        for (Path f : files) {
            FloatImage img = loader.load(f).get(0);
            DetectionResult r = d.detect(img, o);
            BatchDetection.writeHeatmap(saver, r.map(), d.thresholds(o.method()), o.method(),
                    work.resolve("heatmap.tif"), true);
            net += r.networkSeconds();
        }
        return new double[] {(System.nanoTime() - t0) / 1e9, net};
    }

    /**
     * Brings a dataset that mixes grey and RGB files (deeppcb stores a few grey scans as RGB) to the
     * channel count most of its images have, and says so: training refuses mixed channels, and the
     * benchmark must run on the datasets as they are.
     */
    private List<FloatImage> sameChannels(List<FloatImage> images) {
        long grey = images.stream().filter(i -> i.channels() == 1).count();
        int target = grey * 2 >= images.size() ? 1 : 3;
        long converted = images.stream().filter(i -> i.channels() != target).count();
        if (converted == 0) {
            return images;
        }
        out.println("Converted " + converted + " of " + images.size() + " training images to "
                + (target == 1 ? "grey (mean of R, G, B)" : "RGB") + ", the channel count of most of them; test images"
                + " are converted the same way (conversion=auto).");
        List<FloatImage> same = new ArrayList<>();
        for (FloatImage i : images) {
            same.add(ColorConversion.convert(i, target));
        }
        return same;
    }

    private static FloatImage sixteenBit(FloatImage img) {
        float[] d = img.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.round(500 + d[i] * 30000);
        }
        return new FloatImage(img.width(), img.height(), 1, d, 16, img.name(), null);
    }

}
