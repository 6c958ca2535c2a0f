package org.utad.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;
import java.util.Locale;
import java.util.Random;
import org.utad.api.Evaluate;
import org.utad.api.Utad;
import org.utad.cli.Args;
import org.utad.cli.Main;
import org.utad.config.Fusion;
import org.utad.config.Residual;
import org.utad.core.CancellationToken;
import org.utad.core.InvalidInputException;
import org.utad.core.ProgressListener;
import org.utad.data.DefectDataset;
import org.utad.data.ImageFolder;
import org.utad.engine.DeviceChoice;
import org.utad.imagej.IjImageLoader;
import org.utad.infer.ColorConversion;
import org.utad.infer.DetectOptions;
import org.utad.infer.Detector;
import org.utad.infer.Method;
import org.utad.metrics.EvaluationReport;

/**
 * The detection-ablation loop ({@code bin/utad ablate}): several ways of turning one trained model's
 * network outputs into maps, each evaluated on the same fixed, stratified, seeded subset of a
 * dataset's test images, so that one idea costs minutes instead of a training run.
 *
 * <p>A variant is {@code method[:fusion switches][!residual][@sigma][#score quantile][^tile size][%score
 * margin]}, e.g. {@code utad}, {@code expert:own_code}, {@code baseline!l2^64}, {@code baseline!l2%0.1},
 * {@code utad:own_code,range,reflect@8#0.99};
 * {@link Fusion#parse} lists the switches. The subset is laid
 * out as links in the MVTec layout under the output folder, so the evaluation itself is the same code
 * as {@code evaluate}'s. Results go to the console and to {@code ablation.md} in the output folder.
 *
 * @param out    where results and progress are printed
 * @param cancel stops the run between steps when the user interrupts
 */
record Ablation(PrintStream out, CancellationToken cancel) {
    int run(Args a) throws IOException {
        Path model = Path.of(a.required("model"));
        Path data = Path.of(a.required("data")).toAbsolutePath();
        Path output = Path.of(a.required("output"));
        int perType = Integer.parseInt(a.get("per-type", "20"));
        long seed = Long.parseLong(a.get("seed", "1"));
        List<String> variants = List.of(a.get("variants", "utad;expert;baseline").split(";"));
        Path subset = subset(data, output.resolve("subset"), perType, seed);
        StringBuilder table = new StringBuilder("| variant | images | image AUROC | pixel AUROC | AUPRO | per type"
                + " pixel AUROC | seconds |\n|---|---|---|---|---|---|---|\n");
        try (Detector d = Utad.open(model, DeviceChoice.CPU)) {
            for (String v : variants) {
                DetectOptions o = options(d.defaultOptions(), v.trim());
                Evaluate.Summary s = Evaluate.run(d, o, subset, output.resolve(v.trim().replaceAll("[^A-Za-z0-9_]",
                        "_")), true, new IjImageLoader(), null, ProgressListener.NONE, cancel);
                EvaluationReport r = s.evaluation().overall();
                StringBuilder types = new StringBuilder();
                s.evaluation().byDefectType().forEach((type, t) -> types.append(types.length() == 0 ? "" : ", ")
                        .append(type).append(String.format(Locale.ROOT, " %.3f", t.pixelAuroc())));
                String row = String.format(Locale.ROOT, "| %s | %d | %.4f | %.4f | %.4f | %s | %.0f |", v.trim(),
                        s.images(), r.imageAuroc(), r.pixelAuroc(), r.aupro(), types, s.seconds());
                out.println(row);
                table.append(row).append('\n');
            }
        }
        Files.writeString(output.resolve("ablation.md"), table.toString(), StandardCharsets.UTF_8);
        return Main.OK;
    }

    /** A variant's suffix: the mark that starts it and the option its text sets. */
    private record Suffix(char mark, BiFunction<DetectOptions, String, DetectOptions> apply) {
    }

    /** The suffixes, in the order they are cut from the end of a variant. */
    private static final List<Suffix> SUFFIXES = List.of(
            new Suffix('%', (o, v) -> o.withScoreMargin(Double.parseDouble(v))),
            new Suffix('^', (o, v) -> o.withTileSize(Integer.parseInt(v))),
            new Suffix('#', (o, v) -> o.withScoreQuantile(Double.parseDouble(v))),
            new Suffix('@', (o, v) -> o.withSigma(Double.parseDouble(v))),
            new Suffix('!', (o, v) -> o.withResidual(Residual.parse(v))));

    /**
     * Parses {@code method[:fusion][!residual][@sigma][#quantile][^tile][%margin]} into options over the
     * model's defaults.
     */
    static DetectOptions options(DetectOptions defaults, String variant) {
        DetectOptions o = defaults.withConversion(ColorConversion.AUTO);
        String rest = variant;
        for (Suffix suffix : SUFFIXES) {
            String[] cut = cut(rest, suffix.mark());
            if (cut[1] != null) {
                o = suffix.apply().apply(o, cut[1]);
            }
            rest = cut[0];
        }
        String[] cut = cut(rest, ':');
        o = o.withMethod(Method.parse(cut[0]));
        return cut[1] == null ? o : o.withFusion(Fusion.parse(cut[1]));
    }

    /** Splits a variant at the first {@code mark}: what comes before it, and after it (null without the mark). */
    private static String[] cut(String spec, char mark) {
        int i = spec.indexOf(mark);
        return i < 0 ? new String[] {spec, null} : new String[] {spec.substring(0, i), spec.substring(i + 1)};
    }

    /**
     * Links a seeded random choice of {@code perType} images of every test folder (all of them where a
     * folder has fewer) and their masks into an MVTec-layout folder.
     */
    static Path subset(Path data, Path target, int perType, long seed) throws IOException {
        DefectDataset from = new DefectDataset(data);
        if (!from.hasTests()) {
            throw new InvalidInputException("The dataset " + data + " has no test/ folder (MVTec-AD layout expected).");
        }
        DefectDataset to = new DefectDataset(target);
        for (String type : from.testTypes()) {
            List<Path> files = new ArrayList<>(ImageFolder.imageFiles(from.testFolder(type)));
            Collections.shuffle(files, new Random(seed * 31 + type.hashCode()));
            Path dst = Files.createDirectories(to.testFolder(type));
            for (Path f : files.subList(0, Math.min(perType, files.size()))) {
                link(dst.resolve(f.getFileName()), f);
                Path mask = from.maskFile(type, f);
                if (Files.exists(mask)) {
                    link(Files.createDirectories(to.maskFolder(type)).resolve(mask.getFileName()), mask);
                }
            }
        }
        return target;
    }

    private static void link(Path link, Path to) throws IOException {
        if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(link, to.toAbsolutePath());
        }
    }
}
