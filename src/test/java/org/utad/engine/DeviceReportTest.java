package org.utad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;
import org.utad.core.UtadException;

/** Device resolution for auto, cpu and gpu, with and without a (usable) GPU, through injected probes. */
class DeviceReportTest {
    private static final String CPU_ONLY = new GpuHostFacts(0, "550.54.14", true, 0, "cpu", null).unusableReason();

    @Test
    void autoTakesTheGpuWhenOneIsUsable() {
        DeviceReport r = Engines.deviceReport(DeviceChoice.AUTO, GpuProbe.of(2));
        assertEquals(Device.gpu(0), r.device());
        assertTrue(r.gpu());
        assertEquals("device: gpu 0 (asked auto; 2 usable CUDA GPUs)", r.line());
    }

    @Test
    void autoFallsBackToTheCpuAndSaysWhy() {
        DeviceReport none = Engines.deviceReport(DeviceChoice.AUTO, GpuProbe.of(0));
        assertEquals(Device.cpu(), none.device());
        assertEquals("device: cpu (asked auto; no GPU found)", none.line());

        DeviceReport unusable = Engines.deviceReport(DeviceChoice.AUTO, GpuProbe.unusable(CPU_ONLY));
        assertEquals(Device.cpu(), unusable.device());
        assertTrue(unusable.line().startsWith("device: cpu (asked auto; no usable GPU: An NVIDIA driver is installed"),
                unusable.line());
        assertTrue(unusable.line().contains("CPU-only"), unusable.line());
        assertFalse(unusable.line().contains("\n"));
    }

    @Test
    void cpuIsAlwaysTheCpu() {
        assertEquals(Device.cpu(), Engines.deviceReport(DeviceChoice.CPU, GpuProbe.of(0)).device());
        DeviceReport withGpu = Engines.deviceReport(DeviceChoice.CPU, GpuProbe.of(1));
        assertEquals(Device.cpu(), withGpu.device());
        assertEquals("device: cpu (asked cpu; the CPU was requested (1 usable CUDA GPU left unused))", withGpu.line());
    }

    @Test
    void gpuIsTheGpuOrAClearError() {
        assertEquals(Device.gpu(0), Engines.deviceReport(DeviceChoice.GPU, GpuProbe.of(1)).device());

        UtadException none = assertThrows(UtadException.class,
                () -> Engines.deviceReport(DeviceChoice.GPU, GpuProbe.of(0)));
        assertTrue(none.getMessage().contains("No NVIDIA GPU was found"), none.getMessage());
        assertTrue(none.getMessage().contains("'auto' or 'cpu'"), none.getMessage());

        String tooOld = new GpuHostFacts(0, "470.82.01", true, 0, "cu128", null).unusableReason();
        UtadException old = assertThrows(UtadException.class,
                () -> Engines.deviceReport(DeviceChoice.GPU, GpuProbe.unusable(tooOld)));
        assertTrue(old.getMessage().contains("470.82.01 is too old"), old.getMessage());
        assertTrue(old.getMessage().contains("Update the NVIDIA driver"), old.getMessage());
    }

    @Test
    void labelsReadLikeWords() {
        assertEquals("cpu", Engines.label(Device.cpu()));
        assertEquals("gpu 0", Engines.label(Device.gpu()));
        assertEquals("gpu 3", Engines.label(Device.gpu(3)));
    }

    @Test
    void negativeGpuCountsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new GpuStatus(-1, null));
        assertFalse(new GpuStatus(0, " ").usable());
        assertEquals(null, new GpuStatus(0, " ").problem());
    }
}
