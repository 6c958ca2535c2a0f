package org.utad.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.PrintStream;
import java.util.Locale;
import org.utad.config.DiscriminatorConfig;
import org.utad.config.Fusion;
import org.utad.config.Presets;
import org.utad.config.UtadConfig;
import org.utad.model.ExpertGenerator;
import org.utad.model.FlopCount;
import org.utad.model.IeNet;
import org.utad.model.MultiScaleDiscriminator;

/**
 * The floating-point operations of one training iteration of each stage and of one detection tile,
 * per preset and input size, from the networks' layer shapes ({@link FlopCount}). A backward pass
 * counts twice its forward pass. What an iteration runs follows the trainer:
 *
 * <ul>
 *   <li>stage 1: the IE-Net trained on the batch; with an image GAN term, the discriminator once in
 *   the generator step and twice (real and fake) in its own step, each trained;</li>
 *   <li>stage 2: the IE-Net forward only, then 4 content-encoder, 4 detail-encoder and 5 decoder
 *   passes trained; with GAN terms, each discriminator once in the generator step and twice in its
 *   own step;</li>
 *   <li>detection tile: the IE-Net, the impression's content code, the image's detail code and its
 *   decode, K random-code decodes, and with the fast-impression term the image's content code and K
 *   more decodes.</li>
 * </ul>
 */
final class WorkCount {
    private WorkCount() {
    }

    /** The counted operations of one preset at one training size. */
    record Row(String preset, int size, int batch1, int batch2, long stage1, long stage2, int tile, long perTile) {
    }

    /**
     * Counts one preset at a training size.
     *
     * @param config the preset's configuration
     * @param size   the training image size
     * @return the counts
     */
    static Row of(UtadConfig config, int size) {
        int b1 = config.stage1().batchSize();
        int b2 = config.stage2().batchSize();
        long stage1 = FlopCount.training(ieNet(config, b1, size));
        if (config.stage1().ganWeight() > 0) {
            stage1 += 3 * FlopCount.training(discriminator(config.stage1().discriminator(), b1, size));
        }
        ExpertGenerator g = expert(config, b2, size);
        long stage2 = FlopCount.forward(ieNet(config, b2, size)) + 4 * FlopCount.training(g.getContentEncoder())
                + 4 * FlopCount.training(g.getDetailEncoder()) + 5 * FlopCount.training(g.getDecoder());
        if (config.stage2().ganWeight() > 0) {
            stage2 += 2 * 3 * FlopCount.training(discriminator(config.stage2().discriminator(), b2, size));
        }
        int tile = config.detect().tileSize() > 0 ? config.detect().tileSize() : size;
        ExpertGenerator t = expert(config, 1, tile);
        int k = config.detect().randomCodes();
        boolean fast = !Fusion.parse(config.detect().fusion()).noFast();
        long perTile = FlopCount.forward(ieNet(config, 1, tile)) + FlopCount.forward(t.getContentEncoder())
                + FlopCount.forward(t.getDetailEncoder()) + (1 + k) * FlopCount.forward(t.getDecoder());
        if (fast) {
            perTile += FlopCount.forward(t.getContentEncoder()) + k * FlopCount.forward(t.getDecoder());
        }
        return new Row(config.preset(), size, b1, b2, stage1, stage2, tile, perTile);
    }

    /**
     * Prints the table for every preset at the given sizes.
     *
     * @param sizes training sizes
     * @param out   where to print
     */
    static void print(int[] sizes, PrintStream out) {
        out.println("| preset | size | batch 1 / 2 | stage 1 iteration GFLOP | stage 2 iteration GFLOP"
                + " | detection tile | GFLOP per tile |");
        out.println("|---|---|---|---|---|---|---|");
        for (String p : Presets.NAMES) {
            for (int s : sizes) {
                Row r = of(Presets.get(p), s);
                out.println(String.format(Locale.ROOT, "| %s | %d | %d / %d | %.2f | %.2f | %d px | %.3f |", r.preset(),
                        r.size(), r.batch1(), r.batch2(), r.stage1() / 1e9, r.stage2() / 1e9, r.tile(),
                        r.perTile() / 1e9));
            }
        }
    }

    private static <T extends Block> T initialised(T block, int batch, int channels, int size) {
        try (NDManager m = NDManager.newBaseManager()) {
            block.initialize(m, DataType.FLOAT32, new Shape(batch, channels, size, size));
        }
        return block;
    }

    private static IeNet ieNet(UtadConfig config, int batch, int size) {
        return initialised(new IeNet(1, config.ieNet()), batch, 1, size);
    }

    private static ExpertGenerator expert(UtadConfig config, int batch, int size) {
        return initialised(ExpertGenerator.builder().setChannels(1).setConfig(config.expertNet())
                .optImageSize(config.imageSize()).build(), batch, 1, size);
    }

    private static MultiScaleDiscriminator discriminator(DiscriminatorConfig config, int batch, int size) {
        return initialised(new MultiScaleDiscriminator(1, config), batch, 1, size);
    }
}
