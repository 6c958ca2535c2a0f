package org.utad.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The IE-Net's Inception block: four branches see the same input and their outputs are
 * concatenated on the channel axis, so the block outputs {@code 4 * filters} channels at the input
 * resolution.
 *
 * <p>Branches, as in the UTAD reference: 1x1 conv; 3x3 conv (pad 1); 5x5 conv (pad 2); 3x3 max-pool
 * (stride 1, pad 1) then 1x1 conv. Every conv has no bias (BatchNorm follows) and is followed by
 * BatchNorm (epsilon 1e-3) and LeakyReLU(0.1). Mixing receptive fields lets the auto-encoder keep
 * structure at several scales with few parameters.
 */
public final class InceptionBlock extends AbstractBlock {
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
            addChildBlock("conv1x1", convBnAct(new SequentialBlock(), filters, 1)),
            addChildBlock("conv3x3", convBnAct(new SequentialBlock(), filters, 3)),
            addChildBlock("conv5x5", convBnAct(new SequentialBlock(), filters, 5)),
            addChildBlock("pool1x1", convBnAct(new SequentialBlock().add(ShapedLambda.maxPool(3, 1, 1)), filters, 1)),
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
        NDList outputs = new NDList(branches.length);
        for (Block branch : branches) {
            NDArray y = branch.forward(parameterStore, inputs, training, params).singletonOrThrow();
            outputs.add(y);
        }
        return new NDList(NDArrays.concat(outputs, 1));
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
