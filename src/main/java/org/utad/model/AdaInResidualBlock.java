package org.utad.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * MUNIT's residual block with adaptive instance norm, used at the start of the decoder:
 * x + AdaIN2(conv3x3(ReLU(AdaIN1(conv3x3(x))))), reflection padding, no conv bias.
 *
 * <p>Forward input: {@code NDList(x, p)} with x (N, C, H, W) and p (N, 4C) holding, in MUNIT's
 * order, [beta1, gamma1, beta2, gamma2] (for each AdaIN layer the "mean" part, then the "std" part).
 */
final class AdaInResidualBlock extends InitialisedBlock {
    private final int channels;
    private final SequentialBlock conv1;
    private final SequentialBlock conv2;

    AdaInResidualBlock(int channels) {
        this.channels = channels;
        conv1 = addChildBlock("conv1", Layers.reflectConv(channels, 3, 1, 1, false));
        conv2 = addChildBlock("conv2", Layers.reflectConv(channels, 3, 1, 1, false));
    }

    /** @return how many AdaIN values one block consumes per sample */
    static int paramCount(int channels) {
        return 4 * channels;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray p = inputs.get(1);
        NDArray y = conv1.forward(parameterStore, new NDList(x), training, params).singletonOrThrow();
        y = Activation.relu(AdaIN.apply(y, slice(p, 1), slice(p, 0)));
        y = conv2.forward(parameterStore, new NDList(y), training, params).singletonOrThrow();
        y = AdaIN.apply(y, slice(p, 3), slice(p, 2));
        return new NDList(x.add(y));
    }

    private NDArray slice(NDArray p, int index) {
        return columns(p, (long) index * channels, (long) (index + 1) * channels);
    }

    /**
     * Columns {@code from} to {@code to} (exclusive) of a (N, width) parameter array, through a built
     * index: DJL parses an index string with regular expressions on every call. The decoder cuts each
     * block's parameters from the MLP's output this way too.
     */
    static NDArray columns(NDArray p, long from, long to) {
        return p.get(new NDIndex().addAllDim().addSliceDim(from, to));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv1.initialize(manager, dataType, inputShapes[0]);
        conv2.initialize(manager, dataType, inputShapes[0]);
    }
}
