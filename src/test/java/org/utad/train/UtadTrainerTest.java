package org.utad.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.utad.TestModels;
import org.utad.config.Mode;
import org.utad.config.UtadConfig;
import org.utad.core.CancellationToken;
import org.utad.core.CancelledException;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;
import org.utad.engine.Engines;
import org.utad.io.Manifest;
import org.utad.io.ModelBundle;
import org.utad.model.UtadNetworks;

/** Both stages learn, runs are reproducible, and cancel + resume continues exactly, in either stage. */
class UtadTrainerTest {
    private static final List<FloatImage> IMAGES = TestModels.normals(3, 8, 48, 48);

    @BeforeAll
    static void engine() {
        Engines.offline();
    }

    private static double mean(List<HistoryPoint> h, int stage, String key, boolean first, int n) {
        List<HistoryPoint> s = h.stream().filter(p -> p.stage() == stage).toList();
        List<HistoryPoint> part = first ? s.subList(0, n) : s.subList(s.size() - n, s.size());
        return part.stream().mapToDouble(p -> p.losses().get(key)).average().orElseThrow();
    }

    @Test
    void eachStageReducesItsLosses() {
        UtadConfig c = TestModels.tiny(32, Mode.PATCH, 60, 40);
        List<String> lines = new ArrayList<>();
        try (TrainedModel m = UtadTrainer.train(new TrainingRequest(IMAGES, c, Device.cpu(), null, false),
                e -> lines.add(e.line()), null)) {
            List<HistoryPoint> h = m.history();
            double r0 = mean(h, 1, "recon", true, 5);
            double r1 = mean(h, 1, "recon", false, 5);
            assertTrue(r1 < 0.6 * r0, "stage 1 reconstruction " + r0 + " -> " + r1);
            double p0 = mean(h, 2, "paired", true, 5);
            double p1 = mean(h, 2, "paired", false, 5);
            assertTrue(p1 < 0.8 * p0, "stage 2 paired translation " + p0 + " -> " + p1);
            double e0 = mean(h, 2, "recon", true, 5);
            double e1 = mean(h, 2, "recon", false, 5);
            assertTrue(e1 < 0.8 * e0, "stage 2 reconstruction " + e0 + " -> " + e1);
            assertTrue(h.stream().anyMatch(p -> !Double.isNaN(p.validationLoss())), "validation losses recorded");
            Manifest man = m.manifest();
            assertEquals(1, man.channels());
            assertEquals("fixed8", man.normalization().kind());
            assertEquals(2, man.training().get("validation_images").getAsInt());
            assertEquals(2, m.calibrationImages().size());
        }
        // Each stage ends by saying where its time went, the networks first.
        for (String stage : new String[] {"stage 1 (IE-Net): 60 iterations in ",
                "stage 2 (Expert-Net): 40 iterations in "}) {
            String line = lines.stream().filter(l -> l.startsWith(stage)).findFirst().orElseThrow(
                    () -> new AssertionError("no line starting with '" + stage + "'; the last lines: "
                            + lines.subList(Math.max(0, lines.size() - 3), lines.size())));
            assertTrue(line.matches(".*: networks \\d+\\.\\d s \\(\\d+ %\\), sampling .*, the rest .*"), line);
            assertTrue(!line.contains("networks 0.0 s"), "the networks took time: " + line);
        }
    }

    /**
     * The fast preset's stage 1 (docs/BENCHMARKS.md, fifth round): without the GAN term and with
     * synthetic defects the IE-Net still learns, and the unused discriminator is never stepped.
     */
    @Test
    void stageOneWithoutGanAndWithSyntheticDefectsLearnsAndLeavesTheDiscriminatorAlone() {
        UtadConfig c = TestModels.tiny(32, Mode.PATCH, 60, 0).with("stage1.gan_weight", "0")
                .with("stage1.corruption", "0.5");
        UtadConfig same = TestModels.tiny(32, Mode.PATCH, 0, 0);
        byte[] untrained;
        try (TrainedModel m = UtadTrainer.train(new TrainingRequest(IMAGES, same, Device.cpu(), null, false), null, null)) {
            untrained = TrainingRun.params(m.networks().ieDiscriminator());
        }
        try (TrainedModel m = UtadTrainer.train(new TrainingRequest(IMAGES, c, Device.cpu(), null, false), null, null)) {
            List<HistoryPoint> h = m.history();
            double r0 = mean(h, 1, "recon", true, 5);
            double r1 = mean(h, 1, "recon", false, 5);
            assertTrue(r1 < 0.6 * r0, "stage 1 reconstruction " + r0 + " -> " + r1);
            assertTrue(h.stream().noneMatch(p -> p.losses().containsKey("gan") || p.losses().containsKey("disc")),
                    "no GAN loss is computed");
            assertArrayEquals(untrained, TrainingRun.params(m.networks().ieDiscriminator()), "the discriminator is never stepped");
        }
    }

    @Test
    void sameSeedGivesSameModelAndCancelResumeContinuesExactly(@TempDir Path dir) throws Exception {
        UtadConfig c = TestModels.tiny(32, Mode.PATCH, 20, 12);
        byte[] straight;
        try (TrainedModel m = UtadTrainer.train(new TrainingRequest(IMAGES, c, Device.cpu(), null, false), null, null)) {
            straight = paramsOf(m, dir.resolve("a.utad"));
        }
        byte[] again;
        try (TrainedModel m = UtadTrainer.train(new TrainingRequest(IMAGES, c, Device.cpu(), null, false), null, null)) {
            again = paramsOf(m, dir.resolve("b.utad"));
        }
        assertArrayEquals(straight, again, "same seed, same parameters");

        Path checkpoint = dir.resolve("model.utad.checkpoint");
        CancellationToken token = new CancellationToken();
        AtomicInteger seen = new AtomicInteger();
        CancelledException e = assertThrows(CancelledException.class, () -> UtadTrainer.train(
                new TrainingRequest(IMAGES, c, Device.cpu(), checkpoint, false), ev -> {
                    if (ev.stage().startsWith("stage 2") && seen.incrementAndGet() == 5) {
                        token.cancel();
                    }
                }, token));
        assertTrue(e.getMessage().contains("resume"), e.getMessage());
        assertTrue(Files.exists(checkpoint));
        com.google.gson.JsonObject state = com.google.gson.JsonParser.parseString(new String(
                ModelBundle.readExtra(checkpoint, "trainer_state.json"), java.nio.charset.StandardCharsets.UTF_8))
                .getAsJsonObject();
        assertTrue(state.get("seconds_stage2").getAsDouble() > 0,
                "a checkpoint written inside stage 2 keeps the seconds that stage 2 has trained so far");
        Manifest cm = ModelBundle.readManifest(checkpoint);
        try (NDManager nd = NDManager.newBaseManager()) {
            UtadNetworks nets = UtadNetworks.create(cm.config(), cm.channels(), nd, true);
            ModelBundle.loadParameters(checkpoint, cm, nets.all(), nd);
        }
        byte[] kept = Files.readAllBytes(checkpoint);
        UtadConfig other = c.with("stage1.iterations", "30").with("mode", "resize");
        InvalidInputException refused = assertThrows(InvalidInputException.class, () -> UtadTrainer.train(
                new TrainingRequest(IMAGES, other, Device.cpu(), checkpoint, true), null, null));
        assertTrue(refused.getMessage().contains("stage1.iterations: 20 (now 30)")
                && refused.getMessage().contains("mode:"), refused.getMessage());
        assertArrayEquals(kept, Files.readAllBytes(checkpoint), "a refused resume leaves the checkpoint as it was");
        assertTrue(UtadTrainer.savedConfig(checkpoint).differences(c).isEmpty(),
                "the checkpoint holds the settings the run started with");
        UtadConfig otherDetection = c.with("detect.smoothing_sigma", "2");
        try (TrainedModel m = UtadTrainer.train(new TrainingRequest(IMAGES, otherDetection, Device.cpu(), checkpoint,
                true), null, null)) {
            byte[] resumed = paramsOf(m, dir.resolve("c.utad"));
            assertArrayEquals(straight, resumed, "resumed run ends where the uninterrupted run ends");
            long stage2Points = m.history().stream().filter(p -> p.stage() == 2).map(HistoryPoint::iteration)
                    .distinct().count();
            assertEquals(12, stage2Points, "history continues without gaps or repeats");
        }

        Path early = dir.resolve("early.utad.checkpoint");
        CancellationToken stopInStage1 = new CancellationToken();
        AtomicInteger stage1Seen = new AtomicInteger();
        assertThrows(CancelledException.class, () -> UtadTrainer.train(
                new TrainingRequest(IMAGES, c, Device.cpu(), early, false), ev -> {
                    if (ev.stage().startsWith("stage 1") && stage1Seen.incrementAndGet() == 13) {
                        stopInStage1.cancel();
                    }
                }, stopInStage1));
        com.google.gson.JsonObject earlyState = com.google.gson.JsonParser.parseString(new String(
                ModelBundle.readExtra(early, "trainer_state.json"), java.nio.charset.StandardCharsets.UTF_8))
                .getAsJsonObject();
        assertEquals(1, earlyState.get("stage").getAsInt());
        assertEquals(13, earlyState.get("iteration").getAsInt(), "the cancelled iteration runs again on resume");
        try (TrainedModel m = UtadTrainer.train(new TrainingRequest(IMAGES, c, Device.cpu(), early, true), null,
                null)) {
            assertArrayEquals(straight, paramsOf(m, dir.resolve("d.utad")),
                    "a run resumed in stage 1 ends where the uninterrupted run ends");
            assertEquals(20, m.history().stream().filter(p -> p.stage() == 1).map(HistoryPoint::iteration)
                    .distinct().count(), "stage 1's history continues without gaps or repeats");
            assertTrue(m.stageSeconds().stage1() > 0 && m.stageSeconds().stage2() > 0, m.stageSeconds().toString());
            assertEquals(m.stageSeconds(), m.manifest().stageSeconds().orElseThrow(),
                    "the typed timings are the ones the manifest stores");
        }
    }

    @Test
    void nativeMemoryDoesNotGrowWithIterationsOrDetections() {
        int shortRun;
        try (TrainedModel m = UtadTrainer.train(new TrainingRequest(IMAGES, TestModels.tiny(32, Mode.PATCH, 6, 4),
                Device.cpu(), null, false), null, null)) {
            shortRun = m.manager().getManagedArrays().size();
        }
        try (TrainedModel m = UtadTrainer.train(new TrainingRequest(IMAGES, TestModels.tiny(32, Mode.PATCH, 26, 16),
                Device.cpu(), null, false), null, null)) {
            assertEquals(shortRun, m.manager().getManagedArrays().size(), "arrays left per training iteration");
            try (org.utad.infer.Detector d = org.utad.infer.Detector.of(m.manifest(), m.networks(), m.manager())) {
                d.detect(IMAGES.get(0));
                int before = m.manager().getManagedArrays().size();
                for (int i = 0; i < 5; i++) {
                    d.detect(IMAGES.get(i), d.defaultOptions().withIntermediates(true));
                }
                assertEquals(before, m.manager().getManagedArrays().size(), "arrays left per detection");
            }
        }
    }

    private static byte[] paramsOf(TrainedModel m, Path file) throws Exception {
        ModelBundle.write(file, m.manifest(), m.networks().inference(), false);
        return ModelBundle.readExtra(file, UtadNetworks.EXPERT_IMAGE + ModelBundle.PARAMS_SUFFIX);
    }
}
