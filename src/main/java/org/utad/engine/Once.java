package org.utad.engine;

import java.util.function.Supplier;

/**
 * A value computed at its first use and the same ever after, safely shared between threads. The
 * engine's facts that cost time to find (the GPU probe, the numerics self-check) are computed only
 * when someone asks, then never again, so that every report in a JVM quotes the same result.
 *
 * @param <T> the value's type
 */
final class Once<T> {
    private final Supplier<T> compute;
    private volatile T value;

    /**
     * @param compute computes the value; called at most once, and never with a result of null
     */
    Once(Supplier<T> compute) {
        this.compute = compute;
    }

    /** @return the value, computed now if this is its first use */
    T get() {
        T v = value;
        if (v != null) {
            return v;
        }
        synchronized (this) {
            if (value == null) {
                value = compute.get();
            }
            return value;
        }
    }
}
