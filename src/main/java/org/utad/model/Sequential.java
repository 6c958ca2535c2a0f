package org.utad.model;

import ai.djl.nn.SequentialBlock;

/**
 * DJL's {@link SequentialBlock} with its parameters' initialisation checked once instead of on every
 * training forward pass ({@link InitialisedOnce} says why).
 */
final class Sequential extends SequentialBlock {
    private final InitialisedOnce once = new InitialisedOnce();

    /** @return whether every parameter of the sequence is initialised (remembered once true) */
    @Override
    public boolean isInitialized() {
        return once.check(super::isInitialized);
    }
}
