package org.utad.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.utad.api.BatchDetection;
import org.utad.api.Evaluate;
import org.utad.api.ModelInfo;
import org.utad.api.TrainParams;
import org.utad.api.TrainSummary;
import org.utad.api.Utad;
import org.utad.config.Presets;
import org.utad.config.UtadConfig;
import org.utad.core.CancellationToken;
import org.utad.data.DefectDataset;
import org.utad.data.FolderReadResult;
import org.utad.data.ImageFolder;
import org.utad.engine.DeviceChoice;
import org.utad.imagej.IjEvaluationFigures;
import org.utad.imagej.IjImageLoader;
import org.utad.imagej.IjImageSaver;
import org.utad.infer.Detector;
import org.utad.io.ModelBundle;

/**
 * The README's end-to-end job on the bundled demo data: train on {@code test-data/texture/train/good},
 * detect every test folder (heatmap TIFFs, masks and scores.csv per folder), then evaluate against the
 * ground truth. It uses the fast preset shortened so that it finishes in a few minutes on a laptop.
 *
 * @param out    where results and progress are printed
 * @param cancel stops the run between steps when the user interrupts
 */
record Demo(PrintStream out, CancellationToken cancel) {
    /** The shortened fast preset of the demo; any value can still be changed with --set. */
    static final List<String> DEMO_SETTINGS = List.of("image_size=64", "mode=patch", "stage1.iterations=400",
            "stage2.iterations=300", "detect.residual=l2");

    int run(Args a) throws IOException {
        Path data = Path.of(a.get("data", "test-data/texture"));
        Path work = Path.of(a.get("work", "target/demo"));
        Files.createDirectories(work);
        UtadConfig config = Presets.fast();
        for (String kv : DEMO_SETTINGS) {
            config = config.with(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        config = config.with(a.overrides());
        IjImageLoader loader = new IjImageLoader();
        DefectDataset dataset = new DefectDataset(data);
        FolderReadResult train = ImageFolder.read(dataset.trainNormal(), loader, false);
        out.println(train.summary());
        Path model = work.resolve("model.utad");
        TrainSummary ts = Utad.train(new TrainParams(train.images(), config, model, true, DeviceChoice.parse(
                a.get("device", "auto")), false), new ConsoleProgress(out, 10), cancel);
        out.println(ts.text());
        out.println(ModelInfo.describe(model, ModelBundle.readManifest(model)));
        try (Detector d = Utad.open(model, DeviceChoice.parse(a.get("device", "auto")))) {
            for (String type : dataset.testTypes()) {
                Path outFolder = work.resolve("detect").resolve(type);
                BatchDetection.Summary s = BatchDetection.run(d, dataset.testFolder(type), outFolder,
                        d.defaultOptions(), true, true, loader, new IjImageSaver(), event -> { }, cancel);
                out.println(type + ": " + s.text());
            }
            Evaluate.Summary e = Evaluate.run(d, d.defaultOptions(), data, work.resolve("evaluation"), true, loader,
                    new IjEvaluationFigures(), event -> { }, cancel);
            out.println("Evaluation: " + e.text());
        }
        out.println("Heatmaps and scores: " + work.resolve("detect").toAbsolutePath());
        return Main.OK;
    }
}
