package org.utad.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import org.utad.engine.AlignedConvolution;
import org.utad.engine.ChannelsLast;
import org.utad.engine.MaxPooling;

/**
 * The IE-Net's Inception block: four branches see the same input and their outputs are
 * concatenated on the channel axis, so the block outputs {@code 4 * filters} channels at the input
 * resolution.
 *
 * <p>Branches, as in the UTAD reference: 1x1 conv; 3x3 conv (pad 1); 5x5 conv (pad 2); 3x3 max-pool
 * (stride 1, pad 1) then 1x1 conv. Every conv has no bias (BatchNorm follows) and is followed by
 * BatchNorm (epsilon 1e-3) and LeakyReLU(0.1). Mixing receptive fields lets the auto-encoder keep
 * structure at several scales with few parameters.
 *
 * <p>While training on the CPU with branches narrower than a block of 16 channels, the 3x3 and 5x5
 * branches' convolutions run as one (see {@code mergedConvolutions}), or on a grey image all four
 * branches' (see {@code oneConvolution}); and every pass runs the four
 * branches' BatchNorms as one (see {@code normalised}). While training on the CPU, a first block that
 * sees a grey image lays its maps out channels-last ({@link ChannelsLast}), which the blocks after it
 * keep. The parameters, and so the model files, stay
 * those of four separate branches.
 */
public final class InceptionBlock extends InitialisedBlock {
    /** BatchNorm epsilon of the reference implementation. */
    public static final float BATCH_NORM_EPSILON = 1e-3f;
    /** Negative slope of the reference's LeakyReLU. */
    public static final float LEAKY_SLOPE = 0.1f;
    /**
     * BatchNorm momentum as DJL counts it (the weight of the old running average): DJL's default, set
     * explicitly because the blocks' joined BatchNorm passes it to the engine itself.
     */
    public static final float BATCH_NORM_MOMENTUM = 0.9f;
    /** An index of every element: writes through it stay in the array's own memory. */
    private static final NDIndex EVERYTHING = new NDIndex("...");

    private final int filters;
    private final Block[] branches;

    /**
     * Creates the block.
     *
     * @param filters channels of each branch; the block outputs 4 x filters channels
     * @throws IllegalArgumentException if filters is below 1
     */
    public InceptionBlock(int filters) {
        if (filters < 1) {
            throw new IllegalArgumentException("Inception block needs at least one filter, got " + filters);
        }
        this.filters = filters;
        branches = new Block[] {
            addChildBlock("conv1x1", convBnAct(new Sequential(), filters, 1)),
            addChildBlock("conv3x3", convBnAct(new Sequential(), filters, 3)),
            addChildBlock("conv5x5", convBnAct(new Sequential(), filters, 5)),
            addChildBlock("pool1x1", convBnAct(new Sequential().add(ShapedLambda.maxPool(3, 1, 1)), filters, 1)),
        };
    }

    private static SequentialBlock convBnAct(SequentialBlock block, int filters, int kernel) {
        return block.add(Layers.conv(filters, kernel, 1, kernel / 2, false))
                .add(BatchNorm.builder().optEpsilon(BATCH_NORM_EPSILON).optMomentum(BATCH_NORM_MOMENTUM).build())
                .add(ShapedLambda.leakyRelu(LEAKY_SLOPE));
    }

    /** @return channels per branch (the output has four times as many) */
    public int getFilters() {
        return filters;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (x.getShape().get(1) == 1 && AlignedConvolution.padsOutput(x, filters)) {
            return new NDList(normalised(parameterStore, oneConvolution(parameterStore, x, training, params),
                    training));
        }
        NDList raw = convolutionBranches(parameterStore, inputs, training, params);
        raw.add(beforeNorm(branches[3], parameterStore, x, training, params));
        NDArray joined = NDArrays.concat(raw, 1);
        // A grey image's convolutions give NCHW maps (one channel is laid out alike either way).
        return new NDList(normalised(parameterStore, x.getShape().get(1) == 1 ? channelsLastFor(x, joined) : joined,
                training));
    }

    /**
     * {@code map} channels-last when a training pass from {@code x} lays its maps out that way ({@link
     * ChannelsLast#applies}), its NCHW handle closed (autograd keeps what the backward pass needs);
     * otherwise {@code map} itself. The IE-Net's maps are channels-last from there on.
     */
    private static NDArray channelsLastFor(NDArray x, NDArray map) {
        if (!ChannelsLast.applies(x)) {
            return map;
        }
        try (NDArray nchw = map) {
            return ChannelsLast.of(nchw);
        }
    }

    /**
     * The four branches' convolution outputs (before BatchNorm), in branch order, from one 5x5
     * convolution of the image and its pooled copy side by side, as two input channels: the image's
     * channel meets the 1x1, 3x3 and 5x5 branches' kernels (the smaller ones in the middle of zero 5x5
     * ones) and zeros for the pool branch; the pooled channel meets zeros for those three branches and
     * the pool branch's 1x1 kernel. The same sums as the
     * branches', so the same values (to rounding). Used while training on the CPU for a grey image, the
     * IE-Net's first block, when its branches are narrower than a block of 16 channels: the branches'
     * outputs are then the largest maps of the step, and this spares their concatenation, the padded
     * convolutions' extra channels and three engine calls. With two input channels the zero kernels
     * cost little. A stage 1 step took 0.956 of its time in 60 alternating rounds (docs/BENCHMARKS.md,
     * issue 17's twelfth pass); with three image channels it came out at 1.014, so RGB keeps the
     * branches.
     */
    private NDArray oneConvolution(ParameterStore parameterStore, NDArray x, boolean training,
            PairList<String, Object> params) {
        NDArray w1 = parameterStore.getValue(weightOf(branches[0]), x.getDevice(), training);
        NDArray w3 = parameterStore.getValue(weightOf(branches[1]), x.getDevice(), training);
        NDArray w5 = parameterStore.getValue(weightOf(branches[2]), x.getDevice(), training);
        NDArray wp = parameterStore.getValue(weightOf(branches[3]), x.getDevice(), training);
        Block pool = branches[3].getChildren().values().get(0);
        NDArray pooled = pool.forward(parameterStore, new NDList(x), training, params).singletonOrThrow();
        // Autograd keeps what the backward pass needs, so every handle but the output is closed here.
        try (NDArray input = channelsLastFor(x, x.concat(pooled, 1));
             NDArray w1in5 = in5x5(w1);
             NDArray w3in5 = in5x5(w3);
             NDArray wpIn5 = in5x5(wp);
             NDArray notPooled = x.getManager().zeros(new Shape(3L * filters, 1, 5, 5));
             NDArray notImage = x.getManager().zeros(new Shape(filters, 1, 5, 5));
             NDArray ofImage = NDArrays.concat(new NDList(w1in5, w3in5, w5), 0);
             NDArray imageKernels = ofImage.concat(notPooled, 1);
             NDArray poolKernels = notImage.concat(wpIn5, 1);
             NDArray w = imageKernels.concat(poolKernels, 0)) {
            pooled.close();
            return AlignedConvolution.conv2d(input, w, null, new Shape(1, 1), new Shape(2, 2), new Shape(1, 1), 1);
        }
    }

    /**
     * The four branches' BatchNorms and LeakyReLUs applied to their convolutions' outputs, in one pass
     * over the concatenated map. BatchNorm works on each channel alone (its statistics, scale, shift and
     * running averages are per channel), so one BatchNorm over the 4 x filters channels, with the
     * branches' parameters and running averages laid end to end, is the four BatchNorms; and the
     * LeakyReLU acts on each value alone. One normalisation and one activation per block, forward and
     * backward, instead of four each: a stage 1 step took 0.937 of its time in two runs of 40
     * alternating rounds (docs/BENCHMARKS.md, issue 17's ninth pass). While training, the running
     * averages the engine updated on the joined copy are written back into each branch's own arrays,
     * in place, so the parameters and the model files stay those of four branches.
     *
     * @param parameterStore the parameters
     * @param raw            the four branches' convolution outputs, in branch order
     * @param training       whether the pass uses the batch's statistics and updates the running averages
     * @return the block's output, (N, 4 filters, H, W)
     */
    private NDArray normalised(ParameterStore parameterStore, NDArray x, boolean training) {
        NDList gammas = new NDList(branches.length);
        NDList betas = new NDList(branches.length);
        NDList means = new NDList(branches.length);
        NDList variances = new NDList(branches.length);
        for (Block branch : branches) {
            PairList<String, Parameter> p = batchNormOf(branch).getParameters();
            gammas.add(parameterStore.getValue(p.get("gamma"), x.getDevice(), training));
            betas.add(parameterStore.getValue(p.get("beta"), x.getDevice(), training));
            means.add(parameterStore.getValue(p.get("runningMean"), x.getDevice(), training));
            variances.add(parameterStore.getValue(p.get("runningVar"), x.getDevice(), training));
        }
        // Autograd keeps what the backward pass needs, so every handle but the result is closed here.
        try (NDArray joined = x;
             NDArray gamma = NDArrays.concat(gammas);
             NDArray beta = NDArrays.concat(betas);
             NDArray mean = NDArrays.concat(means);
             NDArray variance = NDArrays.concat(variances);
             NDArray y = BatchNorm.batchNorm(joined, mean, variance, gamma, beta, 1, BATCH_NORM_MOMENTUM,
                     BATCH_NORM_EPSILON, training).singletonOrThrow()) {
            if (training) {
                writeBack(mean, means);
                writeBack(variance, variances);
            }
            return Activation.leakyRelu(y, LEAKY_SLOPE);
        }
    }

    /**
     * Copies each branch's part of a joined running average into that branch's own array, in place
     * (an index-put into the array's memory: the arrays outlive the pass).
     */
    private static void writeBack(NDArray joined, NDList own) {
        try (NDList parts = joined.split(own.size())) {
            for (int i = 0; i < own.size(); i++) {
                own.get(i).set(EVERYTHING, parts.get(i));
            }
        }
    }

    /** A branch's BatchNorm, the second to last of its layers (built by {@link #convBnAct}). */
    private static Block batchNormOf(Block branch) {
        List<Block> layers = branch.getChildren().values();
        return layers.get(layers.size() - 2);
    }

    /**
     * The block applied to {@code small} up-sampled twofold by nearest neighbour, with the pool branch
     * computed on {@code small} itself. The IE-Net's decoder feeds its blocks up-sampled maps, and a 3x3
     * max pool of stride 1 over a map whose pixels come in 2 x 2 copies sees, at every position, two
     * rows and two columns of the small map: position 2k sees rows k - 1 and k, position 2k + 1 rows k
     * and k + 1. So the pool equals a 2 x 2 max pool of stride 1 over the small map padded by one
     * pixel, up-sampled twofold, without its first and last row and column; and the 1x1 convolution
     * after the pool, which acts on each pixel alone, runs before that up-sampling, on a quarter of
     * the pixels. The same values: a maximum is exact and the convolution sees the same pixels. The
     * gradient reaches the small map as before, through the copy the pool picked (copies of one
     * pixel are equal, so which copy does not matter); only sums are taken in another order. The
     * full-size pool took a fifth of a stage 1 step in both DJL and PyTorch (docs/BENCHMARKS.md,
     * issue 17).
     *
     * @param parameterStore the parameters
     * @param small          the map before up-sampling, (N, C, h, w)
     * @param training       whether the pass records what training needs
     * @param params         passed on to the layers
     * @return NDList of the block's output, (N, 4 filters, 2h, 2w)
     */
    public NDList forwardUpsampled(ParameterStore parameterStore, NDArray small, boolean training,
            PairList<String, Object> params) {
        long h = small.getShape().get(2);
        long w = small.getShape().get(3);
        NDList up = new NDList(NearestUpsample.upsample(small, 2));
        NDList raw = convolutionBranches(parameterStore, up, training, params);
        NDArray pooled = MaxPooling.maxPool2d(small, 2, 1, 1);
        List<Block> pool = branches[3].getChildren().values();
        NDArray convolved = pool.get(1).forward(parameterStore, new NDList(pooled), training, params)
                .singletonOrThrow();
        NDArray cropped = NearestUpsample.upsample(convolved, 2)
                .get(new NDIndex().addAllDim(2).addSliceDim(1, 2 * h + 1).addSliceDim(1, 2 * w + 1));
        raw.add(cropped);
        return new NDList(normalised(parameterStore, NDArrays.concat(raw, 1), training));
    }

    /**
     * The 1x1, 3x3 and 5x5 branches' convolution outputs (before BatchNorm), in that order, in a list
     * with room for the pool branch's.
     */
    private NDList convolutionBranches(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDList outputs = new NDList(branches.length);
        outputs.add(beforeNorm(branches[0], parameterStore, x, training, params));
        if (AlignedConvolution.padsOutput(x, filters)) {
            outputs.addAll(mergedConvolutions(parameterStore, x, training));
        } else {
            outputs.add(beforeNorm(branches[1], parameterStore, x, training, params));
            outputs.add(beforeNorm(branches[2], parameterStore, x, training, params));
        }
        return outputs;
    }

    /**
     * The 3x3 and the 5x5 branch's convolutions as one 5x5 convolution to 2 x filters channels, the
     * 3x3 kernel set in the middle of a zero 5x5 one; the output is split back into the two branches.
     * The same sums, so the same values (to rounding). Used while training on the CPU when a branch's
     * channels are not whole blocks of 16: each branch's convolution would then be padded to a block
     * and its output sliced (see {@link AlignedConvolution}), while the merged one needs one padding
     * fewer, or none (the {@code fast} preset's 8-channel branches make exactly one block). The split's
     * backward pass joins the two gradients, where each slice's would fill a zero array of the padded
     * output. A stage 1 step took 0.930 and 0.937 of its time (docs/BENCHMARKS.md, issue 17's sixth
     * pass). Branches whose channels are whole blocks keep their own convolutions: merged, the 3x3
     * branch would do 25 instead of 9 multiply-adds per output value and input channel (merging
     * every block measured 0.945, no better).
     */
    private NDList mergedConvolutions(ParameterStore parameterStore, NDArray x, boolean training) {
        NDArray w3 = parameterStore.getValue(weightOf(branches[1]), x.getDevice(), training);
        NDArray w5 = parameterStore.getValue(weightOf(branches[2]), x.getDevice(), training);
        // Autograd keeps what the backward pass needs, so every handle but the two halves is closed here.
        try (NDArray w3in5 = in5x5(w3);
             NDArray w = w3in5.concat(w5, 0);
             NDArray y = AlignedConvolution.conv2d(x, w, null, new Shape(1, 1), new Shape(2, 2), new Shape(1, 1), 1)) {
            return y.split(2, 1);
        }
    }

    /** A square kernel of odd side in the middle of a zero 5x5 one: the same sums with padding 2. */
    private static NDArray in5x5(NDArray kernel) {
        long margin = (5 - kernel.getShape().get(3)) / 2;
        return kernel.pad(new Shape(margin, margin, margin, margin), 0);
    }

    /**
     * The convolution weight of a branch built by {@link #convBnAct}: that of its third to last child
     * (before BatchNorm and LeakyReLU; the pool branch's first child is its max pool).
     */
    private static Parameter weightOf(Block branch) {
        List<Block> layers = branch.getChildren().values();
        return layers.get(layers.size() - 3).getParameters().get("weight");
    }

    /**
     * A branch's layers before its BatchNorm (built by {@link #convBnAct}), applied to x: its
     * convolution, or its max pool and convolution; {@link #normalised} does the rest.
     */
    private static NDArray beforeNorm(Block branch, ParameterStore parameterStore, NDArray x, boolean training,
            PairList<String, Object> params) {
        List<Block> layers = branch.getChildren().values();
        NDList y = new NDList(x);
        for (int i = 0; i < layers.size() - 2; i++) {
            y = layers.get(i).forward(parameterStore, y, training, params);
        }
        return y.singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), 4L * filters, s.get(2), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block branch : branches) {
            branch.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public String toString() {
        return "InceptionBlock(" + filters + ")";
    }
}
