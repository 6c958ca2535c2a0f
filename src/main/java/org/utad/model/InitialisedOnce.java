package org.utad.model;

import java.util.function.BooleanSupplier;

/**
 * Remembers that a block's parameters are initialised, once they are.
 *
 * <p>Why: DJL asks every block whether it is initialised on every forward pass that records
 * gradients, and answers by listing the parameters of the block's whole subtree, building each
 * parameter's name from its parents' names. In our nested networks every level repeats this for its
 * own subtree, so one stage 1 step built several hundred kilobytes of names and lists that it threw
 * away: a third of the Java allocation of a training step, and Java time while the engine's second
 * thread waits. Parameters do not become uninitialised again while a network is in use (loading a
 * model replaces their arrays with initialised ones), so the first true answer stands.
 */
final class InitialisedOnce {
    private volatile boolean initialised;

    /**
     * @param full the block's own full check
     * @return true once {@code full} has answered true; until then, its answer
     */
    boolean check(BooleanSupplier full) {
        if (!initialised) {
            initialised = full.getAsBoolean();
        }
        return initialised;
    }
}
