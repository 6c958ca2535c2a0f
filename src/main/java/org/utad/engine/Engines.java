package org.utad.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.Utils;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 */
public final class Engines {
    /** DJL's name of the engine this plugin runs on. */
    public static final String ENGINE_NAME = "PyTorch";

    private static boolean prepared;
    private static EnginePreference preferenceAtStart = EnginePreference.defaults();
    private static Path preferenceFile;
    private static final List<String> NOTES = new ArrayList<>();
    private static Engine engine;
    private static String route;
    private static GpuStatus gpuStatus;
    private static int cudaRuntimeGpus;
    private static NumericsCheck numerics;
    /** Rounds of the start-up numerics check (5 problems each, in two forms). */
    private static final int NUMERICS_ROUNDS = 4;

    private Engines() {
    }

    /**
     * Applies the engine preference to DJL's system properties, once, before DJL loads: offline with
     * the bundled CPU natives unless the user opted in to the CUDA download or named a libtorch.
     * Settings the user made with {@code -D} options or environment variables win. Idempotent.
     */
    public static synchronized void offline() {
        if (prepared) {
            return;
        }
        prepared = true;
        preferenceFile = EnginePreference.defaultFile();
        try {
            preferenceAtStart = EnginePreference.read(preferenceFile);
        } catch (UtadException e) {
            NOTES.add(e.getMessage() + " Using the bundled CPU natives.");
            preferenceAtStart = EnginePreference.defaults();
        }
        if (preferenceAtStart.cudaRequested() && !preferenceAtStart.offline()
                && (Boolean.parseBoolean(System.getenv(EnginePreference.DJL_OFFLINE_ENV))
                || Boolean.parseBoolean(System.getProperty(EnginePreference.DJL_OFFLINE)))) {
            NOTES.add("DJL_OFFLINE=true or -Dai.djl.offline=true is set, which forbids the CUDA download: the CUDA"
                    + " build is used only if it is already in DJL's cache. Unset it for the first start.");
        }
        Map<String, String> props = preferenceAtStart.systemProperties(System::getProperty, System::getenv);
        props.forEach(System::setProperty);
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
    public static synchronized Engine engine() {
        if (engine != null) {
            return engine;
        }
        offline();
        NOTES.add(NativeHeap.tune());
        String libraryPath = Utils.getEnvOrSystemProperty(EnginePreference.PYTORCH_LIBRARY_PATH);
        String flavor = Utils.getEnvOrSystemProperty(EnginePreference.PYTORCH_FLAVOR);
        boolean cuda = libraryPath == null && flavor != null && flavor.startsWith("cu");
        if (libraryPath != null) {
            route = "the user's libtorch named by PYTORCH_LIBRARY_PATH";
        } else if (cuda) {
            route = "CUDA build " + flavor + " of PyTorch, downloaded by DJL into its cache (engine preference)";
        } else {
            route = "bundled CPU natives (pytorch-native-cpu jar), extracted by DJL";
        }
        try {
            engine = cuda ? startHidingBundledNatives() : Engine.getEngine(ENGINE_NAME);
        } catch (EngineException | IllegalArgumentException | IllegalStateException | UnsatisfiedLinkError
                 | AssertionError e) {
            if (!cuda || !downloadFailed(e)) {
                throw startFailure(e, libraryPath, cuda);
            }
            NOTES.add("The CUDA build " + flavor + " of PyTorch could not be fetched (" + rootMessage(e) + ");"
                    + " running on the bundled CPU natives. Start Fiji once with internet access (and DJL_OFFLINE"
                    + " unset) to download it, or switch the engine preference back to flavor=cpu.");
            if (flavor.equals(System.getProperty(EnginePreference.PYTORCH_FLAVOR))) {
                System.clearProperty(EnginePreference.PYTORCH_FLAVOR);
            }
            route = "bundled CPU natives (pytorch-native-cpu jar), after the CUDA download failed";
            try {
                engine = Engine.getEngine(ENGINE_NAME);
            } catch (EngineException | IllegalArgumentException | IllegalStateException | UnsatisfiedLinkError
                     | AssertionError e2) {
                throw startFailure(e2, null, false);
            }
        }
        return engine;
    }

    private static Engine startHidingBundledNatives() {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        ClassLoader parent = previous != null ? previous : Engines.class.getClassLoader();
        t.setContextClassLoader(new BundledNativesHidden(parent));
        try {
            return Engine.getEngine(ENGINE_NAME);
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    private static UtadException startFailure(Throwable e, String libraryPath, boolean cuda) {
        String what;
        if (libraryPath != null) {
            what = " PYTORCH_LIBRARY_PATH is " + libraryPath + ": check that it names the lib folder of a libtorch "
                    + GpuHostFacts.PYTORCH_VERSION + " for this platform, or unset it to use the bundled CPU natives.";
        } else if (cuda) {
            what = " The CUDA build of PyTorch was requested (engine preference " + preferenceAtStart + " in "
                    + preferenceFile + "): set flavor=cpu there, or delete the file, to use the bundled CPU natives.";
        } else {
            what = " Check that the pytorch-native-cpu jar for your platform is in Fiji's jars/ folder, that DJL's"
                    + " cache " + Utils.getEngineCacheDir("pytorch") + " is writable, or set PYTORCH_LIBRARY_PATH to"
                    + " a libtorch " + GpuHostFacts.PYTORCH_VERSION + ".";
        }
        return new UtadException("The PyTorch engine could not start: " + rootMessage(e) + "." + what, e);
    }

    private static boolean downloadFailed(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
            if (c instanceof IOException || m.contains("download") || m.contains("offline")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable r = e;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        String m = r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
        return r == e ? m : e.getMessage() + ": " + m;
    }

    /**
     * The real GPU probe: the started engine's GPU count, and for a present but unusable GPU the
     * reason found from the host's driver files and the loaded natives' flavour. Computed once.
     *
     * @return the probe
     */
    public static GpuProbe probe() {
        return Engines::status;
    }

    private static synchronized GpuStatus status() {
        if (gpuStatus == null) {
            int gpus = engine().getGpuCount();
            cudaRuntimeGpus = cudaRuntimeGpus();
            GpuHostFacts facts = GpuHostFacts.collect(gpus, cudaRuntimeGpus, nativesDir(),
                    Utils.getEnvOrSystemProperty(EnginePreference.PYTORCH_LIBRARY_PATH));
            gpuStatus = new GpuStatus(gpus, facts.unusableReason());
        }
        return gpuStatus;
    }

    /**
     * The numerics self-check ({@link NumericsCheck}), run once per JVM on the CPU after the engine
     * starts, so that Engine Info, every training summary and the refusal to train on wrong
     * arithmetic all report the same result.
     *
     * @return the result of the check
     */
    public static synchronized NumericsCheck numerics() {
        if (numerics == null) {
            engine();
            boolean recording = JniUtils.isGradMode();
            try {
                numerics = NumericsCheck.run(NumericsCheck.ENGINE, NUMERICS_ROUNDS);
            } finally {
                JniUtils.setGradMode(recording);
            }
        }
        return numerics;
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
        try {
            if (engine != null && engine.getGpuCount() > 0) {
                JniUtils.emptyCudaCache();
            }
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            NOTES.add("Releasing cached GPU memory failed: " + e.getMessage());
        }
    }

    /** @return the engine's diagnostics: versions, natives, devices, CUDA, preference, GPU problems */
    public static EngineInfo info() {
        Engine e = engine();
        GpuStatus s = status();
        List<String> devices = new ArrayList<>();
        for (Device d : e.getDevices()) {
            devices.add(d.isGpu() ? label(d) + gpuDetails(d) : label(d));
        }
        if (devices.stream().noneMatch(d -> d.equals("cpu"))) {
            devices.add("cpu");
        }
        String libraryPath = System.getenv(EnginePreference.PYTORCH_LIBRARY_PATH) != null
                ? System.getenv(EnginePreference.PYTORCH_LIBRARY_PATH) + " (environment)"
                : System.getProperty(EnginePreference.PYTORCH_LIBRARY_PATH) == null ? null
                : System.getProperty(EnginePreference.PYTORCH_LIBRARY_PATH) + " (engine preference or -D option)";
        Path dir = nativesDir();
        String saved;
        try {
            EnginePreference now = EnginePreference.read(preferenceFile);
            saved = now.equals(preferenceAtStart) ? null : now.toString();
        } catch (UtadException ex) {
            saved = ex.getMessage();
        }
        String cuda = null;
        if (s.usable() || cudaRuntimeGpus > 0) {
            cuda = cudaRuntimeGpus > 0 ? cudaVersion() : "loaded by PyTorch (version not reported)";
        }
        String threads;
        try {
            threads = JniUtils.getNumThreads() + " intra-op, " + JniUtils.getNumInteropThreads() + " inter-op";
        } catch (RuntimeException | UnsatisfiedLinkError ex) {
            threads = "unknown";
        }
        List<String> notes = new ArrayList<>(NOTES);
        return new EngineInfo(Engine.getDjlVersion(), e.getVersion(), GpuHostFacts.nativesFlavor(dir), route,
                dir == null ? null : dir.toString(), Utils.getEngineCacheDir("pytorch").toString(), libraryPath,
                Utils.isOfflineMode(), preferenceAtStart + " (" + preferenceFile + ")", saved, devices, cuda,
                e.hasCapability(StandardCapabilities.CUDNN), threads, numerics().line(), s.problem(), notes);
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

    private static Path nativesDir() {
        try {
            return Paths.get(LibUtils.getLibtorchPath());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static int cudaRuntimeGpus() {
        try {
            return CudaUtils.getGpuCount();
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return 0;
        }
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
