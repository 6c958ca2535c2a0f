package org.utad.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;

/** Small factories for the convolution patterns the UTAD networks repeat, so each is written once. */
final class Layers {
    private Layers() {
    }

    /**
     * A square convolution with zero padding.
     *
     * @param filters output channels
     * @param kernel  kernel size
     * @param stride  stride
     * @param pad     zero padding on each side
     * @param bias    whether to add a bias (pointless before a normalisation that removes it)
     * @return the convolution block
     */
    static Conv2d conv(int filters, int kernel, int stride, int pad, boolean bias) {
        return new Aligned.Conv2d(Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(pad, pad)).optBias(bias));
    }

    /**
     * MUNIT's padded convolution: reflection padding, then a convolution without zero padding.
     *
     * @param filters output channels
     * @param kernel  kernel size
     * @param stride  stride
     * @param pad     reflection padding on each side
     * @param bias    whether to add a bias
     * @return a sequential block [ReflectionPad2d(pad), Conv2d]
     */
    static SequentialBlock reflectConv(int filters, int kernel, int stride, int pad, boolean bias) {
        SequentialBlock block = new Sequential();
        if (pad > 0) {
            block.add(new ReflectionPad2d(pad));
        }
        return block.add(conv(filters, kernel, stride, 0, bias));
    }
}
