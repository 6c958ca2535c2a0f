package org.utad.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Arrays whose memory the engine owns, for values that autograd keeps for the backward pass: a
 * multiplication's or division's number, a convolution's fixed kernel, a gather's index table.
 *
 * <p>Why: on the CPU, DJL 0.36 builds an array from Java data ({@code NDManager.create(float[])} and
 * the like) on top of a direct Java buffer, without a copy, and only the array's Java object keeps that
 * buffer alive. {@code NDArray.mul(Number)}, {@code div(Number)} and the other forms with a number wrap
 * the number that way and close the wrapper right after the operation. Autograd still holds the
 * tensor, but once the wrapper is closed nothing keeps the buffer: a Java garbage collection between
 * the forward and the backward pass frees it, the memory is handed out again, and the backward pass
 * multiplies by whatever it now holds. The gradients are then silently wrong, and usually finite. A
 * training step repeated while another thread made the collector free direct buffers gave different
 * gradients in 19 of 19 repetitions (docs/NUMERICS.md); the more a JVM collects, the more steps are hit.
 *
 * <p>The arrays here are made or copied by the engine, so their memory lives as long as any tensor
 * uses it. Additions and subtractions of a number are safe with DJL's own forms: their backward pass
 * does not read the number. Without gradients (detection) nothing keeps the number past the
 * operation, so DJL's forms are safe there too.
 */
public final class OwnedArrays {
    private OwnedArrays() {
    }

    /**
     * {@code x * v} with the number in engine-owned memory, safe to differentiate.
     *
     * @param x the array
     * @param v the factor
     * @return a new array in x's manager
     */
    public static NDArray times(NDArray x, double v) {
        try (NDArray factor = scalar(x, v)) {
            return x.mul(factor);
        }
    }

    /**
     * {@code x / v} with the number in engine-owned memory, safe to differentiate.
     *
     * @param x the array
     * @param v the divisor
     * @return a new array in x's manager
     */
    public static NDArray dividedBy(NDArray x, double v) {
        try (NDArray divisor = scalar(x, v)) {
            return x.div(divisor);
        }
    }

    /**
     * An engine-owned copy of Java values: a fixed kernel or index table that autograd may keep.
     *
     * @param manager the scope that owns the result
     * @param values  the values
     * @param shape   their shape
     * @return a new array in the manager, whose memory the engine owns
     */
    public static NDArray of(NDManager manager, float[] values, Shape shape) {
        try (NDArray javaBacked = manager.create(values, shape)) {
            return javaBacked.duplicate();
        }
    }

    /**
     * An engine-owned copy of Java indices, for a gather whose backward pass reads them again.
     *
     * @param manager the scope that owns the result
     * @param values  the indices
     * @param shape   their shape
     * @return a new int64 array in the manager, whose memory the engine owns
     */
    public static NDArray of(NDManager manager, long[] values, Shape shape) {
        try (NDArray javaBacked = manager.create(values, shape)) {
            return javaBacked.duplicate();
        }
    }

    /**
     * A zero-dimensional array of x's type on x's device, filled by the engine. A float factor of
     * a float array is rounded to float exactly as the engine rounds DJL's wrapped number, so the
     * results are the same bits as {@code x.mul(v)}.
     */
    private static NDArray scalar(NDArray x, double v) {
        return x.getManager().full(new Shape(), (float) v, x.getDataType(), x.getDevice());
    }
}
