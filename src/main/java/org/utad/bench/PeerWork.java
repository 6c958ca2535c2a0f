package org.utad.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.utad.config.Stage1Config;
import org.utad.config.Stage2Config;
import org.utad.config.UtadConfig;
import org.utad.engine.Engines;
import org.utad.engine.OwnedArrays;
import org.utad.model.ExpertGenerator;
import org.utad.model.UtadNetworks;
import org.utad.train.Adam;
import org.utad.train.GeneratorSteps;

/**
 * The DJL side of {@link PeerBenchmark}'s timed work: each piece as a runnable over seeded inputs,
 * made to match what {@code bench/peer/utad_peer.py} times in PyTorch (the trainer's stage 1 and
 * stage 2 generator steps, a batch of detection tiles, and the matrix product and 3x3 convolution of
 * the machine's rate). Kept apart from the benchmark's export, peer process and report.
 */
final class PeerWork {
    /** Side of the square matrices of the machine's matrix-product rate. */
    static final int MATMUL_N = 1024;
    /** Batch of the machine's 3x3 convolution rate. */
    static final int CONV_BATCH = 16;
    /** Input and output channels of the machine's 3x3 convolution rate. */
    static final int CONV_CHANNELS = 64;
    /** Detection tiles per timed detection step. */
    static final int TILE_BATCH = 8;
    /** Names of the training steps in {@link #networkSteps}, stage 1's first. */
    static final List<String> TRAINING_WORKS = List.of("stage1_step", "stage2_step");
    /** Names of the same training steps on a batch of one sample, in the same order. */
    static final List<String> ONE_SAMPLE_WORKS = List.of("stage1_one", "stage2_one");

    private PeerWork() {
    }

    /**
     * A preset as the speed benchmarks time it: without the GAN terms, since the PyTorch peer has no
     * discriminators, so that every benchmark times the generator steps the peer can match.
     *
     * @param config the preset, with any overrides
     * @return the same configuration with both stages' GAN weights at 0
     */
    static UtadConfig withoutGan(UtadConfig config) {
        return config.with("stage1.gan_weight", "0").with("stage2.gan_weight", "0");
    }

    /**
     * The networks' timed steps, by the names the peer script uses: stage 1's and stage 2's generator
     * steps ({@link #TRAINING_WORKS}), a batch of {@link #TILE_BATCH} detection tiles of the tile size
     * whose operations {@link WorkCount} counts, then the two training steps again on a batch of one
     * sample ({@link #ONE_SAMPLE_WORKS}, {@link #oneSample}). A one-sample step runs the same
     * operations, layer for layer, on a fraction of the data: its time is one sample's work plus what a
     * step costs whatever its batch (the engine's calls, allocations and small operations), the part of
     * a step that faster kernels for the batch's data would not shorten.
     *
     * @param nets    the networks, made from {@code config}
     * @param manager owns the optimiser states and the inputs
     * @param config  the configuration, from {@link #withoutGan}
     * @return name to step, in that order
     */
    static Map<String, Runnable> networkSteps(UtadNetworks nets, NDManager manager, UtadConfig config) {
        int size = config.imageSize();
        UtadConfig one = oneSample(config);
        Map<String, Runnable> steps = new LinkedHashMap<>();
        steps.put(TRAINING_WORKS.get(0), stage1Step(nets, manager, config.stage1(), size));
        steps.put(TRAINING_WORKS.get(1), stage2Step(nets, manager, config, config.stage2()));
        steps.put("detect_tile_batch", detectTiles(nets, manager, config, WorkCount.of(config, size).tile(),
                TILE_BATCH));
        steps.put(ONE_SAMPLE_WORKS.get(0), stage1Step(nets, manager, one.stage1(), size));
        steps.put(ONE_SAMPLE_WORKS.get(1), stage2Step(nets, manager, one, one.stage2()));
        return steps;
    }

    /**
     * A preset with both stages' batches at one sample, the sizes of the layers unchanged.
     *
     * @param config the configuration, from {@link #withoutGan}
     * @return the same configuration with batches of one
     */
    static UtadConfig oneSample(UtadConfig config) {
        return config.with("stage1.batch_size", "1").with("stage2.batch_size", "1");
    }

    /** n seeded samples, uniform in [0, 1): the inputs of the timed work and of the equivalence check. */
    static float[] uniform(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat();
        }
        return v;
    }

    /** n seeded samples of the standard normal distribution: detail codes and weights. */
    static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /** Stage 1 as the trainer runs it: the generator step, the gradient check, the Adam step. */
    static Runnable stage1Step(UtadNetworks nets, NDManager manager, Stage1Config s1, int size) {
        Adam adam = new Adam(nets.ieNet(), manager, Adam.BETA1_IE_NET, Adam.BETA2);
        float[] data = uniform(new Random(1), s1.batchSize() * size * size);
        Shape shape = new Shape(s1.batchSize(), 1, size, size);
        return () -> {
            try (NDManager step = manager.newSubManager()) {
                NDArray x = step.create(data, shape);
                GeneratorSteps.ieNet(nets, new ParameterStore(step, false), s1, x, x, new LinkedHashMap<>());
                if (adam.gradientsFinite()) {
                    adam.step((float) s1.learningRate());
                }
            }
        };
    }

    /** Stage 2's generator half as the trainer runs it, without the GAN terms (PyTorch has no discriminators). */
    static Runnable stage2Step(UtadNetworks nets, NDManager manager, UtadConfig config, Stage2Config s2) {
        Adam image = new Adam(nets.expertImage(), manager, Adam.BETA1_GAN, Adam.BETA2);
        Adam impression = new Adam(nets.expertImpression(), manager, Adam.BETA1_GAN, Adam.BETA2);
        int size = config.imageSize();
        int n = s2.batchSize();
        int d = config.expertNet().detailDim();
        Random r = new Random(2);
        float[] data = uniform(r, n * size * size);
        float[] codeX = gaussian(r, n * d);
        float[] codeM = gaussian(r, n * d);
        return () -> {
            try (NDManager step = manager.newSubManager()) {
                ParameterStore ps = new ParameterStore(step, false);
                NDArray x01 = step.create(data, new Shape(n, 1, size, size));
                NDArray m01 = nets.ieNet().forward(ps, new NDList(x01), false).singletonOrThrow();
                GeneratorSteps.experts(nets, ps, s2, x01.mul(2).sub(1), m01.mul(2).sub(1),
                        step.create(codeX, new Shape(n, d)), step.create(codeM, new Shape(n, d)), new LinkedHashMap<>());
                if (image.gradientsFinite() && impression.gradientsFinite()) {
                    image.step((float) s2.learningRate());
                    impression.step((float) s2.learningRate());
                }
            }
        };
    }

    /**
     * The networks the {@code fast} map runs per batch of tiles: IE-Net, the impression's content
     * code, the image's detail code, the expert decode with it, and the K random-code decodes in one
     * pass of the decoder.
     */
    static Runnable detectTiles(UtadNetworks nets, NDManager manager, UtadConfig config, int size,
            int tiles) {
        int d = config.expertNet().detailDim();
        int k = config.detect().randomCodes();
        Random r = new Random(3);
        float[] data = uniform(r, tiles * size * size);
        float[] codes = gaussian(r, k * d);
        ExpertGenerator gi = nets.expertImage();
        ExpertGenerator gm = nets.expertImpression();
        return () -> {
            Engines.noGradientsOnThisThread();
            try (NDManager step = manager.newSubManager()) {
                ParameterStore ps = new ParameterStore(step, false);
                NDArray x01 = step.create(data, new Shape(tiles, 1, size, size));
                NDArray m01 = one(nets.ieNet(), ps, x01);
                NDArray x = x01.mul(2).sub(1);
                NDArray cm = one(gm.getContentEncoder(), ps, m01.mul(2).sub(1));
                NDArray expert = one(gi.getDecoder(), ps, cm, one(gi.getDetailEncoder(), ps, x));
                // The K random codes in one decoder pass, as the detector decodes them (infer/ResidualMaps).
                expert = expert.add(UtadNetworks.decodeEach(gi.getDecoder(), ps, cm, codes, k).sum(new int[] {0}));
                expert.getFloat(0, 0, 0, 0);
            }
        };
    }

    /** One inference forward pass of a block with a single output. */
    static NDArray one(Block block, ParameterStore ps, NDArray... in) {
        return block.forward(ps, new NDList(in), false).singletonOrThrow();
    }

    /**
     * The matrix product of the machine's rate. Its operands are made once, outside the timed work, as
     * the peer's are: made from Java arrays in each run, they added two 4 MB copies to every product.
     */
    static Runnable matmul(NDManager manager) {
        Random r = new Random(4);
        Shape s = new Shape(MATMUL_N, MATMUL_N);
        NDArray a = OwnedArrays.of(manager, uniform(r, MATMUL_N * MATMUL_N), s);
        NDArray b = OwnedArrays.of(manager, uniform(r, MATMUL_N * MATMUL_N), s);
        return () -> {
            try (NDManager step = manager.newSubManager()) {
                NDArray product = a.matMul(b);
                product.attach(step);
                product.getFloat(0, 0);
            }
        };
    }

    /** The 3x3 convolution of the machine's rate, its input and weights made once (see {@link #matmul}). */
    static Runnable conv(NDManager manager, int size) {
        Random r = new Random(5);
        NDArray x = OwnedArrays.of(manager, uniform(r, CONV_BATCH * CONV_CHANNELS * size * size),
                new Shape(CONV_BATCH, CONV_CHANNELS, size, size));
        NDArray w = OwnedArrays.of(manager, gaussian(r, CONV_CHANNELS * CONV_CHANNELS * 9),
                new Shape(CONV_CHANNELS, CONV_CHANNELS, 3, 3));
        return () -> {
            Engines.noGradientsOnThisThread();
            try (NDManager step = manager.newSubManager()) {
                NDArray y = Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
                        .singletonOrThrow();
                y.attach(step);
                y.getFloat(0, 0, 0, 0);
            }
        };
    }
}
