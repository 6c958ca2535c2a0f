package org.utad.model;

import ai.djl.nn.AbstractBlock;

/**
 * The base of this package's blocks: a DJL {@link AbstractBlock} that checks its parameters'
 * initialisation once instead of on every training forward pass ({@link InitialisedOnce} says why).
 */
abstract class InitialisedBlock extends AbstractBlock {
    private final InitialisedOnce once = new InitialisedOnce();

    /** @return whether every parameter of this block and its children is initialised (remembered once true) */
    @Override
    public boolean isInitialized() {
        return once.check(super::isInitialized);
    }
}
