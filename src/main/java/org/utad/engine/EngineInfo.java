package org.utad.engine;

import java.util.List;

/**
 * Everything a user or a bug report needs to know about the engine actually running: versions, where
 * the natives came from, the devices, CUDA, the preference in force, and why a present GPU is not
 * used. {@link #text()} is what {@code utad engine} prints; {@link #summary()} is its first line, for
 * logs.
 *
 * @param djlVersion      DJL's version
 * @param pytorchVersion  the loaded PyTorch's version
 * @param nativesFlavor   "cpu", "cuNNN", "cuda" or "unknown"
 * @param route           how the natives were found, in words (bundled jar, CUDA download, user's libtorch)
 * @param nativesDir      the folder the natives were loaded from, or null if DJL did not say
 * @param djlCacheDir     DJL's cache folder for PyTorch natives
 * @param libraryPath     PYTORCH_LIBRARY_PATH in force with where it came from, or null
 * @param offline         whether DJL runs offline
 * @param preference      the preference read at start-up, with its file
 * @param savedPreference the preference now in the file, when it differs from the one in force (it
 *                        takes effect at the next start), else null
 * @param devices         the devices the engine offers, as labels ("cpu", "gpu 0 (...)")
 * @param cudaVersion     the CUDA runtime version when one is loaded, else null
 * @param cudnn           whether the loaded PyTorch was built with cuDNN
 * @param threads         PyTorch's intra-op and inter-op thread counts, in words
 * @param numerics        the result of the numerics self-check ({@link NumericsCheck#line()})
 * @param gpuProblem      why a present GPU cannot be used and what to do, or null
 * @param notes           what happened at start-up worth knowing (e.g. a failed CUDA download)
 */
public record EngineInfo(String djlVersion, String pytorchVersion, String nativesFlavor, String route,
                         String nativesDir, String djlCacheDir, String libraryPath, boolean offline, String preference,
                         String savedPreference, List<String> devices, String cudaVersion, boolean cudnn,
                         String threads, String numerics, String gpuProblem, List<String> notes) {

    /** Copies the lists so the record stays unchanged. */
    public EngineInfo {
        devices = List.copyOf(devices);
        notes = List.copyOf(notes);
    }

    /** @return one line for logs, e.g. "DJL 0.36.0, PyTorch 2.7.1 (cpu natives), GPUs: 0" */
    public String summary() {
        long gpus = devices.stream().filter(d -> d.startsWith("gpu")).count();
        return "DJL " + djlVersion + ", PyTorch " + pytorchVersion + " (" + nativesFlavor + " natives), GPUs: " + gpus;
    }

    /** @return the full description, one fact per line */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append(summary()).append('\n');
        line(b, "natives", (nativesDir == null ? "location not reported by DJL" : nativesDir) + " (" + route + ")");
        line(b, "DJL cache", djlCacheDir);
        line(b, "PYTORCH_LIBRARY_PATH", libraryPath == null ? "not set" : libraryPath);
        line(b, "offline", offline ? "yes (DJL downloads nothing)" : "no (DJL may download natives)");
        line(b, "preference", preference);
        if (savedPreference != null) {
            line(b, "saved preference", savedPreference + " (takes effect at the next start)");
        }
        line(b, "devices", String.join(", ", devices));
        line(b, "CUDA", cudaVersion == null ? "none" : cudaVersion);
        line(b, "cuDNN", cudnn ? "built in (DJL does not expose its version)" : "none");
        line(b, "threads", threads);
        line(b, "numerics", numerics);
        line(b, "GPU", gpuProblem == null
                ? (devices.stream().anyMatch(d -> d.startsWith("gpu")) ? "usable" : "none found")
                : "present but not usable: " + gpuProblem);
        for (String n : notes) {
            line(b, "note", n);
        }
        return b.toString().stripTrailing();
    }

    private static void line(StringBuilder b, String key, String value) {
        b.append("  ").append(key).append(": ").append(value).append('\n');
    }

    /** @return {@link #text()} */
    @Override
    public String toString() {
        return text();
    }
}
