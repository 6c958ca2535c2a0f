package org.utad.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * Runs a block once, in training mode, on several sets of inputs stacked on the batch axis, and splits
 * every output back into one part per set. Only for blocks that treat each sample of a batch on its
 * own (per-sample normalisation, no batch norm): each part then equals the block's output on its own
 * set, and the step makes fewer, larger engine calls. Stage 2's decodes and both stages' discriminator
 * steps run this way (docs/BENCHMARKS.md, issue 17's eighth pass).
 */
final class Stacked {
    private Stacked() {
    }

    /**
     * @param block the block, whose samples do not interact
     * @param ps    the parameter store of the training run
     * @param sets  the input sets, each an NDList of the block's inputs, all with the same number of
     *              arrays; their batch sizes may differ
     * @return per set, in order, the block's outputs for that set's samples
     */
    static NDList[] forward(Block block, ParameterStore ps, NDList... sets) {
        int inputs = sets[0].size();
        NDList stacked = new NDList(inputs);
        for (int i = 0; i < inputs; i++) {
            NDList column = new NDList(sets.length);
            for (NDList set : sets) {
                column.add(set.get(i));
            }
            stacked.add(NDArrays.concat(column, 0));
        }
        long[] bounds = new long[sets.length - 1];
        long end = 0;
        for (int k = 0; k < bounds.length; k++) {
            end += sets[k].get(0).getShape().get(0);
            bounds[k] = end;
        }
        NDList[] parts = new NDList[sets.length];
        NDList outputs = block.forward(ps, stacked, true);
        for (int k = 0; k < sets.length; k++) {
            parts[k] = new NDList(outputs.size());
        }
        for (NDArray y : outputs) {
            NDList split = y.split(bounds, 0);
            for (int k = 0; k < sets.length; k++) {
                parts[k].add(split.get(k));
            }
        }
        return parts;
    }
}
