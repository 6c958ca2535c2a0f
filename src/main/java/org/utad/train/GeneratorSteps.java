package org.utad.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.utad.config.Stage1Config;
import org.utad.config.Stage2Config;
import org.utad.engine.OwnedArrays;
import org.utad.model.ExpertGenerator;
import org.utad.model.UtadNetworks;

/**
 * The generator half of one training iteration of each stage: forward passes, the weighted loss and
 * its backward pass, leaving the gradients in the networks for the optimiser. The trainer runs them
 * between sampling a batch and stepping its optimisers; the speed benchmark against PyTorch runs the
 * same methods, so both time exactly the work training does.
 */
public final class GeneratorSteps {
    private GeneratorSteps() {
    }

    /**
     * Stage 1: the IE-Net reconstructs the clean images from the (possibly corrupted) input; L2 with
     * the configuration's weight, plus the image GAN and SSIM terms when their weights are positive.
     *
     * @param nets   the networks; the IE-Net discriminator is used only when the GAN weight is positive
     * @param ps     the parameter store of the training run
     * @param s1     stage 1 weights
     * @param x      the clean images, (N, C, H, W) in [0, 1]
     * @param input  what the IE-Net sees: x, or x with a synthetic defect
     * @param losses receives each loss term's value by name
     * @return the impressions, still attached to the graph (the discriminator step detaches them)
     */
    public static NDArray ieNet(UtadNetworks nets, ParameterStore ps, Stage1Config s1, NDArray x, NDArray input,
            Map<String, Double> losses) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray impression = one(nets.ieNet(), ps, input);
            NDArray rec = Losses.mse(impression, x);
            NDArray loss = OwnedArrays.times(rec, s1.reconWeight());
            losses.put("recon", (double) rec.getFloat());
            if (s1.ganWeight() > 0) {
                NDArray gan = Losses.lsganGenerator(nets.ieDiscriminator().forward(ps, new NDList(impression), true));
                loss = loss.add(OwnedArrays.times(gan, s1.ganWeight()));
                losses.put("gan", (double) gan.getFloat());
            }
            if (s1.ssimWeight() > 0) {
                NDArray ssim = org.utad.model.ImageOps.ssimMap(impression, x).mean().neg().add(1);
                loss = loss.add(OwnedArrays.times(ssim, s1.ssimWeight()));
                losses.put("ssim", (double) ssim.getFloat());
            }
            gc.backward(loss);
            return impression;
        }
    }

    /**
     * Stage 2: both Expert-Net generators, MUNIT-style. Within-domain reconstruction, the paired
     * translation impression to image with the image's own detail code, content- and detail-code
     * reconstruction of the cross-domain translations, and the GAN terms when their weight is
     * positive: 8 encoder passes and 5 decodes in 2 decoder passes (see {@code Stacked}), then one
     * backward pass.
     *
     * @param nets   the networks; the stage 2 discriminators are used only when the GAN weight is positive
     * @param ps     the parameter store of the training run
     * @param s2     stage 2 weights
     * @param x      the images, (N, C, H, W) in [-1, 1]
     * @param m      their impressions, in [-1, 1]
     * @param randX  random detail codes for translations into the image domain, (N, detail dim)
     * @param randM  random detail codes for translations into the impression domain
     * @param losses receives each loss term's value by name
     * @return NDList(image from impression, impression from image), for the discriminator step
     */
    public static NDList experts(UtadNetworks nets, ParameterStore ps, Stage2Config s2, NDArray x, NDArray m,
            NDArray randX, NDArray randM, Map<String, Double> losses) {
        ExpertGenerator gi = nets.expertImage();
        ExpertGenerator gm = nets.expertImpression();
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray cx = one(gi.getContentEncoder(), ps, x);
            NDArray sx = one(gi.getDetailEncoder(), ps, x);
            NDArray cm = one(gm.getContentEncoder(), ps, m);
            NDArray sm = one(gm.getDetailEncoder(), ps, m);
            // Each generator's decodes in one decoder pass (Stacked): five passes of batch N become two.
            NDList[] toX = Stacked.forward(gi.getDecoder(), ps, new NDList(cx, sx), new NDList(cm, randX),
                    new NDList(cm, sx));
            NDList[] toM = Stacked.forward(gm.getDecoder(), ps, new NDList(cm, sm), new NDList(cx, randM));
            NDArray xRec = toX[0].singletonOrThrow();
            NDArray xFromM = toX[1].singletonOrThrow();
            NDArray xPaired = toX[2].singletonOrThrow();
            NDArray mRec = toM[0].singletonOrThrow();
            NDArray mFromX = toM[1].singletonOrThrow();
            NDArray recon = Losses.l1(xRec, x).add(Losses.l1(mRec, m));
            NDArray paired = Losses.l1(xPaired, x);
            NDArray content = Losses.l1(one(gi.getContentEncoder(), ps, xFromM), cm)
                    .add(Losses.l1(one(gm.getContentEncoder(), ps, mFromX), cx));
            NDArray detail = Losses.l1(one(gi.getDetailEncoder(), ps, xFromM), randX)
                    .add(Losses.l1(one(gm.getDetailEncoder(), ps, mFromX), randM));
            NDArray loss = OwnedArrays.times(recon, s2.imageRecon()).add(OwnedArrays.times(paired, s2.paired()))
                    .add(OwnedArrays.times(content, s2.contentRecon()))
                    .add(OwnedArrays.times(detail, s2.detailRecon()));
            losses.put("recon", (double) recon.getFloat());
            losses.put("paired", (double) paired.getFloat());
            losses.put("content", (double) content.getFloat());
            losses.put("detail", (double) detail.getFloat());
            if (s2.ganWeight() > 0) {
                NDArray gan = Losses.lsganGenerator(nets.discImage().forward(ps, new NDList(xFromM), true))
                        .add(Losses.lsganGenerator(nets.discImpression().forward(ps, new NDList(mFromX), true)));
                loss = loss.add(OwnedArrays.times(gan, s2.ganWeight()));
                losses.put("gan", (double) gan.getFloat());
            }
            gc.backward(loss);
            return new NDList(xFromM, mFromX);
        }
    }

    private static NDArray one(Block block, ParameterStore ps, NDArray... inputs) {
        return block.forward(ps, new NDList(inputs), true).singletonOrThrow();
    }
}
