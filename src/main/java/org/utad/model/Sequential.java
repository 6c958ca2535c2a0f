package org.utad.model;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;

/**
 * DJL's {@link SequentialBlock} with its parameters' initialisation checked once instead of on every
 * training forward pass ({@link InitialisedOnce} says why).
 */
final class Sequential extends SequentialBlock {
    /**
     * The name DJL gives a nested sequence, from its class. Parameter names are built from it: model
     * manifests and the PyTorch peer's parameter map use them, so a nested sequence keeps it.
     */
    private static final String CHILD_NAME = SequentialBlock.class.getSimpleName();

    private final InitialisedOnce once = new InitialisedOnce();

    /**
     * Appends a block, named like DJL names it (by its class), a nested sequence as DJL's own.
     *
     * @param block the block to run after the ones added so far; null is ignored, as by DJL
     * @return this sequence
     */
    @Override
    public SequentialBlock add(Block block) {
        if (block instanceof Sequential) {
            addChildBlock(CHILD_NAME, block);
            return this;
        }
        return super.add(block);
    }

    /** @return whether every parameter of the sequence is initialised (remembered once true) */
    @Override
    public boolean isInitialized() {
        return once.check(super::isInitialized);
    }
}
