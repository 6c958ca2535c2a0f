package org.utad.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;

/**
 * Counts the floating-point operations of one forward pass of a network from its layer shapes, so
 * that a measured time can be turned into an achieved rate and compared with what the machine can
 * do (docs/BENCHMARKS.md, "Speed against PyTorch and the machine").
 *
 * <p>Only convolutions and fully connected layers are counted, as two operations (a multiply and
 * an add) per weight use: {@code 2 x output elements x (input channels / groups) x kernel area}.
 * Normalisations, activations, poolings and up-sampling are left out: they are a few operations
 * per element against hundreds per element in a convolution, and counting them would mix work the
 * machine does at very different rates. The block must have been initialised with the input shape
 * of interest: DJL records each layer's input shape at initialisation, and the count reads those.
 */
public final class FlopCount {
    private FlopCount() {
    }

    /**
     * The operations of one forward pass of an initialised block at the input shape it was
     * initialised with.
     *
     * @param block an initialised network or layer
     * @return the multiply and add operations of its convolutions and fully connected layers
     * @throws IllegalStateException if a counted layer was never initialised
     */
    public static long forward(Block block) {
        if (block instanceof Convolution) {
            return convolution((Convolution) block);
        }
        if (block instanceof Linear) {
            Shape in = inputOf(block);
            Shape out = block.getOutputShapes(new Shape[] {in})[0];
            return 2L * out.size() * in.get(in.dimension() - 1);
        }
        long sum = 0;
        for (Block child : block.getChildren().values()) {
            sum += forward(child);
        }
        return sum;
    }

    /**
     * The operations of one training step of a network whose every layer takes part in the backward
     * pass: the forward pass, then the gradients with respect to the layer inputs and to the weights,
     * each as costly as the forward pass. (The first layer needs no input gradient, so this is a
     * slight over-count, the usual convention.)
     *
     * @param block an initialised network
     * @return three times {@link #forward(Block)}
     */
    public static long training(Block block) {
        return 3 * forward(block);
    }

    private static long convolution(Convolution conv) {
        Shape in = inputOf(conv);
        Shape out = conv.getOutputShapes(new Shape[] {in})[0];
        long inPerGroup = in.get(1) / conv.getGroups();
        return 2L * out.size() * inPerGroup * conv.getKernelShape().size();
    }

    private static Shape inputOf(Block layer) {
        Shape[] shapes = layer.isInitialized() ? layer.getInputShapes() : null;
        if (shapes == null || shapes.length == 0) {
            throw new IllegalStateException("Initialise the network before counting its operations: " + layer
                    + " has no input shape");
        }
        return shapes[0];
    }
}
