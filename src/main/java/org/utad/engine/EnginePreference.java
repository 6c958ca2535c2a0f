package org.utad.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.utad.core.UtadException;

/**
 * The user's persisted choice of PyTorch natives, read before the engine starts.
 *
 * <p>The plugin ships CPU natives and runs offline. A GPU user opts in to DJL downloading the CUDA
 * build of PyTorch 2.7.1 at the next start ({@code flavor=cu128}, {@code offline=false}), or points
 * the plugin at a libtorch already on disk ({@code libraryPath}). DJL reads these settings only while
 * its engine loads, once per JVM, so a changed preference takes effect at the next start of Fiji.
 *
 * <p>The file is a small properties file, {@code ~/.utad/engine.properties} by default; the system
 * property {@value #FILE_PROPERTY} names another file (tests use it, so they never touch the user's).
 *
 * @param flavor      "cpu" for the bundled natives, or a CUDA flavour such as "cu128" to have DJL
 *                    fetch (once, then from its cache) the CUDA build of PyTorch 2.7.1
 * @param offline     whether DJL may not use the network; the CUDA download needs false
 * @param libraryPath a folder holding a libtorch 2.7.1 (its {@code lib/}), or null; the
 *                    environment variable PYTORCH_LIBRARY_PATH, when set, wins over it
 */
public record EnginePreference(String flavor, boolean offline, String libraryPath) {
    /** System property naming the preference file instead of {@code ~/.utad/engine.properties}. */
    public static final String FILE_PROPERTY = "utad.engine.preferences";
    /** The CUDA flavour DJL 0.36.0 publishes for PyTorch 2.7.1 (its JNI jar holds only cpu and cu128). */
    public static final String CUDA_FLAVOR = "cu128";
    /** DJL's offline switch (system property). */
    public static final String DJL_OFFLINE = "ai.djl.offline";
    /** DJL's offline switch (environment variable; it wins over the system property). */
    public static final String DJL_OFFLINE_ENV = "DJL_OFFLINE";
    /** DJL's PyTorch flavour override, read as an environment variable or a system property. */
    public static final String PYTORCH_FLAVOR = "PYTORCH_FLAVOR";
    /** DJL's libtorch location override, read as an environment variable or a system property. */
    public static final String PYTORCH_LIBRARY_PATH = "PYTORCH_LIBRARY_PATH";

    private static final Pattern FLAVOR = Pattern.compile("cpu|cu\\d{3}");

    /**
     * Checks and normalises the fields.
     *
     * @throws IllegalArgumentException for a flavour other than "cpu" or "cuNNN"
     */
    public EnginePreference {
        flavor = flavor == null || flavor.isBlank() ? "cpu" : flavor.trim().toLowerCase(Locale.ROOT);
        if (!FLAVOR.matcher(flavor).matches()) {
            throw new IllegalArgumentException("Unknown PyTorch flavour '" + flavor + "': use cpu or a CUDA flavour"
                    + " such as " + CUDA_FLAVOR + ".");
        }
        libraryPath = libraryPath == null || libraryPath.isBlank() ? null : libraryPath.trim();
    }

    /** @return the shipped behaviour: bundled CPU natives, offline, no libtorch of the user's */
    public static EnginePreference defaults() {
        return new EnginePreference("cpu", true, null);
    }

    /** @return the opt-in CUDA download route: DJL fetches PyTorch 2.7.1 {@value #CUDA_FLAVOR} once */
    public static EnginePreference cudaDownload() {
        return new EnginePreference(CUDA_FLAVOR, false, null);
    }

    /**
     * A user's existing libtorch, with the bundled natives otherwise.
     *
     * @param folder the folder holding libtorch's shared libraries
     * @return the preference
     */
    public static EnginePreference libtorchAt(Path folder) {
        return new EnginePreference("cpu", true, folder.toAbsolutePath().toString());
    }

    /** @return whether the user opted in to DJL's CUDA natives (a "cuNNN" flavour) */
    public boolean cudaRequested() {
        return flavor.startsWith("cu");
    }

    /** @return the preference file: the {@value #FILE_PROPERTY} system property, else ~/.utad/engine.properties */
    public static Path defaultFile() {
        String override = System.getProperty(FILE_PROPERTY);
        if (override != null && !override.isBlank()) {
            return Paths.get(override);
        }
        return Paths.get(System.getProperty("user.home"), ".utad", "engine.properties");
    }

    /**
     * Reads a preference file; a missing file means the defaults.
     *
     * @param file the properties file
     * @return the preference
     * @throws UtadException if the file exists but cannot be read or holds an unknown flavour
     */
    public static EnginePreference read(Path file) {
        if (!Files.exists(file)) {
            return defaults();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UtadException("Cannot read the engine preference file " + file + ": " + e.getMessage()
                    + ". Fix or delete it; without it the bundled CPU natives are used.", e);
        }
        try {
            String flavor = p.getProperty("flavor", "cpu").trim().toLowerCase(Locale.ROOT);
            String offline = p.getProperty("offline");
            boolean off = offline == null ? !flavor.startsWith("cu") : Boolean.parseBoolean(offline.trim());
            return new EnginePreference(flavor, off, p.getProperty("libraryPath"));
        } catch (IllegalArgumentException e) {
            throw new UtadException("The engine preference file " + file + " is invalid: " + e.getMessage()
                    + " Fix or delete it.", e);
        }
    }

    /**
     * Writes this preference atomically (a temporary file moved into place), creating the folder.
     *
     * @param file the properties file
     * @throws UtadException if it cannot be written, naming the file
     */
    public void write(Path file) {
        Properties p = new Properties();
        p.setProperty("flavor", flavor);
        p.setProperty("offline", Boolean.toString(offline));
        if (libraryPath != null) {
            p.setProperty("libraryPath", libraryPath);
        }
        Path target = file.toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), "engine", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "UTAD engine settings, read when the engine starts (restart Fiji after a change)."
                        + " flavor=cpu|cu128, offline=true|false, libraryPath=<libtorch lib folder>");
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UtadException("Cannot write the engine preference file " + target + ": " + e.getMessage()
                    + ". Check that the folder is writable.", e);
        }
    }

    /**
     * The system properties to set before DJL loads, given what the user already set.
     *
     * <p>Pure, so tests can check it without starting an engine. Settings the user made explicitly
     * (JVM {@code -D} options or environment variables) always win. Without an opt-in, only the
     * offline switch is set: PYTORCH_FLAVOR stays unset so DJL never tries to download. With a CUDA
     * flavour, PYTORCH_FLAVOR is set and the offline switch follows the preference.
     *
     * @param systemProperties the current system properties (name to value, null when unset)
     * @param environment      the current environment variables (name to value, null when unset)
     * @return the properties to set, in order; empty when nothing needs setting
     */
    public Map<String, String> systemProperties(Function<String, String> systemProperties,
                                                Function<String, String> environment) {
        Map<String, String> out = new LinkedHashMap<>();
        boolean offlineFixed = systemProperties.apply(DJL_OFFLINE) != null
                || environment.apply(DJL_OFFLINE_ENV) != null;
        if (!offlineFixed) {
            out.put(DJL_OFFLINE, Boolean.toString(!cudaRequested() || offline));
        }
        if (cudaRequested() && unset(PYTORCH_FLAVOR, systemProperties, environment)) {
            out.put(PYTORCH_FLAVOR, flavor);
        }
        if (libraryPath != null && unset(PYTORCH_LIBRARY_PATH, systemProperties, environment)) {
            out.put(PYTORCH_LIBRARY_PATH, libraryPath);
        }
        return out;
    }

    private static boolean unset(String name, Function<String, String> props, Function<String, String> env) {
        return props.apply(name) == null && env.apply(name) == null;
    }

    /** @return the preference as the user would write it, on one line */
    @Override
    public String toString() {
        return "flavor=" + flavor + ", offline=" + offline
                + (libraryPath == null ? "" : ", libraryPath=" + libraryPath);
    }
}
