package org.utad.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.utad.config.ExpertNetConfig;

/**
 * The content encoder of an Expert-Net generator (MUNIT): a spatial code that keeps the layout of
 * the image. In UTAD the content of the impression is decoded with the image's detail code to give
 * the expert reconstruction.
 *
 * <p>Layout: reflection pad 3 + 7x7 conv to {@code dim}, IN, ReLU; {@code nDownsample} x [reflection
 * pad 1 + 4x4 stride-2 conv doubling the channels, IN, ReLU]; {@code nRes} residual blocks [pad 1 +
 * 3x3 conv, IN, ReLU, pad 1 + 3x3 conv, IN, plus skip]. Convs have no bias (IN removes it).
 *
 * <p>Forward: {@code NDList(x)}, x (N, C, H, W) in [-1, 1]; returns {@code NDList(content)} of
 * shape (N, dim * 2^nDownsample, H / 2^nDownsample, W / 2^nDownsample). Built by {@link ExpertGenerator}.
 */
public final class ContentEncoder extends InitialisedBlock {
    private final int outputChannels;
    private final int factor;
    private final SequentialBlock body;

    ContentEncoder(ExpertNetConfig config) {
        int dim = config.dim();
        SequentialBlock net = new Sequential()
                .add(Layers.reflectConv(dim, 7, 1, 3, false)).add(new InstanceNorm2d()).add(ShapedLambda.relu());
        for (int i = 0; i < config.nDownsample(); i++) {
            dim *= 2;
            net.add(Layers.reflectConv(dim, 4, 2, 1, false)).add(new InstanceNorm2d()).add(ShapedLambda.relu());
        }
        for (int i = 0; i < config.nRes(); i++) {
            net.add(new ResidualBlock(dim));
        }
        outputChannels = dim;
        factor = 1 << config.nDownsample();
        body = addChildBlock("body", net);
    }

    /** @return channels of the content code, dim * 2^nDownsample */
    public int getOutputChannels() {
        return outputChannels;
    }

    /** @return the spatial down-sampling factor, 2^nDownsample */
    public int getFactor() {
        return factor;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return body.forward(parameterStore, inputs, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return body.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes);
    }
}
