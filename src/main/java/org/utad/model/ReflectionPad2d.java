package org.utad.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.utad.engine.ScriptedOps;

/**
 * Reflection padding of the two spatial axes of an NCHW tensor, like
 * {@code torch.nn.ReflectionPad2d(pad)}: the border pixel is the mirror axis and is not repeated,
 * so row {@code -k} equals row {@code k}.
 *
 * <p>MUNIT pads with reflection so that convolutions do not see an artificial dark frame; DJL only
 * pads with constants. libtorch's own reflection padding is reached through {@link ScriptedOps}: one
 * native operation forward and one backward. Where it is not reachable the padding is built from
 * DJL's operations: while gradients are recorded from slices, flips and concatenations, so it is
 * differentiable (the gradient of a mirrored pixel adds up on its source pixel); without them as a
 * constant padding whose borders are overwritten in place, the cheaper form for detection. All give
 * the same values.
 */
public final class ReflectionPad2d extends InitialisedBlock {
    private final int pad;

    /**
     * Creates the block.
     *
     * @param pad pixels added on each of the four sides, at least 0
     * @throws IllegalArgumentException if the padding is negative
     */
    public ReflectionPad2d(int pad) {
        if (pad < 0) {
            throw new IllegalArgumentException("Padding must not be negative, got " + pad);
        }
        this.pad = pad;
    }

    /** @return the padding on each side */
    public int getPad() {
        return pad;
    }

    /**
     * Pads one tensor.
     *
     * @param x   an NCHW tensor whose height and width exceed {@code pad}
     * @param pad pixels to add on each side
     * @return the tensor of shape (N, C, H + 2 pad, W + 2 pad)
     * @throws IllegalArgumentException if the image is too small to reflect that far
     */
    public static NDArray pad(NDArray x, int pad) {
        if (pad == 0) {
            return x;
        }
        Shape s = x.getShape();
        if (s.get(2) <= pad || s.get(3) <= pad) {
            throw new IllegalArgumentException("Reflection padding of " + pad + " needs an image larger than "
                    + pad + " pixels, got " + s.get(2) + " x " + s.get(3));
        }
        if (ScriptedOps.reflects(x, pad)) {
            return ScriptedOps.reflectionPad(x, pad);
        }
        return builtUp(x, pad);
    }

    /**
     * The padding built from DJL's own operations, for when libtorch's native one is not reachable
     * ({@link ScriptedOps#reflects(NDArray, int)}). Same values; the gradients add up the same terms.
     *
     * @param x   an NCHW tensor whose height and width exceed {@code pad}, checked by the caller
     * @param pad pixels to add on each side, at least 1
     * @return the tensor of shape (N, C, H + 2 pad, W + 2 pad)
     */
    static NDArray builtUp(NDArray x, int pad) {
        Shape s = x.getShape();
        if (!JniUtils.isGradMode()) {
            return filled(x, s.get(2), s.get(3), pad);
        }
        return padAxis(padAxis(x, 3, s.get(3), pad), 2, s.get(2), pad);
    }

    /**
     * The padding written once: a zero-padded copy whose four borders are then overwritten in place
     * with the mirrored strips, left and right first, then top and bottom (which thereby carry the
     * corners). One full copy instead of the two concatenations' two, and fewer engine calls: in the
     * detection step it saved 7-9 % (docs/BENCHMARKS.md). Only without gradients, since it writes
     * into its own result. The indices are built, not parsed: DJL parses an index string with
     * regular expressions on every call, which made this method a third of the detection step's Java
     * time and allocation. A strip one pixel wide is written without a flip (it is its own mirror).
     */
    private static NDArray filled(NDArray x, long height, long width, int pad) {
        NDArray out = x.pad(new Shape(pad, pad, pad, pad), 0);
        long rowEnd = pad + height;
        try (NDArray left = mirrored(out.get(columns(pad, rowEnd, pad + 1, 2 * pad + 1)), 3, pad);
             NDArray right = mirrored(out.get(columns(pad, rowEnd, width - 1, width - 1 + pad)), 3, pad)) {
            out.set(columns(pad, rowEnd, 0, pad), left);
            out.set(columns(pad, rowEnd, pad + width, width + 2 * pad), right);
        }
        try (NDArray top = mirrored(out.get(rows(pad + 1, 2 * pad + 1)), 2, pad);
             NDArray bottom = mirrored(out.get(rows(height - 1, height - 1 + pad)), 2, pad)) {
            out.set(rows(0, pad), top);
            out.set(rows(pad + height, height + 2 * pad), bottom);
        }
        return out;
    }

    /**
     * The mirror image of a strip: flipped along {@code axis}, or the strip itself when it is one
     * pixel wide (its own mirror image). A flipped strip's own handle is closed; while gradients are
     * recorded, autograd keeps what the flip's backward pass needs.
     */
    private static NDArray mirrored(NDArray strip, int axis, int pad) {
        if (pad == 1) {
            return strip;
        }
        try (NDArray view = strip) {
            return view.flip(axis);
        }
    }

    /** @return the index of rows {@code [rowFrom, rowTo)} and columns {@code [from, to)} of every plane */
    private static NDIndex columns(long rowFrom, long rowTo, long from, long to) {
        return new NDIndex().addAllDim(2).addSliceDim(rowFrom, rowTo).addSliceDim(from, to);
    }

    /** @return the index of rows {@code [from, to)} of every plane */
    private static NDIndex rows(long from, long to) {
        return new NDIndex().addAllDim(2).addSliceDim(from, to);
    }

    private static NDArray padAxis(NDArray x, int axis, long size, int pad) {
        // Splits instead of index expressions: DJL turns an index into a slice per axis, and while
        // training each slice's backward pass fills a zero array of the whole input, so splitting
        // cuts the engine calls and zero fills of every padded convolution (issue 17).
        NDArray before;
        NDArray after;
        if (size >= 2L * pad + 2) {
            // One split hands out both mirrored strips: one zero fill in the backward pass instead of
            // two, and one fewer gradient to add up.
            NDList parts = x.split(new long[] {1, pad + 1, size - 1 - pad, size - 1}, axis);
            before = parts.get(1);
            after = parts.get(3);
        } else {
            // The two strips overlap on images narrower than 2 pad + 2, so each needs its own split.
            before = x.split(new long[] {1, pad + 1}, axis).get(1);
            after = x.split(new long[] {size - 1 - pad, size - 1}, axis).get(1);
        }
        // The 3x3 convolutions' padding needs no flip, and each flip costs a copy forward and
        // another backward.
        return NDArrays.concat(new NDList(mirrored(before, axis, pad), x, mirrored(after, axis, pad)), axis);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(pad(inputs.singletonOrThrow(), pad));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), s.get(2) + 2L * pad, s.get(3) + 2L * pad)};
    }

    @Override
    public String toString() {
        return "ReflectionPad2d(" + pad + ")";
    }
}
