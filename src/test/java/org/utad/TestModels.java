package org.utad;

import java.util.ArrayList;
import java.util.List;
import org.utad.config.DetectConfig;
import org.utad.config.DiscriminatorConfig;
import org.utad.config.ExpertNetConfig;
import org.utad.config.IeNetConfig;
import org.utad.config.Mode;
import org.utad.config.Residual;
import org.utad.config.Stage1Config;
import org.utad.config.Stage2Config;
import org.utad.config.UtadConfig;
import org.utad.core.FloatImage;
import org.utad.data.SyntheticImages;

/**
 * Tiny configurations and generated image sets shared by the tests, so that training in a test
 * takes seconds on two CPU cores while still exercising every network and loss.
 */
public final class TestModels {
    private TestModels() {
    }

    /**
     * A tiny but complete configuration: every network, loss and discriminator is present.
     *
     * @param size        model input size (a multiple of 32)
     * @param mode        resize or patch
     * @param iterations1 stage 1 iterations
     * @param iterations2 stage 2 iterations
     * @return the configuration
     */
    public static UtadConfig tiny(int size, Mode mode, int iterations1, int iterations2) {
        DiscriminatorConfig discriminator = DiscriminatorConfig.builder().dim(8).layers(2).scales(2).build();
        Stage1Config stage1 = Stage1Config.builder()
                .iterations(iterations1).batchSize(6).learningRate(3e-3).decayAt(0.8)
                .reconWeight(100).ganWeight(0.1).ssimWeight(0).corruption(0)
                .discriminator(discriminator).build();
        Stage2Config stage2 = Stage2Config.builder()
                .iterations(iterations2).batchSize(3).learningRate(1e-3).halveEvery(1000)
                .imageRecon(10).paired(10).contentRecon(1).detailRecon(1).ganWeight(1)
                .discriminator(discriminator).build();
        DetectConfig detect = DetectConfig.builder()
                .randomCodes(4).residual(Residual.L2).smoothingSigma(1.5).scoreQuantile(1.0).calibrationQuantile(0.99)
                .tileOverlap(0.5).tileSize(0).fusion("default").scoreMargin(0.0).build();
        long seed = 11L;
        double validationFraction = 0.25;
        boolean augment = true;
        return new UtadConfig(UtadConfig.VERSION, "test", size, mode, seed, validationFraction, augment,
                IeNetConfig.builder().filters(16).build(),
                ExpertNetConfig.builder().dim(8).nDownsample(1).nRes(1).detailDim(4).mlpDim(16).mlpLayers(2).build(),
                stage1, stage2, detect);
    }

    /**
     * Normal 8-bit grey textures as raw 0..255 values.
     *
     * @param seed  texture family
     * @param n     how many
     * @param w     width
     * @param h     height
     * @return the images
     */
    public static List<FloatImage> normals(long seed, int n, int w, int h) {
        SyntheticImages gen = new SyntheticImages(seed);
        List<FloatImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(to8bit(gen.normal(i, w, h, 1)));
        }
        return out;
    }

    /**
     * Scales a [0, 1] image to raw 8-bit values, as a file would hold them.
     *
     * @param img image in [0, 1]
     * @return the image with values 0..255 (rounded)
     */
    public static FloatImage to8bit(FloatImage img) {
        float[] d = img.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.round(d[i] * 255f);
        }
        return new FloatImage(img.width(), img.height(), img.channels(), d, 8, img.name(), img.calibration());
    }
}
