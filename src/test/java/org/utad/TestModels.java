package org.utad;

import java.util.ArrayList;
import java.util.List;
import org.utad.config.Mode;
import org.utad.config.Presets;
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
        return config("preset=test", "image_size=" + size, "mode=" + mode, "seed=11", "validation_fraction=0.25",
                "augment=true", "ie_net.filters=16",
                "expert_net.dim=8", "expert_net.n_downsample=1", "expert_net.n_res=1", "expert_net.detail_dim=4",
                "expert_net.mlp_dim=16", "expert_net.mlp_layers=2",
                "stage1.iterations=" + iterations1, "stage1.batch_size=6", "stage1.learning_rate=3e-3",
                "stage1.decay_at=0.8", "stage1.recon_weight=100", "stage1.gan_weight=0.1", "stage1.ssim_weight=0",
                "stage1.corruption=0", "stage1.discriminator.dim=8", "stage1.discriminator.layers=2",
                "stage1.discriminator.scales=2",
                "stage2.iterations=" + iterations2, "stage2.batch_size=3", "stage2.learning_rate=1e-3",
                "stage2.halve_every=1000", "stage2.image_recon=10", "stage2.paired=10", "stage2.content_recon=1",
                "stage2.detail_recon=1", "stage2.gan_weight=1", "stage2.discriminator.dim=8",
                "stage2.discriminator.layers=2", "stage2.discriminator.scales=2",
                "detect.random_codes=4", "detect.residual=l2", "detect.smoothing_sigma=1.5",
                "detect.score_quantile=1.0", "detect.calibration_quantile=0.99", "detect.tile_overlap=0.5",
                "detect.tile_size=0", "detect.fusion=default", "detect.score_margin=0.0");
    }

    /**
     * The paper preset with settings changed in the words users type ({@code key=value}, as
     * {@code settings=[..]} and {@code --settings} take them), applied in order.
     *
     * @param settings the changes
     * @return the changed configuration
     */
    public static UtadConfig config(String... settings) {
        UtadConfig c = Presets.paper();
        for (String s : settings) {
            int eq = s.indexOf('=');
            c = c.with(s.substring(0, eq), s.substring(eq + 1));
        }
        return c;
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
