package org.utad.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import org.utad.config.IeNetConfig;
import org.utad.engine.ChannelsLast;

/**
 * Stage 1 of UTAD, the impression extractor: an auto-encoder of {@link InceptionBlock}s whose
 * 32-fold bottleneck keeps the structure of an image and drops small anomalies, so its output (the
 * <em>impression</em>) is a blurry, anomaly-free reconstruction.
 *
 * <p>Layout, as in the reference, with f = [filters/4, filters/2, filters]: encoder IB(f0), max-pool 4,
 * IB(f0), max-pool 2, IB(f1), max-pool 2, IB(f2), max-pool 2; decoder IB(f2), up x2, IB(f1), up x4,
 * IB(f1), up x2, IB(f0), up x2, 1x1 conv (with bias) to the input's channels, sigmoid. Up-sampling
 * is nearest-neighbour. The forward pass runs the last 1x1 convolution and the sigmoid before the last
 * up-sampling: both act on each pixel alone, so the values are the same, and up-sampling one image
 * channel costs a fraction of up-sampling the 4 f0 feature channels (a stage 1 step about a tenth faster).
 * The blocks after a twofold up-sampling take the map before it and run their pool branch on it
 * ({@link InceptionBlock#forwardUpsampled}): the same values, another tenth of a stage 1 step.
 *
 * <p>Forward: {@code NDList(x)} with x of shape (N, C, H, W), values in [0, 1], H and W multiples of
 * 32; returns {@code NDList(impression)} of the same shape, values in (0, 1). Sub-blocks: {@link
 * #getEncoder()} maps x to the (N, 4 f2, H/32, W/32) latent code, {@link #getDecoder()} maps it
 * back; both take and return single-tensor NDLists.
 */
public final class IeNet extends InitialisedBlock {
    /** Total down-sampling factor of the encoder; input sizes must be multiples of it. */
    public static final int STRIDE = 32;

    /** The decoder's tail: up-sampling, then two per-pixel steps (1x1 convolution, sigmoid). */
    private static final int TAIL = 3;

    private final int channels;
    private final IeNetConfig config;
    private final SequentialBlock encoder;
    private final SequentialBlock decoder;

    /**
     * Builds an untrained IE-Net; call {@code initialize(manager, DataType.FLOAT32, new Shape(N, C, H, W))}.
     *
     * @param channels image channels C, 1 (grey) or 3 (RGB)
     * @param config   the width (n_filters)
     * @throws IllegalArgumentException if channels is not 1 or 3
     */
    public IeNet(int channels, IeNetConfig config) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("IE-Net works on 1 or 3 channels, got " + channels);
        }
        this.channels = channels;
        this.config = config;
        int f2 = config.filters();
        int f1 = f2 / 2;
        int f0 = f2 / 4;
        encoder = addChildBlock("encoder", new Sequential()
                .add(new InceptionBlock(f0)).add(ShapedLambda.maxPool(4, 4, 0))
                .add(new InceptionBlock(f0)).add(ShapedLambda.maxPool(2, 2, 0))
                .add(new InceptionBlock(f1)).add(ShapedLambda.maxPool(2, 2, 0))
                .add(new InceptionBlock(f2)).add(ShapedLambda.maxPool(2, 2, 0)));
        decoder = addChildBlock("decoder", new Sequential()
                .add(new InceptionBlock(f2)).add(new NearestUpsample(2))
                .add(new InceptionBlock(f1)).add(new NearestUpsample(4))
                .add(new InceptionBlock(f1)).add(new NearestUpsample(2))
                .add(new InceptionBlock(f0)).add(new NearestUpsample(2))
                .add(Layers.conv(channels, 1, 1, 0, true)).add(ShapedLambda.sigmoid()));
    }

    /** @return the image channels this network was built for */
    public int getChannels() {
        return channels;
    }

    /** @return the width configuration this network was built with */
    public IeNetConfig getConfig() {
        return config;
    }

    /** @return the encoder: NDList(x) to NDList(latent), latent (N, 4 filters, H/32, W/32) */
    public SequentialBlock getEncoder() {
        return encoder;
    }

    /** @return the decoder: NDList(latent) to NDList(impression) */
    public SequentialBlock getDecoder() {
        return decoder;
    }

    private void checkShape(Shape s) {
        if (s.dimension() != 4 || s.get(1) != channels || s.get(2) % STRIDE != 0 || s.get(3) % STRIDE != 0
                || s.get(2) == 0 || s.get(3) == 0) {
            throw new IllegalArgumentException("IE-Net expects (N, " + channels + ", H, W) with H and W positive"
                    + " multiples of " + STRIDE + ", got " + s);
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        checkShape(x.getShape());
        // While training on the CPU, every map of the pass is channels-last from here on (ChannelsLast):
        // all the network's operations keep that layout. A grey image is converted by the first block
        // (with its pooled copy, or as the branches' joined outputs), since one channel is laid out
        // alike either way.
        NDList y = encoder.forward(parameterStore,
                x.getShape().get(1) > 1 && ChannelsLast.applies(x) ? new NDList(ChannelsLast.of(x)) : inputs,
                training, params);
        // The decoder's last three steps are up x2, the 1x1 convolution and the sigmoid. Both act on
        // each pixel alone, so they give the same values before the nearest up-sampling as after it:
        // run them on the quarter-size map, then up-sample the one image channel instead of all 4 f0.
        // A block after a twofold up-sampling takes the small map and pools it there
        // (InceptionBlock.forwardUpsampled).
        List<Block> steps = decoder.getChildren().values();
        int upsample = steps.size() - TAIL;
        for (int i = 0; i < steps.size(); i++) {
            if (i < upsample && twofold(steps.get(i)) && steps.get(i + 1) instanceof InceptionBlock) {
                y = ((InceptionBlock) steps.get(i + 1)).forwardUpsampled(parameterStore, y.singletonOrThrow(),
                        training, params);
                i++;
            } else if (i != upsample) {
                y = steps.get(i).forward(parameterStore, y, training, params);
            }
        }
        return steps.get(upsample).forward(parameterStore, y, training, params);
    }

    /** Whether a decoder step is a twofold up-sampling, after which a block can take the small map. */
    private static boolean twofold(Block step) {
        return step instanceof NearestUpsample && ((NearestUpsample) step).getFactor() == 2;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        checkShape(inputShapes[0]);
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        checkShape(inputShapes[0]);
        encoder.initialize(manager, dataType, inputShapes);
        decoder.initialize(manager, dataType, encoder.getOutputShapes(inputShapes));
    }

    @Override
    public String toString() {
        return "IeNet(channels " + channels + ", filters " + config.filters() + ")";
    }
}
