package org.utad.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.utad.engine.AlignedConvolution;

/** Holder of the block-aligned layers; see {@link AlignedConvolution} for the engine fault they avoid. */
final class Aligned {
    private Aligned() {
    }

    /**
     * DJL's 2-D convolution whose forward pass goes through {@link AlignedConvolution}, so that training
     * on the CPU gives finite gradients on every x86-64 processor. The class is called {@code Conv2d}
     * on purpose: DJL names a block's parameters after its class ({@code 01Conv2d_weight}), and model
     * files written before this fix store those names.
     */
    static final class Conv2d extends ai.djl.nn.convolutional.Conv2d {
        Conv2d(ai.djl.nn.convolutional.Conv2d.Builder builder) {
            super(builder);
        }

        @Override
        protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            NDArray w = parameterStore.getValue(weight, x.getDevice(), training);
            NDArray b = includeBias ? parameterStore.getValue(bias, x.getDevice(), training) : null;
            return new NDList(AlignedConvolution.conv2d(x, w, b, stride, padding, dilation, groups));
        }
    }
}
