package org.utad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.utad.config.Presets;
import org.utad.config.UtadConfig;
import org.utad.engine.Engines;
import org.utad.model.UtadNetworks;

/**
 * {@code bench-onednn} names, without building networks, the works its child JVMs look up in {@link
 * PeerWork#networkSteps}: the two lists must agree, in order, or a child would find no step.
 */
class OnednnBenchmarkTest {

    @Test
    void namesExactlyTheNetworkStepsOfTheSpeedBenchmark() {
        Engines.offline();
        Engines.engine();
        UtadConfig config = PeerWork.withoutGan(Presets.get("fast"));
        try (NDManager manager = NDManager.newBaseManager()) {
            UtadNetworks nets = UtadNetworks.create(config, 1, manager, false);
            assertEquals(OnednnBenchmark.WORKS, List.copyOf(PeerWork.networkSteps(nets, manager, config).keySet()));
        }
        assertEquals(0.0, config.stage1().ganWeight());
        assertEquals(0.0, config.stage2().ganWeight());
    }
}
