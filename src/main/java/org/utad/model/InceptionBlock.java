package org.utad.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.utad.engine.AlignedConvolution;

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
 * branches' convolutions run as one (see {@code mergedConvolutions}); the parameters, and so the
 * model files, stay those of four separate branches.
 */
public final class InceptionBlock extends InitialisedBlock {
    /** BatchNorm epsilon of the reference implementation. */
    public static final float BATCH_NORM_EPSILON = 1e-3f;
    /** Negative slope of the reference's LeakyReLU. */
    public static final float LEAKY_SLOPE = 0.1f;

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
                .add(BatchNorm.builder().optEpsilon(BATCH_NORM_EPSILON).build())
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
        NDList outputs = new NDList(branches.length);
        outputs.add(branches[0].forward(parameterStore, inputs, training, params).singletonOrThrow());
        if (AlignedConvolution.padsOutput(x, filters)) {
            NDList both = mergedConvolutions(parameterStore, x, training);
            outputs.add(afterConvolution(branches[1], parameterStore, both.get(0), training, params));
            outputs.add(afterConvolution(branches[2], parameterStore, both.get(1), training, params));
        } else {
            outputs.add(branches[1].forward(parameterStore, inputs, training, params).singletonOrThrow());
            outputs.add(branches[2].forward(parameterStore, inputs, training, params).singletonOrThrow());
        }
        outputs.add(branches[3].forward(parameterStore, inputs, training, params).singletonOrThrow());
        return new NDList(NDArrays.concat(outputs, 1));
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
        try (NDArray w3in5 = w3.pad(new Shape(1, 1, 1, 1), 0);
             NDArray w = w3in5.concat(w5, 0);
             NDArray y = AlignedConvolution.conv2d(x, w, null, new Shape(1, 1), new Shape(2, 2), new Shape(1, 1), 1)) {
            return y.split(2, 1);
        }
    }

    /** The convolution weight of a branch built by {@link #convBnAct}: its first child's. */
    private static Parameter weightOf(Block branch) {
        return branch.getChildren().get(0).getValue().getParameters().get("weight");
    }

    /** A branch's layers after its convolution (BatchNorm and LeakyReLU), applied to its convolution's output. */
    private static NDArray afterConvolution(Block branch, ParameterStore parameterStore, NDArray convolved,
            boolean training, PairList<String, Object> params) {
        NDList y = new NDList(convolved);
        for (int i = 1; i < branch.getChildren().size(); i++) {
            y = branch.getChildren().get(i).getValue().forward(parameterStore, y, training, params);
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
