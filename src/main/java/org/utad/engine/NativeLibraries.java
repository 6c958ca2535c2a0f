package org.utad.engine;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.util.Utils;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.utad.core.UtadException;

/**
 * Loading PyTorch's native library: first the preparation, which turns the user's
 * {@link EnginePreference} into DJL's system properties before DJL reads them (once per JVM), then the
 * start itself, by the route the preference and the environment choose (bundled CPU natives, the CUDA
 * build from DJL's cache, or the user's libtorch), falling back to the CPU natives when a CUDA download
 * fails, and turning every other failure into a message that says what to do.
 */
final class NativeLibraries {
    /** The bundled natives, and the route's words when nothing else was asked for. */
    private static final String BUNDLED = "bundled CPU natives (pytorch-native-cpu jar), extracted by DJL";

    /** The preparation's facts, published once; null until {@link #prepare()} ran. */
    private static volatile Preparation prepared;

    private NativeLibraries() {
    }

    /**
     * What the preparation found, fixed for the rest of the JVM.
     *
     * @param preference the preference in force (read from its file, or the defaults)
     * @param file       the preference file that was read
     * @param notes      what the user should know about it (an unreadable file, an offline switch that
     *                   forbids the CUDA download)
     */
    record Preparation(EnginePreference preference, Path file, List<String> notes) {
        /** Copies the notes so the record stays unchanged. */
        Preparation {
            notes = List.copyOf(notes);
        }
    }

    /**
     * Applies the engine preference to DJL's system properties, once, before DJL loads. Settings the
     * user made with {@code -D} options or environment variables win. Idempotent and thread-safe.
     *
     * @return the preparation's facts
     */
    static Preparation prepare() {
        Preparation p = prepared;
        if (p != null) {
            return p;
        }
        synchronized (NativeLibraries.class) {
            if (prepared == null) {
                prepared = applyPreference();
            }
            return prepared;
        }
    }

    private static Preparation applyPreference() {
        List<String> notes = new ArrayList<>();
        Path file = EnginePreference.defaultFile();
        EnginePreference preference;
        try {
            preference = EnginePreference.read(file);
        } catch (UtadException e) {
            notes.add(e.getMessage() + " Using the bundled CPU natives.");
            preference = EnginePreference.defaults();
        }
        if (preference.cudaRequested() && !preference.offline()
                && (Boolean.parseBoolean(System.getenv(EnginePreference.DJL_OFFLINE_ENV))
                || Boolean.parseBoolean(System.getProperty(EnginePreference.DJL_OFFLINE)))) {
            notes.add("DJL_OFFLINE=true or -Dai.djl.offline=true is set, which forbids the CUDA download: the CUDA"
                    + " build is used only if it is already in DJL's cache. Unset it for the first start.");
        }
        Map<String, String> props = preference.systemProperties(System::getProperty, System::getenv);
        props.forEach(System::setProperty);
        return new Preparation(preference, file, notes);
    }

    /**
     * Starts DJL's PyTorch engine after the preparation. With a CUDA flavour in force and no
     * PYTORCH_LIBRARY_PATH, the bundled CPU natives are hidden from DJL so that it loads the CUDA build
     * from its cache, downloading it at the first start; if that download fails, the engine starts on
     * the bundled CPU natives and a note says why. Callers start it once per JVM.
     *
     * @return the started engine's facts
     * @throws UtadException if the native library cannot be loaded, with what to do
     */
    static StartedEngine start() {
        Preparation preparation = prepare();
        List<String> notes = new ArrayList<>(preparation.notes());
        notes.add(NativeHeap.tune());
        String libraryPath = Utils.getEnvOrSystemProperty(EnginePreference.PYTORCH_LIBRARY_PATH);
        String flavor = Utils.getEnvOrSystemProperty(EnginePreference.PYTORCH_FLAVOR);
        boolean cuda = libraryPath == null && flavor != null && flavor.startsWith("cu");
        String route;
        if (libraryPath != null) {
            route = "the user's libtorch named by PYTORCH_LIBRARY_PATH";
        } else if (cuda) {
            route = "CUDA build " + flavor + " of PyTorch, downloaded by DJL into its cache (engine preference)";
        } else {
            route = BUNDLED;
        }
        Engine engine;
        try {
            engine = cuda ? startHidingBundledNatives() : Engine.getEngine(Engines.ENGINE_NAME);
        } catch (EngineException | IllegalArgumentException | IllegalStateException | UnsatisfiedLinkError
                 | AssertionError e) {
            if (!cuda || !downloadFailed(e)) {
                throw startFailure(e, libraryPath, cuda, preparation);
            }
            notes.add("The CUDA build " + flavor + " of PyTorch could not be fetched (" + rootMessage(e) + ");"
                    + " running on the bundled CPU natives. Start Fiji once with internet access (and DJL_OFFLINE"
                    + " unset) to download it, or switch the engine preference back to flavor=cpu.");
            if (flavor.equals(System.getProperty(EnginePreference.PYTORCH_FLAVOR))) {
                System.clearProperty(EnginePreference.PYTORCH_FLAVOR);
            }
            route = "bundled CPU natives (pytorch-native-cpu jar), after the CUDA download failed";
            try {
                engine = Engine.getEngine(Engines.ENGINE_NAME);
            } catch (EngineException | IllegalArgumentException | IllegalStateException | UnsatisfiedLinkError
                     | AssertionError e2) {
                throw startFailure(e2, null, false, preparation);
            }
        }
        notes.add(Nnpack.quietOnUnsupportedCpu(StartedEngine.nativesDir()));
        return new StartedEngine(engine, route, preparation, notes);
    }

    private static Engine startHidingBundledNatives() {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        ClassLoader parent = previous != null ? previous : NativeLibraries.class.getClassLoader();
        t.setContextClassLoader(new BundledNativesHidden(parent));
        try {
            return Engine.getEngine(Engines.ENGINE_NAME);
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    private static UtadException startFailure(Throwable e, String libraryPath, boolean cuda, Preparation p) {
        String what;
        if (libraryPath != null) {
            what = " PYTORCH_LIBRARY_PATH is " + libraryPath + ": check that it names the lib folder of a libtorch "
                    + GpuHostFacts.PYTORCH_VERSION + " for this platform, or unset it to use the bundled CPU natives.";
        } else if (cuda) {
            what = " The CUDA build of PyTorch was requested (engine preference " + p.preference() + " in "
                    + p.file() + "): set flavor=cpu there, or delete the file, to use the bundled CPU natives.";
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
}
