package org.utad.engine;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps the memory that the engine frees for reuse, instead of handing it back to the operating
 * system after every operation.
 *
 * <p>Why: a training step or a batch of detection tiles allocates and frees hundreds of tensors of
 * a few hundred kilobytes to a few megabytes. With glibc's defaults, the freed memory at the top of
 * the heap is returned to the system at once and large blocks come from fresh mappings, so the next
 * step touches new pages, which the kernel must fault in and zero: on the 2-core benchmark machine
 * 1.9 million page faults in a 19 s run and a quarter of the detection time (docs/BENCHMARKS.md,
 * "Speed against PyTorch and the machine"). Raising glibc's mapping and trimming thresholds keeps
 * such blocks in the heap, where the next step finds them; the peak resident memory does not grow.
 *
 * <p>Only on Linux with glibc ({@code mallopt}); elsewhere, and when the user has set glibc's own
 * {@code MALLOC_*} variables or {@code -Dutad.nativeHeap=default}, nothing changes.
 */
public final class NativeHeap {
    /** System property that, set to {@code default}, leaves the allocator as the system set it. */
    public static final String PROPERTY = "utad.nativeHeap";
    /** Blocks below this size come from the heap, not from a fresh mapping (glibc's largest allowed value). */
    static final int MMAP_THRESHOLD = 32 << 20;
    /** Free memory at the top of the heap is returned to the system only beyond this. */
    static final int TRIM_THRESHOLD = 256 << 20;
    /** Extra memory requested with each heap growth, so that growing in small steps does not fault page by page. */
    static final int TOP_PAD = 64 << 20;
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;

    /** glibc's environment variables for the three settings, in the order of {@link #environment()}. */
    private static final String[] ENVIRONMENT = {"MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_"};

    private NativeHeap() {
    }

    /**
     * The same settings as glibc environment variables, for a child process that should run under
     * the heap this process runs under: the speed benchmark's PyTorch peer, so that neither side of a
     * comparison pays page faults the other does not.
     *
     * @return variable to value; empty when {@link #tune()} would leave the allocator alone (not
     *         Linux, {@code -Dutad.nativeHeap=default}, or {@code MALLOC_*} already set, which a
     *         child inherits anyway)
     */
    public static Map<String, String> environment() {
        if (declined() != null) {
            return Map.of();
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ENVIRONMENT[0], Integer.toString(MMAP_THRESHOLD));
        env.put(ENVIRONMENT[1], Integer.toString(TRIM_THRESHOLD));
        env.put(ENVIRONMENT[2], Integer.toString(TOP_PAD));
        return env;
    }

    /**
     * Tunes the allocator, once per process (calling again changes nothing).
     *
     * @return what was done, for the engine's diagnostics
     */
    public static synchronized String tune() {
        String declined = declined();
        if (declined != null) {
            return "native heap: " + declined;
        }
        try {
            Function mallopt = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("mallopt");
            boolean ok = mallopt.invokeInt(new Object[] {M_MMAP_THRESHOLD, MMAP_THRESHOLD}) == 1
                    & mallopt.invokeInt(new Object[] {M_TRIM_THRESHOLD, TRIM_THRESHOLD}) == 1
                    & mallopt.invokeInt(new Object[] {M_TOP_PAD, TOP_PAD}) == 1;
            return ok ? "native heap: freed blocks kept for reuse (mmap threshold 32 MB, trim threshold 256 MB)"
                    : "native heap: system defaults (the C library refused mallopt)";
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return "native heap: system defaults (mallopt unavailable: " + e.getMessage() + ")";
        }
    }

    /**
     * @return why the allocator is left as it is (the user's property, glibc's own variables in the
     *         environment, or not Linux), or null when it is to be tuned
     */
    private static String declined() {
        if ("default".equals(System.getProperty(PROPERTY))) {
            return "system defaults (-D" + PROPERTY + "=default)";
        }
        for (String name : ENVIRONMENT) {
            if (System.getenv(name) != null) {
                return "as set by " + name + " in the environment";
            }
        }
        return Platform.isLinux() ? null : "system defaults (tuning is for Linux)";
    }
}
