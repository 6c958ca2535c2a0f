package org.utad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.utad.config.Presets;
import org.utad.config.UtadConfig;
import org.utad.engine.Engines;
import org.utad.model.UtadNetworks;

/**
 * The one-sample training steps of {@code bench-peer}, which measure what a step costs apart from its
 * data: the same layers on a batch of one, named as the PyTorch script names them, and the time the
 * convolution target leaves a step.
 */
class PeerWorkTest {

    @Test
    void oneSampleKeepsTheLayersAndCountsOneSampleOfWork() {
        UtadConfig config = PeerWork.withoutGan(Presets.get("fast"));
        UtadConfig one = PeerWork.oneSample(config);
        assertEquals(1, one.stage1().batchSize());
        assertEquals(1, one.stage2().batchSize());
        assertEquals(config.imageSize(), one.imageSize());
        WorkCount.Row batch = WorkCount.of(config, config.imageSize());
        WorkCount.Row single = WorkCount.of(one, config.imageSize());
        // Every layer's work is per sample, so the batch's count is the batch size times one sample's.
        assertEquals(batch.stage1(), single.stage1() * config.stage1().batchSize());
        assertEquals(batch.stage2(), single.stage2() * config.stage2().batchSize());
    }

    @Test
    void oneSampleStepsRunAndAreNamedAsThePeerNamesThem() throws IOException {
        Engines.offline();
        Engines.engine();
        UtadConfig config = PeerWork.withoutGan(Presets.get("fast"));
        String peer = Files.readString(Path.of("bench/peer/utad_peer.py"), StandardCharsets.UTF_8);
        try (NDManager manager = NDManager.newBaseManager()) {
            UtadNetworks nets = UtadNetworks.create(config, 1, manager, false);
            Map<String, Runnable> steps = PeerWork.networkSteps(nets, manager, config);
            assertEquals(PeerWork.TRAINING_WORKS, List.copyOf(steps.keySet()).subList(0, 2));
            assertEquals(PeerWork.ONE_SAMPLE_WORKS, List.copyOf(steps.keySet()).subList(3, 5));
            for (String name : PeerWork.ONE_SAMPLE_WORKS) {
                assertTrue(peer.contains("\"" + name + "\":"), "the peer script times " + name);
                steps.get(name).run();
            }
        }
    }

    @Test
    void targetTimeIsTheOperationsAtTheGivenRate() {
        // 4.832 GFLOP at half of 346.4 GFLOP/s: 4.832 / 173.2 s = 27.90 ms.
        assertEquals(27.90, PeerBenchmark.msAtRate(4_832_000_000L, PeerBenchmark.TARGET_SHARE * 346.4), 0.005);
        assertEquals(1000.0, PeerBenchmark.msAtRate(1_000_000_000L, 1.0), 1e-9);
    }
}
