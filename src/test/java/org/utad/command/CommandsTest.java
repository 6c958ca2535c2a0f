package org.utad.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.measure.Calibration;
import ij.measure.ResultsTable;
import ij.process.LUT;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.utad.TestModels;
import org.utad.api.Utad;
import org.utad.core.FloatImage;
import org.utad.engine.DeviceChoice;
import org.utad.engine.Engines;
import org.utad.imagej.HeatmapImages;
import org.utad.imagej.ImagePlusAdapter;
import org.utad.infer.DetectOptions;
import org.utad.infer.Detector;

/**
 * Runs the SciJava commands the way Fiji's headless mode does, through a bare SciJava context with
 * only scijava-common and ImageJ 1.x on the class path: train on a generated stack with tiny
 * settings, then detect on another stack and check the outputs' geometry, calibration, table and
 * mask, and that bad input fails the command with a message instead of passing silently.
 */
class CommandsTest {
    /** Overrides that shrink every network so that training takes seconds on two CPU cores. */
    static final String TINY = "ie_net.filters=16 expert_net.dim=8 expert_net.n_downsample=1 expert_net.n_res=1"
            + " expert_net.detail_dim=4 expert_net.mlp_dim=16 expert_net.mlp_layers=2 stage1.batch_size=6"
            + " stage1.learning_rate=0.003 stage2.batch_size=3 stage2.learning_rate=0.001"
            + " stage1.discriminator.dim=8 stage1.discriminator.layers=2 stage1.discriminator.scales=2"
            + " stage2.discriminator.dim=8 stage2.discriminator.layers=2 stage2.discriminator.scales=2"
            + " detect.random_codes=4 detect.residual=l2 detect.smoothing_sigma=1.5";

    @TempDir
    static Path dir;
    private static Context context;
    private static CommandService commands;
    private static File model;
    private static CommandModule trained;

    @BeforeAll
    static void trainThroughTheCommand() throws Exception {
        Engines.offline();
        context = new Context(CommandService.class);
        commands = context.service(CommandService.class);
        model = dir.resolve("stack.utad").toFile();
        ImagePlus normals = stack("normals", TestModels.normals(3, 8, 48, 48));
        Map<String, Object> in = new HashMap<>();
        in.put("images", normals);
        in.put("model", model);
        in.put("image_size", 32);
        in.put("iterations1", 20);
        in.put("iterations2", 10);
        in.put("mode", "patch");
        in.put("validation", 0.25);
        in.put("device", "cpu");
        in.put("settings", TINY);
        trained = commands.run(TrainModelCommand.class, true, in).get();
    }

    @AfterAll
    static void close() {
        if (context != null) {
            context.dispose();
        }
    }

    static ImagePlus stack(String title, List<FloatImage> slices) {
        ImagePlus imp = ImagePlusAdapter.toImagePlus(slices, title, 8);
        Calibration cal = imp.getCalibration().copy();
        cal.pixelWidth = 0.65;
        cal.pixelHeight = 0.65;
        cal.setUnit("micron");
        imp.setCalibration(cal);
        return imp;
    }

    @Test
    void trainingWritesTheModelAndOutputsTheLossPlotAndSummary() {
        assertTrue(model.isFile(), "no model written");
        assertTrue(Files.isRegularFile(Path.of(model + ".checkpoint")), "the last state is kept beside the model");
        ImagePlus plot = (ImagePlus) trained.getOutput("lossPlot");
        assertNotNull(plot);
        assertTrue(plot.getWidth() > 100 && plot.getHeight() > 100, "plot image too small");
        String summary = (String) trained.getOutput("summary");
        assertTrue(summary.contains("Model written to") && summary.contains("Last state kept in"), summary);
    }

    @Test
    void detectionOnAStackKeepsGeometryAndCalibrationAndTabulatesEverySlice() throws Exception {
        ImagePlus input = stack("probe.tif", TestModels.normals(3, 3, 64, 48).subList(0, 3));
        Map<String, Object> in = new HashMap<>();
        in.put("image", input);
        in.put("model", model);
        in.put("device", "cpu");
        in.put("masks", true);
        in.put("intermediates", true);
        in.put("add_rois", true);
        CommandModule m = commands.run(DetectAnomaliesCommand.class, true, in).get();

        ImagePlus heatmap = (ImagePlus) m.getOutput("heatmap");
        assertEquals(64, heatmap.getWidth());
        assertEquals(48, heatmap.getHeight());
        assertEquals(3, heatmap.getStackSize());
        assertEquals(32, heatmap.getBitDepth());
        assertEquals(0.65, heatmap.getCalibration().pixelWidth, 1e-12);
        assertEquals(0.65, heatmap.getCalibration().pixelHeight, 1e-12);
        assertEquals("micron", heatmap.getCalibration().getUnit());
        assertEquals(0, heatmap.getDisplayRangeMin(), 0);
        double threshold = heatmap.getNumericProp(HeatmapImages.PIXEL_THRESHOLD_PROPERTY);
        assertTrue(threshold > 0, "a calibrated model's heatmap names its pixel threshold");
        assertEquals(2 * threshold, heatmap.getDisplayRangeMax(), 1e-6 * threshold, "the threshold sits mid-scale");
        assertTrue(((String) heatmap.getProperty("Info")).contains("Pixel threshold"), "the Info states the scale");
        LUT lut = heatmap.getProcessor().getLut();
        assertTrue(lut.getRed(255) > 200 && lut.getBlue(0) < 50 && lut.getRed(0) < 50, "not the Fire LUT");

        ImagePlus overlay = (ImagePlus) m.getOutput("overlay");
        assertEquals(ImagePlus.COLOR_RGB, overlay.getType());
        assertEquals(3, overlay.getStackSize());
        assertEquals(0.65, overlay.getCalibration().pixelWidth, 1e-12);

        ImagePlus mask = (ImagePlus) m.getOutput("mask");
        assertNotNull(mask, "mask asked for a calibrated model");
        assertEquals(8, mask.getBitDepth());
        assertEquals(3, mask.getStackSize());
        for (int s = 1; s <= 3; s++) {
            byte[] p = (byte[]) mask.getStack().getPixels(s);
            float[] heat = (float[]) heatmap.getStack().getPixels(s);
            for (int i = 0; i < p.length; i++) {
                assertTrue(p[i] == 0 || p[i] == (byte) 255, "mask values must be 0 or 255");
                assertEquals(heat[i] >= threshold, p[i] != 0, "the mask is the heatmap at or above the threshold"
                        + " it names, pixel " + i + " of slice " + s);
            }
        }
        assertEquals(3, ((ImagePlus) m.getOutput("impression")).getStackSize());
        assertEquals(3, ((ImagePlus) m.getOutput("expert")).getStackSize());
        ImagePlus variance = (ImagePlus) m.getOutput("variance");
        assertEquals(3, variance.getStackSize(), "the expert variance is shown with the intermediates");
        assertEquals(64, variance.getWidth());
        assertEquals(32, variance.getBitDepth());

        ResultsTable rt = (ResultsTable) m.getOutput("results");
        assertEquals(3, rt.size(), "one row per slice");
        for (int i = 0; i < 3; i++) {
            assertTrue(Double.isFinite(rt.getValue("score", i)));
            String verdict = rt.getStringValue("verdict", i);
            assertTrue(verdict.equals("normal") || verdict.equals("anomalous"), verdict);
        }
    }

    @Test
    void detectionWithoutMasksLeavesTheMaskOutputEmpty() throws Exception {
        Map<String, Object> in = new HashMap<>();
        in.put("image", stack("single", TestModels.normals(3, 1, 48, 48)));
        in.put("model", model);
        in.put("device", "cpu");
        in.put("masks", false);
        CommandModule m = commands.run(DetectAnomaliesCommand.class, true, in).get();
        assertNull(m.getOutput("mask"));
        assertEquals(1, ((ImagePlus) m.getOutput("heatmap")).getStackSize());
        assertEquals(1, ((ResultsTable) m.getOutput("results")).size());
    }

    @Test
    void folderDetectionWritesHeatmapsAndScores() throws Exception {
        Path images = Files.createDirectories(dir.resolve("in"));
        for (FloatImage img : TestModels.normals(4, 2, 48, 48)) {
            ij.IJ.saveAsTiff(ImagePlusAdapter.toImagePlus(List.of(img), img.name(), 8),
                    images.resolve("img" + img.name().hashCode() + ".tif").toString());
        }
        Path out = dir.resolve("out");
        Map<String, Object> in = new HashMap<>();
        in.put("folder", images.toFile());
        in.put("output", out.toFile());
        in.put("model", model);
        in.put("device", "cpu");
        CommandModule m = commands.run(DetectAnomaliesCommand.class, true, in).get();
        List<String> csv = Files.readAllLines(out.resolve("scores.csv"));
        assertEquals(3, csv.size(), String.join("\n", csv));
        assertEquals(2, ((ResultsTable) m.getOutput("results")).size());
        assertNull(m.getOutput("heatmap"));
    }

    @Test
    void theHeatmapOnScreenAndTheSavedHeatmapHoldTheSameNumbersAndStateTheSameScale() throws Exception {
        FloatImage probe = TestModels.normals(8, 1, 48, 48).get(0);
        Path folder = Files.createDirectories(dir.resolve("scale-in"));
        ij.IJ.saveAsTiff(ImagePlusAdapter.toImagePlus(List.of(probe), "probe", 8), folder.resolve("probe.tif")
                .toString());
        Path out = dir.resolve("scale-out");
        Map<String, Object> onFolder = new HashMap<>();
        onFolder.put("folder", folder.toFile());
        onFolder.put("output", out.toFile());
        onFolder.put("model", model);
        onFolder.put("device", "cpu");
        commands.run(DetectAnomaliesCommand.class, true, onFolder).get();
        ImagePlus saved = ij.IJ.openImage(out.resolve("probe_heatmap.tif").toString());

        Map<String, Object> onImage = new HashMap<>();
        onImage.put("image", ImagePlusAdapter.toImagePlus(List.of(probe), "probe", 8));
        onImage.put("model", model);
        onImage.put("device", "cpu");
        ImagePlus shown = (ImagePlus) commands.run(DetectAnomaliesCommand.class, true, onImage).get()
                .getOutput("heatmap");

        float[] a = (float[]) shown.getProcessor().getPixels();
        float[] b = (float[]) saved.getProcessor().getPixels();
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-6f * Math.max(1f, Math.abs(a[i])), "pixel " + i);
        }
        assertEquals(shown.getDisplayRangeMax(), saved.getDisplayRangeMax(), 1e-6 * shown.getDisplayRangeMax());
        String info = (String) saved.getProperty("Info");
        assertTrue(info != null && info.equals(shown.getProperty("Info")), "one description of the scale:\n"
                + info + "\n---\n" + shown.getProperty("Info"));
        assertTrue(info.contains(String.format(java.util.Locale.ROOT, "Pixel threshold: %.6g",
                shown.getNumericProp(HeatmapImages.PIXEL_THRESHOLD_PROPERTY))), info);
    }

    @Test
    void folderDetectionTakesAShardForClusterArrayJobs() throws Exception {
        Path images = Files.createDirectories(dir.resolve("shard-in"));
        List<FloatImage> normals = TestModels.normals(6, 3, 48, 48);
        for (int i = 0; i < normals.size(); i++) {
            ij.IJ.saveAsTiff(ImagePlusAdapter.toImagePlus(List.of(normals.get(i)), "n" + i, 8),
                    images.resolve("n" + i + ".tif").toString());
        }
        Path out = dir.resolve("shard-out");
        Map<String, Object> in = new HashMap<>();
        in.put("folder", images.toFile());
        in.put("output", out.toFile());
        in.put("model", model);
        in.put("device", "cpu");
        in.put("shard", "2/2");
        CommandModule m = commands.run(DetectAnomaliesCommand.class, true, in).get();
        List<String> part = Files.readAllLines(out.resolve("scores.part-2-of-2.csv"));
        assertEquals(2, part.size(), "shard 2/2 of three files takes the second: " + part);
        assertTrue(part.get(1).startsWith("n1.tif,"), part.get(1));
        assertEquals(1, ((ResultsTable) m.getOutput("results")).size());
        assertTrue(Files.exists(out.resolve("n1_heatmap.tif")) && !Files.exists(out.resolve("n0_heatmap.tif")));
        assertTrue(!Files.exists(out.resolve("scores.csv")), "a shard writes only its own table");

        Map<String, Object> image = new HashMap<>();
        image.put("image", stack("one", TestModels.normals(6, 1, 48, 48)));
        image.put("model", model);
        image.put("shard", "1/2");
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> commands.run(DetectAnomaliesCommand.class, true, image).get());
        assertTrue(rootMessage(e).contains("does not apply to an open image"), rootMessage(e));
    }

    @Test
    void detectionSettingsGiveTheSameMapAsTheFacadeGivesWithThemAndRefuseOtherKeys() throws Exception {
        ImagePlus probe = ImagePlusAdapter.toImagePlus(List.of(TestModels.normals(9, 1, 48, 48).get(0)), "probe", 8);
        Map<String, Object> in = new HashMap<>();
        in.put("image", probe);
        in.put("model", model);
        in.put("device", "cpu");
        float[] plain = (float[]) ((ImagePlus) commands.run(DetectAnomaliesCommand.class, true, in).get()
                .getOutput("heatmap")).getProcessor().getPixels();
        in.put("settings", "detect.smoothing_sigma=0; detect.score_margin=0");
        float[] set = (float[]) ((ImagePlus) commands.run(DetectAnomaliesCommand.class, true, in).get()
                .getOutput("heatmap")).getProcessor().getPixels();

        float[] facade;
        try (Detector d = Utad.open(model.toPath(), DeviceChoice.CPU)) {
            DetectOptions o = Utad.detectOptions(d.manifest().config(),
                    Map.of("detect.smoothing_sigma", "0", "detect.score_margin", "0"), "none", "utad");
            facade = d.detect(ImagePlusAdapter.toFloatImages(probe).get(0), o).map().data();
        }
        assertEquals(facade.length, set.length);
        double changed = 0;
        for (int i = 0; i < set.length; i++) {
            assertEquals(facade[i], set[i], 1e-6f * Math.max(1f, Math.abs(facade[i])), "pixel " + i);
            changed = Math.max(changed, Math.abs(set[i] - plain[i]));
        }
        assertTrue(changed > 1e-4, "without smoothing the map must differ from the model's smoothed one");

        in.put("settings", "stage1.iterations=5");
        String message = rootMessage(assertThrows(ExecutionException.class,
                () -> commands.run(DetectAnomaliesCommand.class, true, in).get()));
        assertTrue(message.contains("detect.*") && message.contains("stage1.iterations"), message);
    }

    @Test
    void aMissingImageFailsTheCommandWithAClearMessage() {
        Map<String, Object> in = new HashMap<>();
        in.put("model", model);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> commands.run(DetectAnomaliesCommand.class, true, in).get());
        String message = rootMessage(e);
        assertTrue(message.contains("open an image"), message);
    }

    @Test
    void aMissingModelFileFailsTraining() {
        Map<String, Object> in = new HashMap<>();
        in.put("images", stack("n", TestModels.normals(3, 4, 48, 48)));
        in.put("model", new File(""));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> commands.run(TrainModelCommand.class, true, in).get());
        assertInstanceOf(RuntimeException.class, e.getCause());
        String message = rootMessage(e);
        assertTrue(message.contains("model file"), message);
    }

    /** SciJava wraps a command's exception ("Module threw exception"); the user's message is inside. */
    private static String rootMessage(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" | ");
        }
        return all.toString();
    }

    @Test
    void modelInfoAndEngineInfoReturnTheirText() throws Exception {
        CommandModule info = commands.run(ModelInfoCommand.class, true, Map.of("model", model)).get();
        String text = (String) info.getOutput("info");
        assertTrue(text.contains("Preset: fast") && text.contains("Thresholds"), text);
        CommandModule engine = commands.run(EngineInfoCommand.class, true, Map.of()).get();
        assertTrue(((String) engine.getOutput("info")).contains("PyTorch"));
    }
}
