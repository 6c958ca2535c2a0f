package org.utad.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.utad.config.Stage1Config;
import org.utad.data.TrainingSet;
import org.utad.model.UtadNetworks;

/**
 * Stage 1 of UTAD: the IE-Net learns to reconstruct images through its narrow bottleneck (L2, weight
 * 100), while a multi-scale LSGAN discriminator (weight 0.1) keeps the impressions image-like. The
 * learning rate drops tenfold at each of the configured fractions of the stage. The IE-Net that did
 * best on validation is put back at the end.
 */
final class Stage1Loop {
    private Stage1Loop() {
    }

    /**
     * Runs stage 1 from the state's iteration to the end of the stage.
     *
     * @param run        the training run
     * @param train      the training samples
     * @param valSamples the fixed validation samples
     */
    static void run(TrainingRun run, TrainingSet train, List<float[]> valSamples) {
        Stage1Config s1 = run.config.stage1();
        TrainerState state = run.state;
        UtadNetworks nets = run.nets;
        int total = s1.iterations();
        ParameterStore ps = new ParameterStore(run.manager, false);
        Adam optIe = run.optimisers.get(UtadNetworks.IE_NET);
        Adam optD = run.optimisers.get(UtadNetworks.IE_DISCRIMINATOR);
        run.runStage(1, total, s1.batchSize(), (step, iteration, losses) -> {
            float lr = (float) (s1.learningRate() * Math.pow(0.1, decaysPassed(s1.decayAt(), iteration, total)));
            NDList pair = train.samplePairs(step, s1.batchSize(), run.random(iteration, 1), run.config.augment(),
                    s1.corruption());
            NDArray x = pair.get(0);
            NDArray input = pair.get(1);
            run.times.charge(StageTimes.Part.SAMPLING);
            NDArray impression = GeneratorSteps.ieNet(nets, ps, s1, x, input, losses);
            run.times.charge(StageTimes.Part.NETWORKS);
            if (run.guard.check(1, iteration, total, losses, optIe)) {
                optIe.step(lr);
            }
            run.times.charge(StageTimes.Part.OPTIMISER);
            if (s1.ganWeight() > 0) {
                Adam.zeroGradients(nets.ieDiscriminator());
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray d = Losses.lsganDiscriminator(nets.ieDiscriminator(), ps, x, impression.stopGradient());
                    losses.put("disc", (double) d.getFloat());
                    gc.backward(d);
                }
                run.times.charge(StageTimes.Part.NETWORKS);
                if (run.guard.check(1, iteration, total, losses, optD)) {
                    optD.step(lr);
                }
                run.times.charge(StageTimes.Part.OPTIMISER);
            }
        }, () -> {
            double val = run.validation.validate1(ps, valSamples);
            if (val < state.bestValidation1) {
                state.bestValidation1 = val;
                run.keepBest(UtadNetworks.IE_NET, nets.ieNet());
            }
            return val;
        });
        run.loadBest(UtadNetworks.IE_NET, nets.ieNet());
    }

    /** How many of the learning-rate drops (fractions of the stage) an iteration has passed. */
    static int decaysPassed(double[] decayAt, int iter, int total) {
        int n = 0;
        for (double f : decayAt) {
            if (iter >= f * total) {
                n++;
            }
        }
        return n;
    }
}
