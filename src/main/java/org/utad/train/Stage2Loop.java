package org.utad.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.utad.config.Stage2Config;
import org.utad.data.TrainingSet;
import org.utad.model.ExpertGenerator;
import org.utad.model.UtadNetworks;

/**
 * Stage 2 of UTAD: the Expert-Net generators of the image and impression domains learn MUNIT-style
 * (within-domain reconstruction, content- and detail-code reconstruction, GAN terms), plus the
 * supervised translation impression to image with the image's own detail code, which is exactly the
 * expert reconstruction used at detection time. The frozen IE-Net of stage 1 makes the impressions.
 * The learning rate halves at a fixed interval. The best generators by validation loss are kept for
 * the trainer to put back at the end.
 */
final class Stage2Loop {
    private Stage2Loop() {
    }

    /**
     * Runs stage 2 from the state's iteration to the end of the stage, with stage 1's IE-Net fixed.
     *
     * @param run        the training run, whose state says where the stage starts (0, or where a
     *                   checkpoint left it)
     * @param train      the training samples
     * @param valSamples the fixed validation samples, the same as stage 1's
     */
    static void run(TrainingRun run, TrainingSet train, List<float[]> valSamples) {
        Stage2Config s2 = run.config.stage2();
        int total = s2.iterations();
        UtadNetworks nets = run.nets;
        TrainerState state = run.state;
        Map<String, Adam> optimisers = run.optimisers;
        ParameterStore ps = new ParameterStore(run.manager, false);
        ExpertGenerator gi = nets.expertImage();
        ExpertGenerator gm = nets.expertImpression();
        Block di = nets.discImage();
        Block dm = nets.discImpression();
        int detailDim = run.config.expertNet().detailDim();
        run.runStage(2, total, s2.batchSize(), (step, iteration, losses) -> {
            float lr = (float) (s2.learningRate() * Math.pow(0.5, iteration / s2.halveEvery()));
            Random rnd = run.random(iteration, 2);
            NDArray x01 = train.sampleBatch(step, s2.batchSize(), rnd, run.config.augment());
            run.times.charge(StageTimes.Part.SAMPLING);
            NDArray m01 = nets.ieNet().forward(ps, new NDList(x01), false).singletonOrThrow();
            NDArray x = x01.mul(2).sub(1);
            NDArray m = m01.mul(2).sub(1);
            run.times.charge(StageTimes.Part.NETWORKS);
            NDArray randX = TrainingRun.gaussian(step, rnd, s2.batchSize(), detailDim);
            NDArray randM = TrainingRun.gaussian(step, rnd, s2.batchSize(), detailDim);
            run.times.charge(StageTimes.Part.SAMPLING);
            NDList fakes = GeneratorSteps.experts(nets, ps, s2, x, m, randX, randM, losses);
            NDArray xFromM = fakes.get(0);
            NDArray mFromX = fakes.get(1);
            run.times.charge(StageTimes.Part.NETWORKS);
            if (run.guard.check(2, iteration, total, losses, optimisers.get(UtadNetworks.EXPERT_IMAGE),
                    optimisers.get(UtadNetworks.EXPERT_IMPRESSION))) {
                optimisers.get(UtadNetworks.EXPERT_IMAGE).step(lr);
                optimisers.get(UtadNetworks.EXPERT_IMPRESSION).step(lr);
            }
            run.times.charge(StageTimes.Part.OPTIMISER);
            if (s2.ganWeight() > 0) {
                Adam.zeroGradients(di);
                Adam.zeroGradients(dm);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray d = Losses.lsganDiscriminator(di, ps, x, xFromM.stopGradient())
                            .add(Losses.lsganDiscriminator(dm, ps, m, mFromX.stopGradient()));
                    losses.put("disc", (double) d.getFloat());
                    gc.backward(d);
                }
                run.times.charge(StageTimes.Part.NETWORKS);
                if (run.guard.check(2, iteration, total, losses, optimisers.get(UtadNetworks.DISC_IMAGE),
                        optimisers.get(UtadNetworks.DISC_IMPRESSION))) {
                    optimisers.get(UtadNetworks.DISC_IMAGE).step(lr);
                    optimisers.get(UtadNetworks.DISC_IMPRESSION).step(lr);
                }
                run.times.charge(StageTimes.Part.OPTIMISER);
            }
        }, () -> {
            double val = run.validation.validate2(ps, valSamples);
            if (val < state.bestValidation2) {
                state.bestValidation2 = val;
                run.keepBest(UtadNetworks.EXPERT_IMAGE, gi);
                run.keepBest(UtadNetworks.EXPERT_IMPRESSION, gm);
            }
            return val;
        });
    }
}
