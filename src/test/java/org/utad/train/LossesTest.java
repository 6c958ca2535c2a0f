package org.utad.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.utad.config.DiscriminatorConfig;
import org.utad.engine.Engines;
import org.utad.model.MultiScaleDiscriminator;

/** The discriminator loss scored in one pass gives the loss and gradients of two passes. */
class LossesTest {
    @BeforeAll
    static void engine() {
        Engines.offline();
        Engines.engine();
        Engine.getInstance().setRandomSeed(5);
    }

    @Test
    void discriminatorLossInOnePassEqualsTheLossOfTwoPasses() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block d = new MultiScaleDiscriminator(1, new DiscriminatorConfig(4, 3, 2));
            Shape in = new Shape(3, 1, 64, 64);
            d.initialize(manager, DataType.FLOAT32, in);
            Adam.trackGradients(d);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray real = manager.randomUniform(-1, 1, in);
            // Fakes unlike the reals, so that a mix-up of the two halves changes the loss.
            NDArray fake = manager.randomUniform(-1, 1, in).mul(0.3f).add(0.5f);
            List<float[]> twoPasses = lossAndGradients(d, () -> Losses.lsganDiscriminator(
                    d.forward(ps, new NDList(real), true), d.forward(ps, new NDList(fake), true)));
            List<float[]> onePass = lossAndGradients(d, () -> Losses.lsganDiscriminator(d, ps, real, fake));
            List<float[]> swapped = lossAndGradients(d, () -> Losses.lsganDiscriminator(d, ps, fake, real));
            float loss = twoPasses.get(0)[0];
            assertEquals(loss, onePass.get(0)[0], 1e-5f * Math.abs(loss));
            assertTrue(Math.abs(swapped.get(0)[0] - loss) > 1e-3f * Math.abs(loss), "real and fake must not be mixed up");
            for (int i = 1; i < twoPasses.size(); i++) {
                float[] a = twoPasses.get(i);
                float[] b = onePass.get(i);
                float scale = 0;
                for (float v : a) {
                    scale = Math.max(scale, Math.abs(v));
                }
                assertTrue(scale > 0, "parameter " + i + " has no gradient");
                for (int j = 0; j < a.length; j++) {
                    assertEquals(a[j], b[j], 1e-4f * scale, "gradient of parameter " + i + ", element " + j);
                }
            }
        }
    }

    /** Zeroes the gradients, runs one loss and its backward pass; returns the loss, then every gradient. */
    private static List<float[]> lossAndGradients(Block d, Supplier<NDArray> loss) {
        Adam.zeroGradients(d);
        List<float[]> result = new ArrayList<>();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray value = loss.get();
            result.add(new float[] {value.getFloat()});
            collector.backward(value);
        }
        for (Pair<String, Parameter> p : d.getParameters()) {
            if (p.getValue().requiresGradient()) {
                result.add(p.getValue().getArray().getGradient().toFloatArray());
            }
        }
        return result;
    }
}
