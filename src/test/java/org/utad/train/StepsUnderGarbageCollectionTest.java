package org.utad.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.utad.config.Presets;
import org.utad.config.UtadConfig;
import org.utad.engine.Engines;
import org.utad.engine.GcChurn;
import org.utad.model.UtadNetworks;

/**
 * Both stages' training steps give the same gradients, bit for bit, while the Java garbage collector
 * frees direct buffers and their memory is reused. A value that autograd keeps in memory that only a
 * closed Java array owned makes them differ: before the fix every repetition of the stage 2 step did.
 */
class StepsUnderGarbageCollectionTest {
    private static final int N = 2;
    private static final int SIZE = 32;
    private static final int REPEATS = 3;

    @BeforeAll
    static void engine() {
        Engines.offline();
        Engines.engine();
        Engine.getInstance().setRandomSeed(11);
    }

    /** Every loss term on, the SSIM term and the GAN terms included, at a small size. */
    private static UtadConfig config() {
        return Presets.get("fast").with("image_size", Integer.toString(SIZE)).with("stage1.gan_weight", "0.1")
                .with("stage1.ssim_weight", "0.5").with("stage2.gan_weight", "1.0");
    }

    @Test
    void stage1StepIsUnchangedByGarbageCollection() throws InterruptedException {
        UtadConfig config = config();
        assertSameUnderChurn(config, (nets, step, ps, data) -> {
            NDArray x = step.create(data[0], new Shape(N, 1, SIZE, SIZE));
            NDArray input = step.create(data[1], new Shape(N, 1, SIZE, SIZE));
            NDArray impression = GeneratorSteps.ieNet(nets, ps, config.stage1(), x, input, new LinkedHashMap<>());
            discriminatorStep(nets.ieDiscriminator(), ps, x, impression);
            return List.of(nets.ieNet(), nets.ieDiscriminator());
        });
    }

    @Test
    void stage2StepIsUnchangedByGarbageCollection() throws InterruptedException {
        UtadConfig config = config();
        int d = config.expertNet().detailDim();
        assertSameUnderChurn(config, (nets, step, ps, data) -> {
            NDArray x = step.create(data[0], new Shape(N, 1, SIZE, SIZE)).mul(2).sub(1);
            NDArray m = step.create(data[1], new Shape(N, 1, SIZE, SIZE)).mul(2).sub(1);
            NDList fakes = GeneratorSteps.experts(nets, ps, config.stage2(), x, m,
                    step.create(data[2], new Shape(N, d)), step.create(data[3], new Shape(N, d)),
                    new LinkedHashMap<>());
            discriminatorStep(nets.discImage(), ps, x, fakes.get(0));
            discriminatorStep(nets.discImpression(), ps, m, fakes.get(1));
            return List.of(nets.expertImage(), nets.expertImpression(), nets.discImage(), nets.discImpression());
        });
    }

    private static void discriminatorStep(Block d, ParameterStore ps, NDArray real, NDArray fake) {
        Adam.zeroGradients(d);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(Losses.lsganDiscriminator(d, ps, real, fake.stopGradient()));
        }
    }

    /** One training step: runs it and names the networks whose gradients it leaves. */
    @FunctionalInterface
    private interface Step {
        List<Block> run(UtadNetworks nets, NDManager step, ParameterStore ps, float[][] data);
    }

    private static void assertSameUnderChurn(UtadConfig config, Step body) throws InterruptedException {
        Random r = new Random(4);
        int d = config.expertNet().detailDim();
        float[][] data = {uniform(r, N * SIZE * SIZE), uniform(r, N * SIZE * SIZE), gaussian(r, N * d),
            gaussian(r, N * d)};
        try (NDManager manager = NDManager.newBaseManager()) {
            UtadNetworks nets = UtadNetworks.create(config, 1, manager, true);
            List<float[]> reference = gradients(nets, manager, data, body, null);
            for (int repeat = 0; repeat < REPEATS; repeat++) {
                List<float[]> churned;
                try (GcChurn churn = GcChurn.start()) {
                    churned = gradients(nets, manager, data, body, churn);
                }
                assertEquals(reference.size(), churned.size());
                for (int k = 0; k < reference.size(); k++) {
                    float[] a = reference.get(k);
                    float[] b = churned.get(k);
                    for (int i = 0; i < a.length; i++) {
                        assertEquals(Float.floatToIntBits(a[i]), Float.floatToIntBits(b[i]), "repeat " + repeat
                                + ", gradient " + k + ", value " + i + ": " + a[i] + " then " + b[i]);
                    }
                }
            }
        }
    }

    private static List<float[]> gradients(UtadNetworks nets, NDManager manager, float[][] data, Step body,
            GcChurn churn) {
        List<Block> trained;
        List<float[]> out = new ArrayList<>();
        for (Block b : List.of(nets.ieNet(), nets.expertImage(), nets.expertImpression())) {
            Adam.zeroGradients(b);
        }
        try (NDManager step = manager.newSubManager()) {
            trained = body.run(nets, step, new ParameterStore(step, false), data);
        }
        Consumer<Block> collect = b -> {
            for (Pair<String, Parameter> p : b.getParameters()) {
                if (!p.getValue().requiresGradient()) {
                    continue;
                }
                try (NDArray g = p.getValue().getArray().getGradient()) {
                    out.add(g.toFloatArray());
                }
            }
        };
        trained.forEach(collect);
        assertTrue(out.stream().anyMatch(g -> g.length > 0 && g[0] != 0), "the step left gradients");
        return out;
    }

    private static float[] uniform(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat();
        }
        return v;
    }

    private static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
