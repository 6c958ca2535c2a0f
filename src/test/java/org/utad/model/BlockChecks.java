package org.utad.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.Supplier;
import org.utad.engine.Engines;

/** Checks shared by the block tests: engine start-up, gradient coverage and save/load round trips. */
final class BlockChecks {
    private BlockChecks() {
    }

    /** Starts DJL offline and seeds it, so that every test class sees the same random weights. */
    static void startEngine(int seed) {
        Engines.offline();
        Engines.engine();
        Engine.getInstance().setRandomSeed(seed);
    }

    /**
     * Runs a training-mode forward pass, back-propagates the sum of the means of all outputs, and
     * asserts that every trainable parameter received a gradient that is not all zeros.
     */
    static void assertEveryParameterGetsGradient(Block block, NDManager manager, NDList inputs) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDList outputs = block.forward(new ParameterStore(manager, false), inputs, true);
            NDArray loss = outputs.get(0).mean();
            for (int i = 1; i < outputs.size(); i++) {
                loss = loss.add(outputs.get(i).mean());
            }
            collector.backward(loss);
        }
        int trainable = 0;
        for (Pair<String, Parameter> pair : block.getParameters()) {
            Parameter parameter = pair.getValue();
            if (!parameter.requiresGradient()) {
                continue;
            }
            trainable++;
            try (NDManager scope = manager.newSubManager()) {
                NDArray gradient = parameter.getArray().getGradient();
                gradient.attach(scope);
                float magnitude = gradient.abs().sum().getFloat();
                assertTrue(magnitude > 0f && Float.isFinite(magnitude),
                        "no gradient reaches " + pair.getKey() + " (|grad| sum " + magnitude + ")");
            }
        }
        assertTrue(trainable > 0, "the block has no trainable parameters");
    }

    /**
     * Saves a block's parameters, loads them into a freshly built and initialised block, and asserts
     * that both give bit-identical inference outputs (and that the fresh block differed before loading).
     */
    static void assertSaveLoadIdentical(Block trained, Supplier<Block> fresh, NDManager manager, NDList inputs,
            Shape... inputShapes) throws IOException, MalformedModelException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            trained.saveParameters(out);
        }
        Block copy = fresh.get();
        copy.initialize(manager, DataType.FLOAT32, inputShapes);
        ParameterStore store = new ParameterStore(manager, false);
        NDList expected = trained.forward(store, inputs, false);
        NDList before = copy.forward(store, inputs, false);
        assertFalse(Arrays.equals(expected.get(0).toFloatArray(), before.get(0).toFloatArray()),
                "a fresh block should not already match the trained one");
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy.loadParameters(manager, in);
            assertEquals(-1, in.read(), "loading must consume exactly what saving wrote");
        }
        // A ParameterStore keeps the arrays it has handed out; loading replaces them, so use a new store.
        NDList actual = copy.forward(new ParameterStore(manager, false), inputs, false);
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).toFloatArray(), actual.get(i).toFloatArray(), 0f,
                    "output " + i + " differs after load");
        }
    }

    /** @return the output shapes of a forward pass, for comparison with getOutputShapes */
    static Shape[] shapes(NDList list) {
        Shape[] shapes = new Shape[list.size()];
        for (int i = 0; i < list.size(); i++) {
            shapes[i] = list.get(i).getShape();
        }
        return shapes;
    }
}
