package org.utad.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The channels-last layout (NHWC in memory, NCHW in shape) for the IE-Net's training passes on the
 * CPU.
 *
 * <p>Why: with NCHW arrays, libtorch hands oneDNN's convolutions every input and output through a
 * layout reorder to its blocked format, computes BatchNorm's statistics one value at a time and pools
 * one value at a time; with channels-last arrays the convolutions read and write the arrays as they
 * are, and BatchNorm, max pooling, LeakyReLU, concatenation and nearest up-sampling all have
 * channels-last kernels that keep the layout and work on a vector of channels at a time. Every
 * operation of the IE-Net keeps it, so one conversion of the input is enough. A stage 1 step took
 * about three quarters of its time (docs/BENCHMARKS.md, issue 17's sixteenth pass). The values are
 * the same to rounding: the sums run in another order. The Expert-Nets stay NCHW: their instance and
 * layer norms return NCHW arrays, and converting before each convolution made the stage 2 step
 * slower (1.11 of its time, same pass).
 *
 * <p>Only training on the CPU uses it: detection and validation keep the NCHW forms the earlier
 * passes made fast, and GPUs are left as they were. It needs the TorchScript helper ({@link
 * ScriptedOps}); without it the IE-Net trains in NCHW as before.
 */
public final class ChannelsLast {
    /** How many {@link #suspend()} scopes are open on this thread. */
    private static final ThreadLocal<int[]> SUSPENSIONS = ThreadLocal.withInitial(() -> new int[1]);

    private ChannelsLast() {
    }

    /**
     * Whether a training pass that starts from {@code x} lays its maps out channels-last: {@code x}
     * lives on the CPU, the thread records gradients, the TorchScript helper loaded, {@code x} carries
     * no name (DJL reads a named input of a module as an argument's name), and no {@link #suspend()}
     * scope is open on this thread.
     *
     * @param x the pass's input
     * @return true when the pass should convert {@code x} with {@link #of}
     */
    public static boolean applies(NDArray x) {
        return SUSPENSIONS.get()[0] == 0 && x.getName() == null && JniUtils.isGradMode()
                && Device.Type.CPU.equals(x.getDevice().getDeviceType()) && ScriptedOps.loaded();
    }

    /**
     * {@code x} laid out channels-last, {@code x.contiguous(memory_format=torch.channels_last)}:
     * the same shape and values, recorded by autograd (its backward pass hands the gradient back in
     * {@code x}'s layout). An array that is already channels-last comes back as a new handle to the
     * same memory.
     *
     * @param x a 4-D array without a name, on which {@link #applies} is true
     * @return the channels-last array, owned by {@code x}'s manager
     * @throws IllegalStateException if the TorchScript helper did not load
     */
    public static NDArray of(NDArray x) {
        return ScriptedOps.callNamed(ScriptedOps.CHANNELS_LAST_METHOD, x);
    }

    /**
     * Whether {@code x} is laid out channels-last: its channels are the innermost axis of its memory
     * (stride 1), as in a channels-last array and in a view of some of its channels. That decides, for
     * the operations whose fastest form depends on the layout (max pooling, nearest up-sampling), which
     * form to take. Arrays with one channel or planes of one pixel are laid out alike either way and
     * count as NCHW. One call into libtorch (about 20 microseconds); false, without a call, when the
     * helper did not load or {@code x} has a name or is not 4-D.
     *
     * @param x any array
     * @return true when x is channels-last
     */
    public static boolean holds(NDArray x) {
        if (x.getName() != null || x.getShape().dimension() != 4 || !ScriptedOps.loaded()) {
            return false;
        }
        return ScriptedOps.answer(ScriptedOps.HOLDS_CHANNELS_LAST_METHOD, x);
    }

    /**
     * Opens a scope in which {@link #applies} says false on this thread, so that a training pass keeps
     * the NCHW layout: for comparing the two layouts' values and speed (the tests and the throw-away
     * timing harnesses). Scopes nest.
     *
     * @return the scope; closing it ends the suspension
     */
    public static Suspension suspend() {
        SUSPENSIONS.get()[0]++;
        return new Suspension();
    }

    /** An open {@link #suspend()} scope; close it on the thread that opened it. */
    public static final class Suspension implements AutoCloseable {
        private boolean open = true;

        private Suspension() {
        }

        /** Ends the suspension (once; later calls do nothing). */
        @Override
        public void close() {
            if (open) {
                open = false;
                SUSPENSIONS.get()[0]--;
            }
        }
    }
}
