package org.utad.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.utad.config.UtadConfig;

/**
 * All networks of one UTAD model, built and initialised from a configuration and a channel
 * count: the IE-Net of stage 1 with its discriminator, and the two Expert-Net generators of
 * stage 2 (image domain I and impression domain M) with their discriminators.
 *
 * <p>The network names here are the entry names in a model bundle; detection needs only
 * {@link #INFERENCE} ones, so finished models do not carry the discriminators.
 *
 * <p>The expert reconstruction, which both detection and stage 2's validation compute, is defined
 * here once: {@link #impressionContent} and {@link #expertReconstruction}.
 */
public final class UtadNetworks {
    /** Bundle name of the IE-Net. */
    public static final String IE_NET = "ie_net";
    /** Bundle name of the stage 1 image discriminator. */
    public static final String IE_DISCRIMINATOR = "ie_discriminator";
    /** Bundle name of the image-domain generator. */
    public static final String EXPERT_IMAGE = "expert_image";
    /** Bundle name of the impression-domain generator. */
    public static final String EXPERT_IMPRESSION = "expert_impression";
    /** Bundle name of the image-domain discriminator. */
    public static final String DISC_IMAGE = "disc_image";
    /** Bundle name of the impression-domain discriminator. */
    public static final String DISC_IMPRESSION = "disc_impression";
    /** The networks a detector needs. */
    public static final String[] INFERENCE = {IE_NET, EXPERT_IMAGE, EXPERT_IMPRESSION};

    private final IeNet ieNet;
    private final MultiScaleDiscriminator ieDiscriminator;
    private final ExpertGenerator expertImage;
    private final ExpertGenerator expertImpression;
    private final MultiScaleDiscriminator discImage;
    private final MultiScaleDiscriminator discImpression;

    private UtadNetworks(IeNet ieNet, MultiScaleDiscriminator ieDiscriminator, ExpertGenerator expertImage,
                         ExpertGenerator expertImpression, MultiScaleDiscriminator discImage,
                         MultiScaleDiscriminator discImpression) {
        this.ieNet = ieNet;
        this.ieDiscriminator = ieDiscriminator;
        this.expertImage = expertImage;
        this.expertImpression = expertImpression;
        this.discImage = discImage;
        this.discImpression = discImpression;
    }

    /**
     * Builds and initialises every network (random weights from the engine's seed).
     *
     * @param config    the model configuration
     * @param channels  image channels
     * @param manager   owns the parameters
     * @param withDiscriminators false for detection, which needs no discriminator
     * @return the networks
     */
    public static UtadNetworks create(UtadConfig config, int channels, NDManager manager, boolean withDiscriminators) {
        Shape in = new Shape(1, channels, config.imageSize(), config.imageSize());
        IeNet ie = new IeNet(channels, config.ieNet());
        ie.initialize(manager, DataType.FLOAT32, in);
        ExpertGenerator gi = expert(config, channels);
        gi.initialize(manager, DataType.FLOAT32, in);
        ExpertGenerator gm = expert(config, channels);
        gm.initialize(manager, DataType.FLOAT32, in);
        MultiScaleDiscriminator d1 = null;
        MultiScaleDiscriminator di = null;
        MultiScaleDiscriminator dm = null;
        if (withDiscriminators) {
            d1 = new MultiScaleDiscriminator(channels, config.stage1().discriminator());
            d1.initialize(manager, DataType.FLOAT32, in);
            di = new MultiScaleDiscriminator(channels, config.stage2().discriminator());
            di.initialize(manager, DataType.FLOAT32, in);
            dm = new MultiScaleDiscriminator(channels, config.stage2().discriminator());
            dm.initialize(manager, DataType.FLOAT32, in);
        }
        return new UtadNetworks(ie, d1, gi, gm, di, dm);
    }

    private static ExpertGenerator expert(UtadConfig config, int channels) {
        return ExpertGenerator.builder().setChannels(channels).setConfig(config.expertNet())
                .optImageSize(config.imageSize()).build();
    }

    /** @return the impression extractor */
    public IeNet ieNet() {
        return ieNet;
    }

    /** @return the stage 1 discriminator, or null when built for detection */
    public MultiScaleDiscriminator ieDiscriminator() {
        return ieDiscriminator;
    }

    /** @return the image-domain generator (its decoder makes expert reconstructions) */
    public ExpertGenerator expertImage() {
        return expertImage;
    }

    /** @return the impression-domain generator (its decoder makes fast impressions) */
    public ExpertGenerator expertImpression() {
        return expertImpression;
    }

    /** @return the image-domain discriminator, or null when built for detection */
    public MultiScaleDiscriminator discImage() {
        return discImage;
    }

    /** @return the impression-domain discriminator, or null when built for detection */
    public MultiScaleDiscriminator discImpression() {
        return discImpression;
    }

    /**
     * The content code of impressions, by the impression-domain generator's content encoder: the
     * first step of an expert reconstruction, and the content that random detail codes decode.
     *
     * @param ps         the parameters
     * @param impression IE-Net impressions scaled to [-1, 1], (N, C, H, W)
     * @return the content codes, in the impressions' manager
     */
    public NDArray impressionContent(ParameterStore ps, NDArray impression) {
        return forward(expertImpression.getContentEncoder(), ps, impression);
    }

    /**
     * The expert reconstruction: the image-domain decoder applied to an impression's content code
     * and the detail code of a reference image (the image itself). Training's stage 2 teaches exactly
     * this translation, its validation measures it, and detection compares it with the image.
     *
     * @param ps        the parameters
     * @param content   content codes from {@link #impressionContent}
     * @param reference the images whose detail codes are used, in [-1, 1], (N, C, H, W)
     * @return the reconstructions in [-1, 1], in the reference's manager
     */
    public NDArray expertReconstruction(ParameterStore ps, NDArray content, NDArray reference) {
        NDArray detail = forward(expertImage.getDetailEncoder(), ps, reference);
        return forward(expertImage.getDecoder(), ps, content, detail);
    }

    /**
     * Decodes content codes with several detail codes in one pass of a decoder: each of the n content
     * codes meets each of the g detail codes, the content repeated once per code. Detection decodes
     * its K random codes this way, fewer and larger operations than one pass per code
     * (docs/BENCHMARKS.md, issue 17), and the speed benchmark times the same.
     *
     * @param decoder a generator's decoder
     * @param ps      its parameters
     * @param content content codes of n images, (n, C, h, w)
     * @param codes   g detail codes, one after the other
     * @param g       the number of codes
     * @return the decodes in [-1, 1], (g, n, channels, height, width): the n images with the first code,
     *         then with the second; in the content's manager
     */
    public static NDArray decodeEach(Block decoder, ParameterStore ps, NDArray content, float[] codes, int g) {
        Shape cs = content.getShape();
        long n = cs.get(0);
        NDArray code = content.getManager().create(codes, new Shape(g, 1, codes.length / g)).repeat(1, n)
                .reshape(g * n, codes.length / g);
        NDArray repeated = g == 1 ? content : content.expandDims(0).repeat(0, g)
                .reshape(new Shape(g * n).addAll(cs.slice(1)));
        NDArray y = forward(decoder, ps, repeated, code);
        return y.reshape(new Shape(g, n).addAll(y.getShape().slice(1)));
    }

    /**
     * Runs one network for inference in its own memory scope and keeps only its output. DJL frees an
     * operation's result only when its manager closes, so without a scope every activation of every
     * network stays allocated until the caller's scope closes (about 1.5 GB for a 384 px tile of the
     * fast preset); with it, the peak is the largest single network's activations.
     *
     * @param block the network
     * @param ps    its parameters
     * @param in    its inputs, all in one manager, which receives the output
     * @return the output, owned by the first input's manager
     */
    public static NDArray forward(Block block, ParameterStore ps, NDArray... in) {
        NDManager outer = in[0].getManager();
        try (NDManager sub = outer.newSubManager()) {
            for (NDArray a : in) {
                a.tempAttach(sub);
            }
            NDArray out = block.forward(ps, new NDList(in), false).singletonOrThrow();
            out.attach(outer);
            return out;
        }
    }

    /** @return the networks a detector needs, by bundle name */
    public Map<String, Block> inference() {
        Map<String, Block> m = new LinkedHashMap<>();
        m.put(IE_NET, ieNet);
        m.put(EXPERT_IMAGE, expertImage);
        m.put(EXPERT_IMPRESSION, expertImpression);
        return m;
    }

    /** @return every network, by bundle name, for training checkpoints */
    public Map<String, Block> all() {
        Map<String, Block> m = inference();
        if (ieDiscriminator != null) {
            m.put(IE_DISCRIMINATOR, ieDiscriminator);
            m.put(DISC_IMAGE, discImage);
            m.put(DISC_IMPRESSION, discImpression);
        }
        return m;
    }
}
