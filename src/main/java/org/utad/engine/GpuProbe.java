package org.utad.engine;

/**
 * Says whether a CUDA GPU can be used, and if one is present but unusable, why.
 *
 * <p>Device resolution depends only on this interface, so tests simulate "GPU present", "no GPU" and
 * "GPU present but unusable" without a GPU; {@link Engines#probe()} is the real one, backed by the
 * started engine and by files the NVIDIA driver leaves on the host.
 */
@FunctionalInterface
public interface GpuProbe {
    /** @return the GPU situation now */
    GpuStatus probe();

    /**
     * A probe with a fixed answer: that many usable GPUs, no problem.
     *
     * @param usableGpus the count
     * @return the probe
     */
    static GpuProbe of(int usableGpus) {
        GpuStatus s = new GpuStatus(usableGpus, null);
        return () -> s;
    }

    /**
     * A probe that reports a GPU which is present but cannot be used.
     *
     * @param reason why, and what to do
     * @return the probe
     */
    static GpuProbe unusable(String reason) {
        GpuStatus s = new GpuStatus(0, reason);
        return () -> s;
    }
}
