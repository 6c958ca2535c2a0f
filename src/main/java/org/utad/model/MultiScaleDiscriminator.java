package org.utad.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.utad.config.DiscriminatorConfig;

/**
 * The multi-scale LSGAN patch discriminator of the reference (MUNIT's MsImageDis): the same kind of
 * small convolutional net judges the image at full, half, quarter... resolution, so that both
 * texture and layout are pushed towards realism.
 *
 * <p>Per scale: 4x4 stride-2 conv (zero pad 1, bias) to {@code dim} channels and ReLU (no norm on
 * the first layer); then {@code layers - 1} times [4x4 stride-2 conv doubling the channels (no bias,
 * since instance norm removes it), {@link InstanceNorm2d}, ReLU]; then a 1x1 conv (bias) to one
 * channel: a map of real/fake scores for LSGAN. Between scales the input is reduced by 3x3 average
 * pooling, stride 2, pad 1, not counting the padding (as MUNIT does).
 *
 * <p>Forward: {@code NDList(x)}, x of shape (N, C, H, W); returns an NDList with one (N, 1, h_s, w_s)
 * score map per scale, scale 0 first (full resolution). Each stride-2 conv halves the size (floor),
 * each pooling halves it rounding up. Instance norm on a 1 x 1 map outputs zeros, so choose
 * {@code layers} and {@code scales} such that the last normalised map of the coarsest scale is at
 * least 2 x 2 (e.g. 128 px for 3 scales of 4 layers), or that scale only reports its bias.
 */
public final class MultiScaleDiscriminator extends InitialisedBlock {
    private final int channels;
    private final DiscriminatorConfig config;
    private final List<SequentialBlock> nets;

    /**
     * Builds an untrained discriminator; call {@code initialize(manager, DataType.FLOAT32, new Shape(N, C, H, W))}.
     *
     * @param channels input image channels
     * @param config   width, depth and number of scales
     * @throws IllegalArgumentException if channels is below 1
     */
    public MultiScaleDiscriminator(int channels, DiscriminatorConfig config) {
        if (channels < 1) {
            throw new IllegalArgumentException("Discriminator needs at least one channel, got " + channels);
        }
        this.channels = channels;
        this.config = config;
        List<SequentialBlock> list = new ArrayList<>();
        for (int s = 0; s < config.scales(); s++) {
            list.add(addChildBlock("scale" + s, buildScale(config)));
        }
        nets = Collections.unmodifiableList(list);
    }

    private static SequentialBlock buildScale(DiscriminatorConfig config) {
        int dim = config.dim();
        SequentialBlock net = new Sequential().add(Layers.conv(dim, 4, 2, 1, true)).add(ShapedLambda.relu());
        for (int i = 1; i < config.layers(); i++) {
            dim *= 2;
            net.add(Layers.conv(dim, 4, 2, 1, false)).add(new InstanceNorm2d()).add(ShapedLambda.relu());
        }
        return net.add(Layers.conv(1, 1, 1, 0, true));
    }

    /** @return the input channels this discriminator was built for */
    public int getChannels() {
        return channels;
    }

    /** @return the configuration this discriminator was built with */
    public DiscriminatorConfig getConfig() {
        return config;
    }

    /**
     * The down-sampling between scales.
     *
     * <p>DJL 0.36's PyTorch avgPool counts the zero padding even when asked not to, so the average
     * over the padded window is divided by the share of real pixels in it (the same pooling of a
     * map of ones), which gives the mean over real pixels only.
     *
     * @param x an NCHW tensor
     * @return 3x3 average pooling, stride 2, pad 1, padding not counted: shape (N, C, ceil(H/2), ceil(W/2))
     */
    public static NDArray downsample(NDArray x) {
        Shape k = new Shape(3, 3);
        Shape stride = new Shape(2, 2);
        Shape pad = new Shape(1, 1);
        NDArray sums = Pool.avgPool2d(x, k, stride, pad, false, true);
        Shape s = x.getShape();
        NDArray ones = x.getManager().ones(new Shape(1, 1, s.get(2), s.get(3)), x.getDataType(), x.getDevice());
        NDArray share = Pool.avgPool2d(ones, k, stride, pad, false, true);
        ones.close();
        return sums.div(share);
    }

    private static Shape downsampledShape(Shape s) {
        return ShapedLambda.pooledShape(s, 3, 2, 1);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDList outputs = new NDList(nets.size());
        for (int s = 0; s < nets.size(); s++) {
            if (s > 0) {
                x = downsample(x);
            }
            outputs.add(nets.get(s).forward(parameterStore, new NDList(x), training, params).singletonOrThrow());
        }
        return outputs;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        Shape[] out = new Shape[nets.size()];
        for (int s = 0; s < nets.size(); s++) {
            if (s > 0) {
                x = downsampledShape(x);
            }
            out[s] = nets.get(s).getOutputShapes(new Shape[] {x})[0];
        }
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        for (int s = 0; s < nets.size(); s++) {
            if (s > 0) {
                x = downsampledShape(x);
            }
            nets.get(s).initialize(manager, dataType, x);
        }
    }

    @Override
    public String toString() {
        return "MultiScaleDiscriminator(channels " + channels + ", " + config + ")";
    }
}
