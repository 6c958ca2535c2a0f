package org.utad.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.utad.config.ExpertNetConfig;

/**
 * One Expert-Net generator of UTAD's stage 2 (MUNIT-style), for one domain (images or impressions).
 * It owns a {@link ContentEncoder}, a {@link DetailEncoder} and an {@link ExpertDecoder} as child
 * blocks, so one trainer and one {@code saveParameters} cover all three, while stage 2 can still
 * call each part alone (for example to decode the impression's content with the image's detail code).
 *
 * <p>Forward of the generator itself: {@code NDList(x)}, x (N, C, H, W) in [-1, 1], H and W
 * multiples of 2^nDownsample; returns {@code NDList(decoder(content(x), detail(x)))}, the
 * within-domain reconstruction, same shape, values in (-1, 1). Initialise with the image shape:
 * {@code initialize(manager, DataType.FLOAT32, new Shape(N, C, H, W))} initialises all three parts.
 */
public final class ExpertGenerator extends InitialisedBlock {
    /** Stride-2 convolutions of the reference detail encoder. */
    public static final int DETAIL_DOWNSAMPLINGS = 4;
    /** Smallest feature-map side the detail encoder reduces an image to before pooling. */
    public static final int MIN_DETAIL_SIZE = 4;

    private final int channels;
    private final ExpertNetConfig config;
    private final ContentEncoder content;
    private final DetailEncoder detail;
    private final ExpertDecoder decoder;

    private ExpertGenerator(Builder builder) {
        channels = builder.channels;
        config = builder.config;
        content = addChildBlock("content", new ContentEncoder(config));
        detail = addChildBlock("detail", new DetailEncoder(config, detailDownsamplings(builder.imageSize)));
        decoder = addChildBlock("decoder", new ExpertDecoder(channels, config));
    }

    /** @return a builder; channels and config are required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * How many stride-2 convolutions the detail encoder uses for images of a given side: the
     * reference's 4, or fewer so that the last feature map keeps at least {@link #MIN_DETAIL_SIZE} pixels.
     *
     * @param imageSize the smaller image side in pixels, or 0 for "unknown" (the reference's 4)
     * @return the number of stride-2 convolutions, 0 to 4
     */
    public static int detailDownsamplings(int imageSize) {
        if (imageSize <= 0) {
            return DETAIL_DOWNSAMPLINGS;
        }
        int n = 0;
        while (n < DETAIL_DOWNSAMPLINGS && imageSize >> (n + 1) >= MIN_DETAIL_SIZE) {
            n++;
        }
        return n;
    }

    /** @return the content encoder: NDList(x) to NDList(content) */
    public ContentEncoder getContentEncoder() {
        return content;
    }

    /** @return the detail encoder: NDList(x) to NDList(code), code (N, detailDim) */
    public DetailEncoder getDetailEncoder() {
        return detail;
    }

    /** @return the decoder: NDList(content, code) to NDList(image) */
    public ExpertDecoder getDecoder() {
        return decoder;
    }

    /** @return the image channels this generator was built for */
    public int getChannels() {
        return channels;
    }

    /** @return the size configuration this generator was built with */
    public ExpertNetConfig getConfig() {
        return config;
    }

    private void checkShape(Shape s) {
        int factor = content.getFactor();
        if (s.dimension() != 4 || s.get(1) != channels || s.get(2) % factor != 0 || s.get(3) % factor != 0
                || s.get(2) == 0 || s.get(3) == 0) {
            throw new IllegalArgumentException("The Expert-Net generator expects (N, " + channels + ", H, W) with H"
                    + " and W positive multiples of " + factor + ", got " + s);
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        checkShape(inputs.singletonOrThrow().getShape());
        NDList c = content.forward(parameterStore, inputs, training, params);
        NDList d = detail.forward(parameterStore, inputs, training, params);
        return decoder.forward(parameterStore, new NDList(c.singletonOrThrow(), d.singletonOrThrow()), training,
                params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        checkShape(inputShapes[0]);
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        checkShape(inputShapes[0]);
        content.initialize(manager, dataType, inputShapes);
        detail.initialize(manager, dataType, inputShapes);
        decoder.initialize(manager, dataType, content.getOutputShapes(inputShapes)[0],
                detail.getOutputShapes(inputShapes)[0]);
    }

    @Override
    public String toString() {
        return "ExpertGenerator(channels " + channels + ", " + config + ", detail downsamplings "
                + detail.getDownsamplings() + ")";
    }

    /** Collects the generator's size; {@link #setChannels} and {@link #setConfig} are required. */
    public static final class Builder {
        private int channels;
        private ExpertNetConfig config;
        private int imageSize;

        private Builder() {
        }

        /**
         * Sets the number of image channels, which fixes the first and last convolutions.
         *
         * @param channels image channels (1 grey, 3 RGB)
         * @return this builder
         */
        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /**
         * Sets the widths and depths of all three parts.
         *
         * @param config the Expert-Net size
         * @return this builder
         */
        public Builder setConfig(ExpertNetConfig config) {
            this.config = config;
            return this;
        }

        /**
         * Tells the generator the (smaller) side of the images it will see, so that the detail
         * encoder uses fewer than 4 stride-2 convolutions when the image would shrink below 4 pixels.
         * Without it the reference's 4 are used, which needs images of at least 32 pixels.
         *
         * @param imageSize side in pixels, or 0 for the reference layout
         * @return this builder
         */
        public Builder optImageSize(int imageSize) {
            this.imageSize = imageSize;
            return this;
        }

        /**
         * Builds the generator; its parameters exist once {@code initialize} is called with an image shape.
         *
         * @return the untrained generator
         * @throws IllegalArgumentException if channels or config are missing or invalid
         */
        public ExpertGenerator build() {
            if (channels < 1) {
                throw new IllegalArgumentException("The Expert-Net generator needs at least one channel, got "
                        + channels);
            }
            if (config == null) {
                throw new IllegalArgumentException("The Expert-Net generator needs an ExpertNetConfig");
            }
            if (imageSize < 0) {
                throw new IllegalArgumentException("Image size must not be negative, got " + imageSize);
            }
            return new ExpertGenerator(this);
        }
    }
}
