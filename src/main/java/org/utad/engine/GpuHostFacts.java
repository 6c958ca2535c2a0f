package org.utad.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the host says about NVIDIA GPUs, gathered from files only (no process is started), and the
 * diagnosis of a GPU that is present but that PyTorch cannot use.
 *
 * <p>DJL silently falls back to the CPU when it cannot load a CUDA runtime, so "0 GPUs" alone does
 * not tell a user whether they have no GPU or a GPU that needs set-up. The driver leaves traces
 * ({@code /proc/driver/nvidia/version}, {@code nvidia-smi} on the PATH) and the loaded natives have
 * a flavour (cpu or cuNNN); together they say which case it is and what to do.
 *
 * @param engineGpus      GPUs the loaded PyTorch reports
 * @param driverVersion   the NVIDIA kernel driver version (e.g. "550.54.14"), or null if unknown
 * @param nvidiaSmi       whether an {@code nvidia-smi} executable was found on the PATH
 * @param cudaRuntimeGpus GPUs the system CUDA runtime reports through DJL's CudaUtils (0 when it
 *                        cannot be loaded)
 * @param nativesFlavor   flavour of the loaded natives: "cpu", "cuNNN", "cuda" (a CUDA libtorch of
 *                        unknown version) or "unknown"
 * @param libtorchVersion the version of a user's libtorch (its {@code build-version} file, e.g.
 *                        "2.7.1+cu128"), or null
 */
public record GpuHostFacts(int engineGpus, String driverVersion, boolean nvidiaSmi, int cudaRuntimeGpus,
                           String nativesFlavor, String libtorchVersion) {
    /** The PyTorch version this plugin's JNI layer is built for. */
    public static final String PYTORCH_VERSION = "2.7.1";

    private static final Pattern DRIVER = Pattern.compile("(\\d{3,4}\\.\\d{1,3}(?:\\.\\d{1,3})?)");
    private static final Pattern CACHE_DIR_FLAVOR =
            Pattern.compile("-(cpu|cu\\d{3})(?:-precxx11)?-(?:linux|osx|win)-");
    private static final Pattern BUILD_FLAVOR = Pattern.compile("\\+(cu\\d{3}|cpu)");

    /**
     * Why a present GPU cannot be used, with what to do; null when the engine uses a GPU or when
     * there is no sign of an NVIDIA GPU.
     *
     * @return the reason, or null
     */
    public String unusableReason() {
        if (engineGpus > 0) {
            return null;
        }
        boolean driver = driverVersion != null || nvidiaSmi || cudaRuntimeGpus > 0;
        String restart = " Then restart Fiji.";
        if (libtorchVersion != null && !libtorchVersion.startsWith(PYTORCH_VERSION)) {
            return "Version mismatch: the libtorch at PYTORCH_LIBRARY_PATH is " + libtorchVersion + ", but this plugin"
                    + " needs PyTorch " + PYTORCH_VERSION + ". Point PYTORCH_LIBRARY_PATH at a libtorch "
                    + PYTORCH_VERSION + " with CUDA (e.g. 2.7.1+cu128)." + restart;
        }
        boolean cudaNatives = nativesFlavor != null && nativesFlavor.startsWith("cu");
        if (!cudaNatives) {
            if (!driver) {
                return null;
            }
            return "An NVIDIA driver is installed" + (driverVersion == null ? "" : " (version " + driverVersion + ")")
                    + " but the loaded PyTorch natives are CPU-only. Enable the CUDA download (engine preference"
                    + " flavor=" + EnginePreference.CUDA_FLAVOR + ", offline=false) or set PYTORCH_LIBRARY_PATH to a"
                    + " CUDA libtorch " + PYTORCH_VERSION + "." + restart;
        }
        if (!driver) {
            return "The CUDA build of PyTorch (" + nativesFlavor + ") is loaded but no NVIDIA driver was found. Install"
                    + " the NVIDIA driver (570 or newer for CUDA 12.8), or go back to the CPU natives (engine"
                    + " preference flavor=cpu)." + restart;
        }
        int[] minimum = minimumDriver(nativesFlavor);
        if (driverVersion != null && minimum != null && olderThan(driverVersion, minimum)) {
            return "The NVIDIA driver " + driverVersion + " is too old for the CUDA " + cudaLabel(nativesFlavor)
                    + " build of PyTorch (it needs " + minimum[0] + "." + minimum[1] + " or newer; 570 or newer is"
                    + " best for CUDA 12.8). Update the NVIDIA driver, or use the CPU natives (flavor=cpu)."
                    + restart;
        }
        return "An NVIDIA driver" + (driverVersion == null ? "" : " (" + driverVersion + ")") + " and the CUDA build of"
                + " PyTorch (" + nativesFlavor + ") are present, but PyTorch sees no usable GPU: the CUDA runtime"
                + " could not be loaded or does not match the driver. Check that the libtorch folder holds its CUDA"
                + " libraries (libcudart, libcudnn), that no other CUDA version shadows them on the library path,"
                + " and that the driver supports CUDA " + cudaLabel(nativesFlavor) + "." + restart;
    }

    /**
     * Gathers the host's evidence (files only) around a started engine.
     *
     * @param engineGpus      the engine's GPU count
     * @param cudaRuntimeGpus the CUDA runtime's GPU count (DJL's CudaUtils), 0 if unknown
     * @param nativesDir      the folder the natives were loaded from, or null
     * @param libraryPath     the PYTORCH_LIBRARY_PATH in force, or null
     * @return the facts
     */
    static GpuHostFacts collect(int engineGpus, int cudaRuntimeGpus, Path nativesDir, String libraryPath) {
        return new GpuHostFacts(engineGpus, driverVersion(Paths.get("/proc/driver/nvidia/version")),
                nvidiaSmiOnPath(System.getenv("PATH")), cudaRuntimeGpus, nativesFlavor(nativesDir),
                libraryPath == null ? null : libtorchVersion(nativesDir));
    }

    /**
     * The driver version from the text of {@code /proc/driver/nvidia/version}.
     *
     * @param file the file (absent on hosts without the Linux NVIDIA driver)
     * @return e.g. "550.54.14", or null
     */
    static String driverVersion(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return lines.isEmpty() ? null : driverVersionOf(lines.get(0));
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /**
     * Parses the first line of {@code /proc/driver/nvidia/version}.
     *
     * @param line e.g. "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.14  Thu Feb 22 ..."
     * @return the version, or null
     */
    static String driverVersionOf(String line) {
        int at = line.indexOf("Module");
        Matcher m = DRIVER.matcher(at < 0 ? line : line.substring(at));
        return m.find() ? m.group(1) : null;
    }

    /**
     * Whether an nvidia-smi executable lies in one of the PATH's folders.
     *
     * @param path the PATH value, or null
     * @return true if found
     */
    static boolean nvidiaSmiOnPath(String path) {
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            try {
                Path d = Paths.get(dir);
                if (Files.isRegularFile(d.resolve("nvidia-smi")) || Files.isRegularFile(d.resolve("nvidia-smi.exe"))) {
                    return true;
                }
            } catch (RuntimeException e) {
                continue;
            }
        }
        return false;
    }

    /**
     * The flavour of the natives in a folder: from DJL's cache folder name
     * ({@code 2.7.1-20250812-cpu-linux-x86_64}), else from a libtorch's {@code build-version}, else
     * "cuda" when CUDA libraries lie there, else "cpu".
     *
     * @param dir the natives folder, or null
     * @return the flavour, or "unknown" when there is no folder
     */
    static String nativesFlavor(Path dir) {
        if (dir == null) {
            return "unknown";
        }
        Path name = dir.getFileName();
        Matcher m = CACHE_DIR_FLAVOR.matcher(name == null ? "" : name.toString() + "-");
        if (m.find()) {
            return m.group(1);
        }
        String build = libtorchVersion(dir);
        if (build != null) {
            Matcher b = BUILD_FLAVOR.matcher(build);
            if (b.find()) {
                return b.group(1);
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            boolean cuda = files.map(p -> p.getFileName().toString().toLowerCase(Locale.ROOT))
                    .anyMatch(f -> f.contains("torch_cuda") || f.contains("c10_cuda"));
            return cuda ? "cuda" : "cpu";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * The version of a libtorch distribution, from the {@code build-version} file next to or above its
     * {@code lib} folder.
     *
     * @param dir the folder with the libraries (or the libtorch root)
     * @return e.g. "2.7.1+cu128", or null
     */
    static String libtorchVersion(Path dir) {
        if (dir == null) {
            return null;
        }
        List<Path> candidates = new ArrayList<>();
        candidates.add(dir.resolve("build-version"));
        if (dir.getParent() != null) {
            candidates.add(dir.getParent().resolve("build-version"));
        }
        for (Path p : candidates) {
            try {
                if (Files.isRegularFile(p)) {
                    String v = Files.readString(p, StandardCharsets.UTF_8).trim();
                    if (!v.isEmpty()) {
                        return v;
                    }
                }
            } catch (IOException | RuntimeException e) {
                continue;
            }
        }
        return null;
    }

    private static int[] minimumDriver(String flavor) {
        if (flavor.startsWith("cu12")) {
            return new int[] {525, 60};
        }
        if (flavor.startsWith("cu11")) {
            return new int[] {450, 80};
        }
        return null;
    }

    private static boolean olderThan(String version, int[] minimum) {
        String[] parts = version.split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major < minimum[0] || (major == minimum[0] && minor < minimum[1]);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String cudaLabel(String flavor) {
        if (flavor.matches("cu\\d{3}")) {
            return flavor.substring(2, 4) + "." + flavor.substring(4);
        }
        return flavor;
    }
}
