package org.utad.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
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
     * Runs stage 2 from the state's iteration to the end of the stage.
     *
     * @param run        the training run
     * @param train      the training samples
     * @param valSamples the fixed validation samples
     */
    static void run(TrainingRun run, TrainingSet train, List<float[]> valSamples) {
        Stage2Config s2 = run.config.stage2();
        TrainerState state = run.state;
        UtadNetworks nets = run.nets;
        Map<String, Adam> optimisers = run.optimisers;
        int total = s2.iterations();
        int validateEvery = Math.max(1, total / 20);
        ParameterStore ps = new ParameterStore(run.manager, false);
        ExpertGenerator gi = nets.expertImage();
        ExpertGenerator gm = nets.expertImpression();
        Block di = nets.discImage();
        Block dm = nets.discImpression();
        state.startStage();
        double rate = Double.NaN;
        int detailDim = run.config.expertNet().detailDim();
        for (; state.iteration < total; state.iteration++) {
            run.checkCancelled();
            int iteration = state.iteration;
            float lr = (float) (s2.learningRate() * Math.pow(0.5, iteration / s2.halveEvery()));
            Map<String, Double> losses = new LinkedHashMap<>();
            long t0 = System.nanoTime();
            try (NDManager step = run.manager.newSubManager()) {
                Random rnd = run.random(iteration, 2);
                NDArray x01 = train.sampleBatch(step, s2.batchSize(), rnd, run.config.augment());
                NDArray m01 = nets.ieNet().forward(ps, new NDList(x01), false).singletonOrThrow();
                NDArray x = x01.mul(2).sub(1);
                NDArray m = m01.mul(2).sub(1);
                NDArray randX = TrainingRun.gaussian(step, rnd, s2.batchSize(), detailDim);
                NDArray randM = TrainingRun.gaussian(step, rnd, s2.batchSize(), detailDim);
                NDList fakes = GeneratorSteps.experts(nets, ps, s2, x, m, randX, randM, losses);
                NDArray xFromM = fakes.get(0);
                NDArray mFromX = fakes.get(1);
                if (run.guard.check(2, iteration, total, losses, optimisers.get(UtadNetworks.EXPERT_IMAGE),
                        optimisers.get(UtadNetworks.EXPERT_IMPRESSION))) {
                    optimisers.get(UtadNetworks.EXPERT_IMAGE).step(lr);
                    optimisers.get(UtadNetworks.EXPERT_IMPRESSION).step(lr);
                }
                if (s2.ganWeight() > 0) {
                    Adam.zeroGradients(di);
                    Adam.zeroGradients(dm);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray d = Losses.lsganDiscriminator(di.forward(ps, new NDList(x), true),
                                        di.forward(ps, new NDList(xFromM.stopGradient()), true))
                                .add(Losses.lsganDiscriminator(dm.forward(ps, new NDList(m), true),
                                        dm.forward(ps, new NDList(mFromX.stopGradient()), true)));
                        losses.put("disc", (double) d.getFloat());
                        gc.backward(d);
                    }
                    if (run.guard.check(2, iteration, total, losses, optimisers.get(UtadNetworks.DISC_IMAGE),
                            optimisers.get(UtadNetworks.DISC_IMPRESSION))) {
                        optimisers.get(UtadNetworks.DISC_IMAGE).step(lr);
                        optimisers.get(UtadNetworks.DISC_IMPRESSION).step(lr);
                    }
                }
            }
            rate = ProgressReport.smoothedRate(rate, s2.batchSize() / ((System.nanoTime() - t0) / 1e9));
            double val = Double.NaN;
            if ((iteration + 1) % validateEvery == 0 || iteration + 1 == total) {
                val = run.validation.validate2(ps, valSamples);
                if (val < state.bestValidation2) {
                    state.bestValidation2 = val;
                    run.keepBest(UtadNetworks.EXPERT_IMAGE, gi);
                    run.keepBest(UtadNetworks.EXPERT_IMPRESSION, gm);
                }
            }
            run.progress.iteration(state, 2, total, losses, val, rate);
            run.periodicCheckpoint(total);
        }
        state.endStage(2);
    }
}
