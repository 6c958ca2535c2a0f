package org.utad.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.utad.TestModels;
import org.utad.config.Mode;
import org.utad.config.UtadConfig;
import org.utad.engine.Engines;
import org.utad.model.UtadNetworks;

/**
 * The random detail codes decoded together, as one batch with the content codes repeated once per
 * code, give the maps, expert reconstructions and variances of decoding them one at a time: every
 * tile meets every code once, with its own content code.
 */
class ResidualMapsTest {
    @BeforeAll
    static void start() {
        Engines.offline();
        Engines.engine();
    }

    @ParameterizedTest
    @CsvSource({"utad, default, 5", "utad, 'own_code,no_fast', 3", "expert, default, 1", "utad, default, 2"})
    void codesDecodedTogetherGiveWhatOneAtATimeGives(String method, String fusion, int tiles) {
        UtadConfig config = TestModels.tiny(32, Mode.PATCH, 1, 1);
        Random r = new Random(tiles * 7L + method.length());
        List<float[]> inputs = new ArrayList<>();
        for (int i = 0; i < tiles; i++) {
            float[] t = new float[32 * 32];
            for (int j = 0; j < t.length; j++) {
                t[j] = r.nextFloat();
            }
            inputs.add(t);
        }
        DetectOptions o = DetectOptions.defaults(config.detect()).withMethod(Method.parse(method))
                .withFusion(org.utad.config.Fusion.parse(fusion)).withRandomCodes(5).withIntermediates(true);
        try (NDManager m = NDManager.newBaseManager()) {
            Engines.noGradientsOnThisThread();
            UtadNetworks nets = UtadNetworks.create(config, 1, m, false);
            Maps one = new ResidualMaps(config, nets, m, 1).run(inputs, 32, 32, 1, o, new double[1]);
            Maps together = new ResidualMaps(config, nets, m, ResidualMaps.DECODE_BATCH)
                    .run(inputs, 32, 32, 1, o, new double[1]);
            assertClose(one.map, together.map, "map");
            assertClose(one.variance, together.variance, "variance");
            if (one.expert != null) {
                assertClose(one.expert, together.expert, "expert");
            }
        }
    }

    private static void assertClose(float[] want, float[] got, String what) {
        assertNotNull(want, what);
        assertNotNull(got, what);
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-5 * (1 + Math.abs(want[i])), what + " " + i);
        }
    }
}
