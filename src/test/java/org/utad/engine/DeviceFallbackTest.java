package org.utad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.utad.core.UtadException;

/** The out-of-memory policy, driven by injected faults: halve the batch down to 1, then the CPU. */
class DeviceFallbackTest {
    /** A job whose "GPU" has room for at most {@code room} items per call, and the CPU for all. */
    private static DeviceFallback.BatchJob<String> job(int room, List<String> calls) {
        return (device, batch) -> {
            calls.add(Engines.label(device) + " x" + batch);
            if (device.isGpu() && batch > room) {
                throw new EngineException("CUDA out of memory. Tried to allocate 2.00 GiB");
            }
            return Engines.label(device) + "/" + batch;
        };
    }

    @Test
    void halvesTheBatchUntilItFitsAndRemembers() {
        List<String> messages = new ArrayList<>();
        AtomicInteger released = new AtomicInteger();
        DeviceFallback f = new DeviceFallback(Device.gpu(), 8, DeviceFallback.OUT_OF_MEMORY, released::incrementAndGet,
                messages::add);
        List<String> calls = new ArrayList<>();
        assertEquals("gpu 0/2", f.run(job(3, calls)));
        assertEquals(List.of("gpu 0 x8", "gpu 0 x4", "gpu 0 x2"), calls);
        assertEquals(List.of("Out of memory on gpu 0 with a batch of 8: retrying with 4.",
                "Out of memory on gpu 0 with a batch of 4: retrying with 2."), messages);
        assertEquals(messages, f.messages());
        assertEquals(2, released.get());

        calls.clear();
        assertEquals("gpu 0/2", f.run(job(3, calls)));
        assertEquals(List.of("gpu 0 x2"), calls, "the next batch starts at the size that fitted");
        assertEquals(2, f.batchSize());
    }

    @Test
    void movesToTheCpuWhenEvenOneDoesNotFit() {
        List<String> messages = new ArrayList<>();
        DeviceFallback f = new DeviceFallback(Device.gpu(), 4, DeviceFallback.OUT_OF_MEMORY, () -> { }, messages::add);
        List<String> calls = new ArrayList<>();
        assertEquals("cpu/4", f.run(job(0, calls)));
        assertEquals(List.of("gpu 0 x4", "gpu 0 x2", "gpu 0 x1", "cpu x4"), calls);
        assertEquals(3, messages.size());
        assertEquals("Out of memory on gpu 0 even with a batch of 1: continuing on the CPU (slower) with a batch of 4.",
                messages.get(2));
        assertEquals(Device.cpu(), f.device());
    }

    @Test
    void outOfMemoryOnTheCpuAtOneIsAClearError() {
        DeviceFallback f = new DeviceFallback(Device.cpu(), 2, t -> true, () -> { }, m -> { });
        UtadException e = assertThrows(UtadException.class, () -> f.run((device, batch) -> {
            throw new IllegalStateException("injected fault");
        }));
        assertTrue(e.getMessage().startsWith("Out of memory on the CPU even with a batch of 1 (injected fault)."),
                e.getMessage());
        assertEquals(1, f.messages().size());
    }

    @Test
    void otherFailuresPassThroughUntouched() {
        DeviceFallback f = new DeviceFallback(Device.gpu(), 8, DeviceFallback.OUT_OF_MEMORY, () -> { }, m -> { });
        IllegalArgumentException bad = new IllegalArgumentException("shape mismatch");
        AtomicInteger runs = new AtomicInteger();
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> f.run((d, b) -> {
            runs.incrementAndGet();
            throw bad;
        }));
        assertSame(bad, thrown);
        assertEquals(1, runs.get());
        assertTrue(f.messages().isEmpty());
    }

    @Test
    void recognisesPytorchOutOfMemoryMessages() {
        assertTrue(DeviceFallback.isOutOfMemory(new EngineException("CUDA out of memory. Tried to allocate 20 MiB")));
        assertTrue(DeviceFallback.isOutOfMemory(new EngineException("forward failed",
                new EngineException("CUDA error: out of memory"))));
        assertTrue(DeviceFallback.isOutOfMemory(new EngineException(
                "[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: can't allocate memory: you tried to allocate"
                        + " 68719476736 bytes")));
        assertTrue(DeviceFallback.isOutOfMemory(new EngineException("cuDNN error: CUDNN_STATUS_ALLOC_FAILED")));
        assertFalse(DeviceFallback.isOutOfMemory(new EngineException("Expected all tensors to be on the same device")));
        assertFalse(DeviceFallback.isOutOfMemory(new RuntimeException((String) null)));
    }

    @Test
    void aTrainingOutOfMemoryNamesTheCheckpoint(@TempDir Path tmp) throws Exception {
        Path ckpt = Files.createFile(tmp.resolve("model.utad.ckpt"));
        UtadException e = DeviceFallback.trainingOutOfMemory(new EngineException("CUDA out of memory.\nmore"),
                Device.gpu(), ckpt);
        assertTrue(e.getMessage().startsWith("Training ran out of memory on gpu 0 (CUDA out of memory.) and stopped."),
                e.getMessage());
        assertTrue(e.getMessage().contains("The last checkpoint, " + ckpt + ", is kept"), e.getMessage());
        assertTrue(e.getMessage().contains("resume"), e.getMessage());
        UtadException none = DeviceFallback.trainingOutOfMemory(new EngineException("out of memory"), Device.cpu(),
                tmp.resolve("absent"));
        assertTrue(none.getMessage().contains("No checkpoint had been written yet."), none.getMessage());
    }

    @Test
    void batchSizeMustBePositive() {
        assertThrows(IllegalArgumentException.class,
                () -> new DeviceFallback(Device.cpu(), 0, t -> false, () -> { }, m -> { }));
    }
}
