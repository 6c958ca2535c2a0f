package org.utad.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Utils;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.utad.core.InvalidInputException;
import org.utad.core.UtadException;

/**
 * The one place that starts DJL's PyTorch engine, picks the device and explains native-library and
 * GPU problems.
 *
 * <p>DJL reads its settings (offline switch, PYTORCH_FLAVOR, PYTORCH_LIBRARY_PATH) only while its
 * engine loads, once per JVM. {@link #offline()} therefore applies the user's {@link EnginePreference}
 * before anything else touches DJL: by default the bundled CPU natives, offline; with the user's
 * opt-in, the CUDA build that DJL downloads once into its cache; or a libtorch of the user's. Every
 * entry point (CLI, commands, tests) goes through this class. Native-library failures become a
 * {@link UtadException} that says what to do, and the device actually used is reported through a
 * {@link DeviceReport}, because DJL silently falls back to the CPU when it cannot use a GPU.
 *
 * <p>How the natives are prepared and loaded is {@link NativeLibraries}' job; the started engine's
 * facts are one immutable {@link StartedEngine}, published here once, so that every thread sees
 * either no engine or the whole of it; {@link EngineDiagnostics} describes it.
 */
public final class Engines {
    /** DJL's name of the engine this plugin runs on. */
    public static final String ENGINE_NAME = "PyTorch";

    /** The started engine's facts, published once; null until the engine started. */
    private static volatile StartedEngine started;
    /** Notes that arose after the start (a failed release of GPU memory), for the diagnostics. */
    private static final List<String> LATER_NOTES = new CopyOnWriteArrayList<>();

    private Engines() {
    }

    /**
     * Applies the engine preference to DJL's system properties, once, before DJL loads: offline with
     * the bundled CPU natives unless the user opted in to the CUDA download or named a libtorch.
     * Settings the user made with {@code -D} options or environment variables win. Idempotent.
     */
    public static void offline() {
        NativeLibraries.prepare();
    }

    /**
     * Starts the engine (once per JVM) and returns it.
     *
     * <p>With a CUDA flavour in force (the preference or the user's PYTORCH_FLAVOR) and no
     * PYTORCH_LIBRARY_PATH, the bundled CPU natives are hidden from DJL so that it loads the CUDA build
     * from its cache, downloading it at the first start. If that download fails (no network, offline
     * mode), the engine starts on the bundled CPU natives and {@link #describe()} says why.
     *
     * @return the PyTorch engine
     * @throws UtadException if the native library cannot be loaded, with what to do
     */
    public static Engine engine() {
        return started().engine();
    }

    /** The started engine's facts, starting it at the first call; a failed start is tried again next time. */
    private static StartedEngine started() {
        StartedEngine s = started;
        if (s != null) {
            return s;
        }
        synchronized (Engines.class) {
            if (started == null) {
                started = NativeLibraries.start();
            }
            return started;
        }
    }

    /**
     * The real GPU probe: the started engine's GPU count, and for a present but unusable GPU the
     * reason found from the host's driver files and the loaded natives' flavour. Computed once.
     *
     * @return the probe
     */
    public static GpuProbe probe() {
        return () -> started().gpu().status();
    }

    /**
     * The numerics self-check ({@link NumericsCheck}), run once per JVM on the CPU after the engine
     * starts, so that Engine Info, every training summary and the refusal to train on wrong
     * arithmetic all report the same result.
     *
     * @return the result of the check
     */
    public static NumericsCheck numerics() {
        return started().numerics();
    }

    /**
     * Turns off PyTorch's gradient recording on the calling thread. PyTorch keeps this switch per
     * thread and starts every new thread with recording on, while DJL turns it off only on the
     * thread that started the engine; Fiji runs commands on worker threads, where forward passes
     * would then build autograd graphs (wasting memory) and in-place weight updates would fail.
     * Training and detection call this on their own thread before any network work; DJL's gradient
     * collector still turns recording on inside its scope.
     */
    public static void noGradientsOnThisThread() {
        engine();
        JniUtils.setGradMode(false);
    }

    /**
     * PyTorch's intra-op thread count of the calling thread: the cores one operation may use.
     *
     * @return at least 1
     */
    public static int intraOpThreads() {
        engine();
        return Math.max(1, JniUtils.getNumThreads());
    }

    /**
     * Sets PyTorch's intra-op thread count of the calling thread. libtorch keeps the count per thread
     * once a thread has used it, and a thread's first use takes the count last set on any thread, so
     * a caller that lowers it for worker threads sets it back on its own thread when they are done
     * (checked on this project's machine; docs/BENCHMARKS.md, issue 17's eleventh pass).
     *
     * @param threads at least 1
     */
    public static void setIntraOpThreads(int threads) {
        engine();
        JniUtils.setNumThreads(Math.max(1, threads));
    }

    /**
     * Resolves the user's device choice and says why, with the real probe.
     *
     * @param choice auto, cpu or gpu
     * @return the device and the reason, for summaries and logs
     * @throws UtadException if a GPU was demanded and none is usable, with the reason and what to do
     */
    public static DeviceReport deviceReport(DeviceChoice choice) {
        return deviceReport(choice, probe());
    }

    /**
     * Resolves the user's device choice against a probe (tests inject one).
     *
     * @param choice auto, cpu or gpu
     * @param probe  what GPUs there are
     * @return the device and the reason
     * @throws UtadException if a GPU was demanded and none is usable
     */
    public static DeviceReport deviceReport(DeviceChoice choice, GpuProbe probe) {
        return DeviceReport.resolve(choice, probe.probe());
    }

    /**
     * Resolves the user's device choice against what the engine can use. Kept for callers that need
     * only the device; {@link #deviceReport(DeviceChoice)} also says why.
     *
     * @param choice auto, cpu or gpu
     * @return the device to run on
     * @throws UtadException if a GPU was demanded and none is usable
     */
    public static Device device(DeviceChoice choice) {
        return deviceReport(choice).device();
    }

    /**
     * A device as users read it: "cpu" or "gpu 0" (DJL prints "cpu()" and "gpu(0)").
     *
     * @param device the device
     * @return its label
     */
    public static String label(Device device) {
        if (device.isGpu()) {
            return "gpu " + device.getDeviceId();
        }
        if (Device.Type.CPU.equals(device.getDeviceType())) {
            return "cpu";
        }
        return device.getDeviceType() + " " + device.getDeviceId();
    }

    /**
     * The out-of-memory policy for batched inference on a device: halve the batch down to 1, then the
     * CPU, releasing the GPU's cached memory after each failure.
     *
     * @param device    where to start
     * @param batchSize the batch size to start with
     * @param messages  receives a message for every step taken
     * @return the policy
     */
    public static DeviceFallback fallback(Device device, int batchSize, Consumer<String> messages) {
        return new DeviceFallback(device, batchSize, DeviceFallback.OUT_OF_MEMORY, Engines::releaseGpuCache, messages);
    }

    private static void releaseGpuCache() {
        StartedEngine s = started;
        try {
            if (s != null && s.engine().getGpuCount() > 0) {
                JniUtils.emptyCudaCache();
            }
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            laterNote("Releasing cached GPU memory failed: " + e.getMessage());
        }
    }

    /**
     * Records a problem that arose after the start, for the diagnostics ({@link #describe()}).
     *
     * @param note one sentence saying what failed and what is done instead
     */
    static void laterNote(String note) {
        LATER_NOTES.add(note);
    }

    /** @return the engine's diagnostics: versions, natives, devices, CUDA, preference, GPU problems */
    public static EngineInfo info() {
        return EngineDiagnostics.of(started(), LATER_NOTES);
    }

    /** @return the full engine diagnostics as text, one fact per line (what {@code utad engine} prints) */
    public static String describe() {
        return info().text();
    }

    /** @return one line for logs and summaries: DJL and PyTorch versions, natives flavour, GPU count */
    public static String summary() {
        return info().summary();
    }

    /** @return the preference file the engine reads at start-up */
    public static Path preferenceFile() {
        return EnginePreference.defaultFile();
    }

    /**
     * Saves an engine preference for the next start.
     *
     * @param preference what to use from the next start on
     * @return a message for the user: what was saved, that Fiji must be restarted, and what happens then
     * @throws UtadException if the file cannot be written
     */
    public static String changePreference(EnginePreference preference) {
        Path file = preferenceFile();
        preference.write(file);
        StringBuilder m = new StringBuilder("Saved the engine preference " + preference + " to " + file + ". Restart"
                + " Fiji (or the command line) for it to take effect: the engine reads it only when it starts.");
        if (preference.cudaRequested()) {
            m.append(" At the next start DJL downloads the ").append(preference.flavor()).append(" build of PyTorch ")
                    .append(GpuHostFacts.PYTORCH_VERSION).append(" (a few GB) once into ")
                    .append(Utils.getEngineCacheDir("pytorch"))
                    .append("; that start needs internet access and takes minutes. It needs an NVIDIA driver 570 or"
                            + " newer. If the download fails, the CPU natives are used and 'utad engine' says why.");
        } else if (preference.libraryPath() != null) {
            m.append(" The libtorch in ").append(preference.libraryPath()).append(" must be PyTorch ")
                    .append(GpuHostFacts.PYTORCH_VERSION).append("; the PYTORCH_LIBRARY_PATH environment variable,"
                            + " when set, wins over this setting.");
        } else {
            m.append(" The bundled CPU natives will be used, offline.");
        }
        return m.toString();
    }

    /**
     * Opts in to the CUDA build of PyTorch, downloaded by DJL at the next start.
     *
     * @return the message for the user (restart Fiji)
     * @throws InvalidInputException on macOS, where PyTorch has no CUDA build
     */
    public static String enableCudaDownload() {
        if (System.getProperty("os.name", "").startsWith("Mac")) {
            throw new InvalidInputException("PyTorch has no CUDA build for macOS; UTAD runs on the CPU there.");
        }
        return changePreference(EnginePreference.cudaDownload());
    }

    /**
     * Goes back to the bundled CPU natives, offline, from the next start.
     *
     * @return the message for the user (restart Fiji)
     */
    public static String useBundledNatives() {
        return changePreference(EnginePreference.defaults());
    }
}
