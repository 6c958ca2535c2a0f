package org.utad.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.utad.engine.ScriptedOps;

/**
 * Adam for the parameters of one network, written out so that the GAN steps stay under our
 * control: DJL's PyTorch gradients accumulate across backward passes, and a generator step also
 * leaves gradients in the discriminator, so every step here reads and then zeroes exactly the
 * gradients of its own network. Its moment estimates can be saved and restored, so a resumed run
 * continues where it stopped instead of restarting the optimiser.
 */
public final class Adam {
    /** First-moment decay of the IE-Net's optimiser, as in the reference. */
    public static final float BETA1_IE_NET = 0.9f;
    /** First-moment decay of the adversarially trained networks' optimisers (the GAN convention). */
    public static final float BETA1_GAN = 0.5f;
    /** Second-moment decay of every optimiser here. */
    public static final float BETA2 = 0.999f;

    private final List<Parameter> params = new ArrayList<>();
    private final List<NDArray> firstMoments = new ArrayList<>();
    private final List<NDArray> secondMoments = new ArrayList<>();
    private final float beta1;
    private final float beta2;
    private final float epsilon = 1e-8f;
    private final boolean fused;
    private long steps;

    /**
     * @param network an initialised network; its trainable parameters are optimised
     * @param manager owns the moment estimates (the same lifetime as the network)
     * @param beta1   first-moment decay (0.5 for GANs as in the reference, 0.9 otherwise)
     * @param beta2   second-moment decay (0.999)
     */
    public Adam(Block network, NDManager manager, float beta1, float beta2) {
        this(network, manager, beta1, beta2, ScriptedOps.fusesAdam());
    }

    /**
     * @param network an initialised network; its trainable parameters are optimised
     * @param manager owns the moment estimates
     * @param beta1   first-moment decay
     * @param beta2   second-moment decay
     * @param fused   whether to update in libtorch's fused kernel ({@link ScriptedOps#fusedAdam}) or one
     *                parameter at a time through DJL; the tests compare the two
     */
    Adam(Block network, NDManager manager, float beta1, float beta2, boolean fused) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.fused = fused;
        for (Pair<String, Parameter> p : network.getParameters()) {
            Parameter param = p.getValue();
            if (param.requiresGradient()) {
                params.add(param);
                firstMoments.add(manager.zeros(param.getArray().getShape()));
                secondMoments.add(manager.zeros(param.getArray().getShape()));
            }
        }
    }

    /**
     * Applies one update with the accumulated gradients g, then zeroes them: m = beta1 m + (1 - beta1) g,
     * v = beta2 v + (1 - beta2) g^2, w -= lr sqrt(1 - beta2^t) / (1 - beta1^t) m / (sqrt(v) + 1e-8),
     * Adam with its bias correction folded into the step size.
     *
     * <p>When the TorchScript helper has loaded, libtorch's fused kernel updates every parameter in one
     * call, reading and writing each weight, moment and gradient once. DJL's update is a dozen
     * operations per parameter with temporaries; it remains the fallback. The fused kernel adds its
     * epsilon after dividing by sqrt(1 - beta2^t), so it is given 1e-8 / sqrt(1 - beta2^t): the same
     * formula, the same values to rounding.
     *
     * @param learningRate the step size
     */
    public void step(float learningRate) {
        steps++;
        if (fused) {
            List<NDArray> weights = new ArrayList<>(params.size());
            for (Parameter p : params) {
                weights.add(p.getArray());
            }
            ScriptedOps.fusedAdam(weights, firstMoments, secondMoments, learningRate, beta1, beta2,
                    epsilon / Math.sqrt(1 - Math.pow(beta2, steps)), steps);
            return;
        }
        float corr1 = (float) (1 - Math.pow(beta1, steps));
        float corr2 = (float) (1 - Math.pow(beta2, steps));
        float stepSize = (float) (learningRate * Math.sqrt(corr2) / corr1);
        for (int i = 0; i < params.size(); i++) {
            NDArray weight = params.get(i).getArray();
            try (NDArray grad = weight.getGradient()) {
                // DJL's update computes exactly this formula, the moments and the weight in place, and
                // zeroes the gradient in place: one call into the engine per parameter, a dozen
                // operations inside it (docs/BENCHMARKS.md, "Speed against PyTorch and the machine").
                weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, firstMoments.get(i),
                        secondMoments.get(i)), new NDList(weight), learningRate, stepSize, 0f, 1f, -1f, beta1, beta2,
                        epsilon, false, false);
            }
        }
    }

    /**
     * Sets every gradient of this optimiser's parameters to zero, NaN included (subtracting a gradient
     * from itself leaves NaN in place). Used when a step is skipped.
     */
    public void clearGradients() {
        for (Parameter param : params) {
            if (!param.getArray().hasGradient()) {
                continue;
            }
            try (NDArray grad = param.getArray().getGradient()) {
                zeroInPlace(grad);
            }
        }
    }

    /**
     * Writes zeros into an array's own memory, NaN and infinities included. Never use
     * {@code NDArray.set(Buffer)} on a gradient or any array that outlives the call: on PyTorch it
     * does not copy, it re-points the tensor at the Java buffer, which the JVM frees once the Java
     * handle is gone; the gradient then lives in freed memory, and the next backward pass writes
     * into it and corrupts the native heap (the crashes of docs/NUMERICS.md, "stage 2").
     *
     * @param array the array to clear
     */
    static void zeroInPlace(NDArray array) {
        // The zero is an array of our own scope: given a number, DJL would create one on the
        // gradient's long-lived manager per call and leave it there.
        try (NDManager scope = array.getManager().newSubManager();
             NDArray zero = scope.zeros(new Shape(), array.getDataType())) {
            array.set(all(), zero);
        }
    }

    /** @return an index of every element of an array of any rank (writes through it stay in place) */
    private static NDIndex all() {
        return new NDIndex("...");
    }

    /**
     * Whether every gradient this optimiser would apply is finite. Called before {@link #step}, so
     * that a NaN or infinite gradient stops training before it reaches the weights.
     *
     * @return false if any gradient holds NaN or an infinity
     */
    public boolean gradientsFinite() {
        List<NDArray> open = new ArrayList<>();
        try {
            NDList sums = new NDList();
            for (Parameter param : params) {
                if (!param.getArray().hasGradient()) {
                    continue;
                }
                NDArray grad = param.getArray().getGradient();
                open.add(grad);
                NDArray sum = grad.sum();
                open.add(sum);
                sums.add(sum);
            }
            if (sums.isEmpty()) {
                return true;
            }
            // One read back from the engine for all parameters: each read waits for the engine.
            NDArray stacked = NDArrays.stack(sums);
            open.add(stacked);
            NDArray total = stacked.sum();
            open.add(total);
            return Float.isFinite(total.getFloat());
        } finally {
            open.forEach(NDArray::close);
        }
    }

    /**
     * Zeroes the gradients of a network without updating it, for gradients that leaked into it
     * from another network's step.
     *
     * @param network the network
     */
    public static void zeroGradients(Block network) {
        for (Pair<String, Parameter> p : network.getParameters()) {
            Parameter param = p.getValue();
            if (param.requiresGradient() && param.getArray().hasGradient()) {
                try (NDArray grad = param.getArray().getGradient()) {
                    zeroInPlace(grad);
                }
            }
        }
    }

    /**
     * Makes every trainable parameter of a network record gradients again. Loading parameters
     * replaces their arrays with ones that do not, so a resumed network needs this before training.
     *
     * @param network the network
     */
    public static void trackGradients(Block network) {
        for (Pair<String, Parameter> p : network.getParameters()) {
            Parameter param = p.getValue();
            if (param.requiresGradient() && !param.getArray().hasGradient()) {
                param.getArray().setRequiresGradient(true);
            }
        }
    }

    /** @return whether the updates run in libtorch's fused kernel */
    boolean fused() {
        return fused;
    }

    /** @return number of updates applied so far */
    public long steps() {
        return steps;
    }

    /** @return the optimiser state (step count and moments) as bytes, for checkpoints */
    public byte[] encodeState() {
        NDList list = new NDList();
        NDManager m = firstMoments.isEmpty() ? null : firstMoments.get(0).getManager();
        if (m == null) {
            return new byte[0];
        }
        try (NDManager tmp = m.newSubManager()) {
            list.add(tmp.create(new long[] {steps}));
            list.addAll(firstMoments);
            list.addAll(secondMoments);
            return list.encode();
        }
    }

    /**
     * Restores a state written by {@link #encodeState()}.
     *
     * @param bytes the saved state
     * @throws IllegalArgumentException if it does not fit this network
     */
    public void decodeState(byte[] bytes) {
        if (bytes.length == 0 || firstMoments.isEmpty()) {
            return;
        }
        NDManager m = firstMoments.get(0).getManager();
        try (NDManager tmp = m.newSubManager()) {
            NDList list = NDList.decode(tmp, bytes);
            if (list.size() != 1 + 2 * params.size()) {
                throw new IllegalArgumentException("Optimiser state has " + list.size() + " arrays, expected "
                        + (1 + 2 * params.size()));
            }
            steps = list.get(0).toLongArray()[0];
            for (int i = 0; i < params.size(); i++) {
                copyInto(list.get(1 + i), firstMoments.get(i));
                copyInto(list.get(1 + params.size() + i), secondMoments.get(i));
            }
        }
    }

    private static void copyInto(NDArray src, NDArray dst) {
        if (!src.getShape().equals(dst.getShape())) {
            throw new IllegalArgumentException("Optimiser state shape " + src.getShape() + " does not match "
                    + dst.getShape());
        }
        dst.set(all(), src);
    }
}
