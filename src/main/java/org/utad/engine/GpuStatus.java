package org.utad.engine;

/**
 * What a {@link GpuProbe} found: how many GPUs the loaded engine can use and, when a GPU is present
 * but cannot be used, why and what to do about it.
 *
 * @param usableGpus CUDA GPUs the loaded PyTorch natives can run on (0 when none)
 * @param problem    for a GPU that is present but unusable, the reason with the remedy, in words for
 *                   the user; null when there is no GPU or it is usable
 */
public record GpuStatus(int usableGpus, String problem) {
    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException for a negative GPU count
     */
    public GpuStatus {
        if (usableGpus < 0) {
            throw new IllegalArgumentException("GPU count must not be negative: " + usableGpus);
        }
        problem = problem == null || problem.isBlank() ? null : problem;
    }

    /** @return whether at least one GPU can be used */
    public boolean usable() {
        return usableGpus > 0;
    }
}
