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
 *
 * <p>The reference pads the 3x3 and 5x5 convolutions with zeros. With edge padding the block instead
 * repeats the input's border pixels once (2 pixels per side, the inner pixel of it for the 3x3
 * branch), so no dark frame enters any feature map; the parameters are the same either way. The
 * pooling branch needs neither: its padding never wins a maximum.
 */
public final class InceptionBlock extends AbstractBlock {
    /** BatchNorm epsilon of the reference implementation. */
    public static final float BATCH_NORM_EPSILON = 1e-3f;
    /** Negative slope of the reference's LeakyReLU. */
    public static final float LEAKY_SLOPE = 0.1f;

    private final int filters;
    private final boolean edge;
    private final Block[] branches;

    /**
     * Creates the block with the reference's zero padding.
     *
     * @param filters channels of each branch; the block outputs 4 x filters channels
     * @throws IllegalArgumentException if filters is below 1
     */
    public InceptionBlock(int filters) {
        this(filters, false);
    }

    /**
     * Creates the block.
     *
     * @param filters channels of each branch; the block outputs 4 x filters channels
     * @param edge    true to repeat the border pixels around the 3x3 and 5x5 convolutions' input
     *                instead of padding with zeros
     * @throws IllegalArgumentException if filters is below 1
     */
    public InceptionBlock(int filters, boolean edge) {
        if (filters < 1) {
            throw new IllegalArgumentException("Inception block needs at least one filter, got " + filters);
        }
        this.filters = filters;
        this.edge = edge;
        branches = new Block[] {
            addChildBlock("conv1x1", convBnAct(new SequentialBlock(), filters, 1, 0)),
            addChildBlock("conv3x3", convBnAct(new SequentialBlock(), filters, 3, edge ? 0 : 1)),
            addChildBlock("conv5x5", convBnAct(new SequentialBlock(), filters, 5, edge ? 0 : 2)),
            addChildBlock("pool1x1", convBnAct(new SequentialBlock().add(ShapedLambda.maxPool(3, 1, 1)), filters, 1,
                    0)),
        };
    }

    private static SequentialBlock convBnAct(SequentialBlock block, int filters, int kernel, int pad) {
        return block.add(Layers.conv(filters, kernel, 1, pad, false))
                .add(BatchNorm.builder().optEpsilon(BATCH_NORM_EPSILON).build())
                .add(ShapedLambda.leakyRelu(LEAKY_SLOPE));
    }

    /** @return true if the block repeats border pixels instead of padding with zeros */
    public boolean isEdgePadded() {
        return edge;
    }

    /**
     * Pads the two spatial axes by repeating the outermost rows and columns.
     *
     * @param x   an NCHW tensor
     * @param pad pixels to add on each side, at least 1
     * @return the tensor of shape (N, C, H + 2 pad, W + 2 pad)
     */
    static NDArray edgePad(NDArray x, int pad) {
        return edgePadAxis(edgePadAxis(x, 3, pad), 2, pad);
    }

    private static NDArray edgePadAxis(NDArray x, int axis, int pad) {
        String prefix = axis == 3 ? ":, :, :, " : ":, :, ";
        NDArray first = x.get(prefix + "0:1");
        NDArray last = x.get(prefix + "-1:");
        NDList parts = new NDList(2 * pad + 1);
        for (int i = 0; i < pad; i++) {
            parts.add(first);
        }
        parts.add(x);
        for (int i = 0; i < pad; i++) {
            parts.add(last);
        }
        return NDArrays.concat(parts, axis);
    }

    /** @return channels per branch (the output has four times as many) */
    public int getFilters() {
        return filters;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList[] branchInputs = branchInputs(inputs);
        NDList outputs = new NDList(branches.length);
        for (int i = 0; i < branches.length; i++) {
            outputs.add(branches[i].forward(parameterStore, branchInputs[i], training, params).singletonOrThrow());
        }
        return new NDList(NDArrays.concat(outputs, 1));
    }

    private NDList[] branchInputs(NDList inputs) {
        if (!edge) {
            return new NDList[] {inputs, inputs, inputs, inputs};
        }
        NDArray padded2 = edgePad(inputs.singletonOrThrow(), 2);
        NDList padded1 = new NDList(padded2.get(":, :, 1:-1, 1:-1"));
        return new NDList[] {inputs, padded1, new NDList(padded2), inputs};
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), 4L * filters, s.get(2), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        int[] grow = edge ? new int[] {0, 2, 4, 0} : new int[] {0, 0, 0, 0};
        for (int i = 0; i < branches.length; i++) {
            branches[i].initialize(manager, dataType, new Shape(s.get(0), s.get(1), s.get(2) + grow[i],
                    s.get(3) + grow[i]));
        }
    }

    @Override
    public String toString() {
        return "InceptionBlock(" + filters + (edge ? ", edge padding)" : ")");
    }
}
