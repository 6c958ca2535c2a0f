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
        return new UtadConfig(UtadConfig.VERSION, "test", size, mode, 11L, 0.25, true,
                new IeNetConfig(16),
                new ExpertNetConfig(8, 1, 1, 4, 16, 2),
                new Stage1Config(iterations1, 6, 3e-3, new double[] {0.8}, 100, 0.1, 0, 0,
                        new DiscriminatorConfig(8, 2, 2)),
                new Stage2Config(iterations2, 3, 1e-3, 1000, 10, 10, 1, 1, 1,
                        new DiscriminatorConfig(8, 2, 2)),
                new DetectConfig(4, Residual.L2, 1.5, 1.0, 0.99, 0.5, 0, "default", 0.0));
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
