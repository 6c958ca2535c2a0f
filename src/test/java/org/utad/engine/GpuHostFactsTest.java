package org.utad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Diagnosis of a GPU that is present but unusable, and the file-only evidence it rests on. */
class GpuHostFactsTest {
    @TempDir
    Path tmp;

    @Test
    void noGpuAnywhereIsNoProblem() {
        assertNull(new GpuHostFacts(0, null, false, 0, "cpu", null).unusableReason());
    }

    @Test
    void aUsableGpuIsNoProblem() {
        assertNull(new GpuHostFacts(1, "570.124.06", true, 1, "cu128", null).unusableReason());
    }

    @Test
    void driverWithCpuNativesAsksForTheCudaRoute() {
        String r = new GpuHostFacts(0, "550.54.14", false, 0, "cpu", null).unusableReason();
        assertTrue(r.contains("An NVIDIA driver is installed (version 550.54.14)"), r);
        assertTrue(r.contains("CPU-only"), r);
        assertTrue(r.contains("flavor=cu128, offline=false"), r);
        assertTrue(r.contains("PYTORCH_LIBRARY_PATH"), r);
        assertTrue(r.contains("restart Fiji"), r);
        String smiOnly = new GpuHostFacts(0, null, true, 0, "cpu", null).unusableReason();
        assertTrue(smiOnly.startsWith("An NVIDIA driver is installed but"), smiOnly);
    }

    @Test
    void cudaNativesWithoutDriverSaySo() {
        String r = new GpuHostFacts(0, null, false, 0, "cu128", null).unusableReason();
        assertTrue(r.contains("no NVIDIA driver was found"), r);
    }

    @Test
    void oldDriverIsTooOld() {
        String r = new GpuHostFacts(0, "470.82.01", true, 0, "cu128", null).unusableReason();
        assertTrue(r.contains("470.82.01 is too old for the CUDA 12.8 build"), r);
        assertTrue(r.contains("525.60 or newer"), r);
    }

    @Test
    void recentDriverWithoutGpuPointsAtTheCudaRuntime() {
        String r = new GpuHostFacts(0, "550.54.14", true, 0, "cu128", null).unusableReason();
        assertTrue(r.contains("CUDA runtime could not be loaded or does not match the driver"), r);
        assertTrue(r.contains("CUDA 12.8"), r);
    }

    @Test
    void wrongLibtorchVersionIsAMismatch() {
        String r = new GpuHostFacts(0, "550.54.14", true, 1, "cu121", "2.5.1+cu121").unusableReason();
        assertTrue(r.startsWith("Version mismatch: the libtorch at PYTORCH_LIBRARY_PATH is 2.5.1+cu121"), r);
        assertTrue(r.contains("needs PyTorch 2.7.1"), r);
    }

    @Test
    void driverVersionIsReadFromProcText() throws Exception {
        assertEquals("550.54.14", GpuHostFacts.driverVersionOf(
                "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.14  Thu Feb 22 01:44:30 UTC 2024"));
        assertEquals("535.113.01", GpuHostFacts.driverVersionOf(
                "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  535.113.01  Release Build"));
        assertNull(GpuHostFacts.driverVersionOf("garbage"));
        Path f = tmp.resolve("version");
        Files.writeString(f, "NVRM version: NVIDIA UNIX x86_64 Kernel Module  470.82.01  Wed Oct 27\nGCC version: 9\n");
        assertEquals("470.82.01", GpuHostFacts.driverVersion(f));
        assertNull(GpuHostFacts.driverVersion(tmp.resolve("absent")));
    }

    @Test
    void nvidiaSmiIsFoundOnThePath() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        String path = tmp.resolve("nothing") + File.pathSeparator + bin;
        assertFalse(GpuHostFacts.nvidiaSmiOnPath(path));
        Files.createFile(bin.resolve("nvidia-smi"));
        assertTrue(GpuHostFacts.nvidiaSmiOnPath(path));
        assertFalse(GpuHostFacts.nvidiaSmiOnPath(null));
    }

    @Test
    void nativesFlavourComesFromTheCacheNameOrTheLibtorch() throws Exception {
        assertEquals("cpu", GpuHostFacts.nativesFlavor(tmp.resolve("2.7.1-20250812-cpu-linux-x86_64")));
        assertEquals("cu128", GpuHostFacts.nativesFlavor(tmp.resolve("2.7.1-cu128-linux-x86_64")));
        assertEquals("cu124", GpuHostFacts.nativesFlavor(tmp.resolve("2.5.1-cu124-precxx11-linux-x86_64")));
        assertEquals("unknown", GpuHostFacts.nativesFlavor(null));

        Path lib = Files.createDirectories(tmp.resolve("libtorch/lib"));
        Files.createFile(lib.resolve("libtorch.so"));
        assertEquals("cpu", GpuHostFacts.nativesFlavor(lib));
        Files.createFile(lib.resolve("libtorch_cuda.so"));
        assertEquals("cuda", GpuHostFacts.nativesFlavor(lib));
        Files.writeString(tmp.resolve("libtorch/build-version"), "2.7.1+cu128\n");
        assertEquals("cu128", GpuHostFacts.nativesFlavor(lib));
        assertEquals("2.7.1+cu128", GpuHostFacts.libtorchVersion(lib));
        assertNull(GpuHostFacts.libtorchVersion(tmp.resolve("elsewhere")));
    }
}
