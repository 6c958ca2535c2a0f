package org.utad.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * MUNIT's residual block with instance norm, used at the end of the content encoder:
 * x + IN(conv3x3(ReLU(IN(conv3x3(x))))), with reflection padding and no conv bias (IN removes it).
 * Keeps shape and channels.
 */
final class ResidualBlock extends InitialisedBlock {
    private final SequentialBlock body;

    ResidualBlock(int channels) {
        body = addChildBlock("body", new Sequential()
                .add(Layers.reflectConv(channels, 3, 1, 1, false)).add(new InstanceNorm2d()).add(ShapedLambda.relu())
                .add(Layers.reflectConv(channels, 3, 1, 1, false)).add(new InstanceNorm2d()));
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(inputs.singletonOrThrow()
                .add(body.forward(parameterStore, inputs, training, params).singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes);
    }
}
