package org.utad.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.utad.config.ExpertNetConfig;

/**
 * The decoder of an Expert-Net generator (MUNIT): renders a content code with the appearance given
 * by a detail code.
 *
 * <p>Layout: an MLP on the detail code (left empty when {@code nRes} is 0, as the code then has no use) (Linear detailDim to mlpDim, ReLU, (mlpLayers - 2) x [Linear
 * mlpDim to mlpDim, ReLU], Linear to {@link #getAdaInParamCount()}) whose output is cut, block by
 * block, into the (beta, gamma) pairs of the AdaIN layers; {@code nRes} residual blocks with AdaIN;
 * {@code nDownsample} x [nearest up x2, reflection pad 2 + 5x5 conv halving the channels (bias),
 * {@link LayerNorm2d}, ReLU]; reflection pad 3 + 7x7 conv (bias) to the image channels; tanh.
 *
 * <p>Forward: {@code NDList(content, code)}, content (N, dim * 2^nDownsample, h, w) as the {@link
 * ContentEncoder} makes it, code (N, detailDim); returns {@code NDList(image)} of shape
 * (N, C, h * 2^nDownsample, w * 2^nDownsample), values in (-1, 1). Built by {@link ExpertGenerator}.
 */
public final class ExpertDecoder extends InitialisedBlock {
    private final int contentChannels;
    private final SequentialBlock mlp;
    private final List<AdaInResidualBlock> residuals;
    private final SequentialBlock upsampling;

    ExpertDecoder(int channels, ExpertNetConfig config) {
        int dim = config.dim() << config.nDownsample();
        contentChannels = dim;
        List<AdaInResidualBlock> res = new ArrayList<>();
        for (int i = 0; i < config.nRes(); i++) {
            res.add(new AdaInResidualBlock(dim));
        }
        SequentialBlock perceptron = new Sequential();
        if (!res.isEmpty()) {
            for (int i = 0; i < config.mlpLayers() - 1; i++) {
                perceptron.add(Linear.builder().setUnits(config.mlpDim()).build()).add(ShapedLambda.relu());
            }
            perceptron.add(Linear.builder().setUnits((long) res.size() * AdaInResidualBlock.paramCount(dim)).build());
        }
        mlp = addChildBlock("mlp", perceptron);
        for (int i = 0; i < res.size(); i++) {
            addChildBlock("res" + i, res.get(i));
        }
        residuals = Collections.unmodifiableList(res);
        SequentialBlock up = new Sequential();
        for (int i = 0; i < config.nDownsample(); i++) {
            dim /= 2;
            up.add(new NearestUpsample(2)).add(Layers.reflectConv(dim, 5, 1, 2, true)).add(new LayerNorm2d(dim))
                    .add(ShapedLambda.relu());
        }
        up.add(Layers.reflectConv(channels, 7, 1, 3, true)).add(ShapedLambda.tanh());
        upsampling = addChildBlock("upsampling", up);
    }

    /** @return the number of AdaIN values per sample the MLP produces (0 without residual blocks) */
    public int getAdaInParamCount() {
        return residuals.size() * AdaInResidualBlock.paramCount(contentChannels);
    }

    /** @return the channels of the content code this decoder expects */
    public int getContentChannels() {
        return contentChannels;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException("The decoder expects NDList(content, code), got " + inputs.size()
                    + " arrays");
        }
        NDArray x = inputs.get(0);
        if (!residuals.isEmpty()) {
            NDArray adain = mlp.forward(parameterStore, new NDList(inputs.get(1)), training, params)
                    .singletonOrThrow();
            int width = AdaInResidualBlock.paramCount(contentChannels);
            for (int i = 0; i < residuals.size(); i++) {
                NDArray p = AdaInResidualBlock.columns(adain, (long) i * width, (long) (i + 1) * width);
                x = residuals.get(i).forward(parameterStore, new NDList(x, p), training, params).singletonOrThrow();
            }
        }
        return upsampling.forward(parameterStore, new NDList(x), training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return upsampling.getOutputShapes(new Shape[] {inputShapes[0]});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape content = inputShapes[0];
        if (content.get(1) != contentChannels) {
            throw new IllegalArgumentException("The decoder expects content with " + contentChannels
                    + " channels, got " + content);
        }
        mlp.initialize(manager, dataType, inputShapes[1]);
        Shape p = new Shape(content.get(0), AdaInResidualBlock.paramCount(contentChannels));
        for (AdaInResidualBlock block : residuals) {
            block.initialize(manager, dataType, content, p);
        }
        upsampling.initialize(manager, dataType, content);
    }
}
