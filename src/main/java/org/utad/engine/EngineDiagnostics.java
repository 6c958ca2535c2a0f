package org.utad.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Utils;
import ai.djl.util.cuda.CudaUtils;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.utad.core.UtadException;

/**
 * Gathers the {@link EngineInfo} of the started engine: versions, natives, devices with their GPU
 * details, CUDA, threads, the preference in force and the one saved since, the numerics self-check,
 * GPU problems and notes. Asking the native library is done here, each question guarded, since a
 * diagnosis must not fail on the very problem it is meant to describe.
 */
final class EngineDiagnostics {
    private EngineDiagnostics() {
    }

    /**
     * Describes the started engine.
     *
     * @param s          the started engine's facts
     * @param laterNotes notes that arose after the start, in order
     * @return the diagnostics
     */
    static EngineInfo of(StartedEngine s, List<String> laterNotes) {
        Engine e = s.engine();
        StartedEngine.GpuFacts gpu = s.gpu();
        List<String> devices = new ArrayList<>();
        for (Device d : e.getDevices()) {
            devices.add(d.isGpu() ? Engines.label(d) + gpuDetails(d) : Engines.label(d));
        }
        if (devices.stream().noneMatch(d -> d.equals("cpu"))) {
            devices.add("cpu");
        }
        String libraryPath = System.getenv(EnginePreference.PYTORCH_LIBRARY_PATH) != null
                ? System.getenv(EnginePreference.PYTORCH_LIBRARY_PATH) + " (environment)"
                : System.getProperty(EnginePreference.PYTORCH_LIBRARY_PATH) == null ? null
                : System.getProperty(EnginePreference.PYTORCH_LIBRARY_PATH) + " (engine preference or -D option)";
        Path dir = StartedEngine.nativesDir();
        String saved;
        try {
            EnginePreference now = EnginePreference.read(s.preferenceFile());
            saved = now.equals(s.preference()) ? null : now.toString();
        } catch (UtadException ex) {
            saved = ex.getMessage();
        }
        String cuda = null;
        if (gpu.status().usable() || gpu.cudaRuntimeGpus() > 0) {
            cuda = gpu.cudaRuntimeGpus() > 0 ? cudaVersion() : "loaded by PyTorch (version not reported)";
        }
        String threads;
        try {
            threads = JniUtils.getNumThreads() + " intra-op, " + JniUtils.getNumInteropThreads() + " inter-op";
        } catch (RuntimeException | UnsatisfiedLinkError ex) {
            threads = "unknown";
        }
        List<String> notes = new ArrayList<>(s.notes());
        notes.addAll(laterNotes);
        return new EngineInfo(Engine.getDjlVersion(), e.getVersion(), GpuHostFacts.nativesFlavor(dir), s.route(),
                dir == null ? null : dir.toString(), Utils.getEngineCacheDir("pytorch").toString(), libraryPath,
                Utils.isOfflineMode(), s.preference() + " (" + s.preferenceFile() + ")", saved, devices, cuda,
                e.hasCapability(StandardCapabilities.CUDNN), threads, s.numerics().line(), gpu.status().problem(),
                notes);
    }

    private static String cudaVersion() {
        try {
            return CudaUtils.getCudaVersionString();
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return "unknown";
        }
    }

    private static String gpuDetails(Device d) {
        try {
            MemoryUsage mem = CudaUtils.getGpuMemory(d);
            return String.format(Locale.ROOT, " (compute capability %s, %.1f GB)",
                    CudaUtils.getComputeCapability(d.getDeviceId()), mem.getMax() / 1e9);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return "";
        }
    }
}
