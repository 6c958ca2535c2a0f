package org.utad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The allocator tuning is applied on this Linux machine, can be declined, and can be handed to a child process. */
class NativeHeapTest {
    @Test
    void glibcAcceptsTheThresholdsAndASecondCallChangesNothing() {
        String first = NativeHeap.tune();
        assertTrue(first.contains("kept for reuse"), first);
        assertEquals(first, NativeHeap.tune());
    }

    @Test
    void aChildProcessIsGivenTheSameSettingsAsEnvironmentVariables() {
        assertEquals(Map.of("MALLOC_MMAP_THRESHOLD_", Integer.toString(NativeHeap.MMAP_THRESHOLD),
                "MALLOC_TRIM_THRESHOLD_", Integer.toString(NativeHeap.TRIM_THRESHOLD),
                "MALLOC_TOP_PAD_", Integer.toString(NativeHeap.TOP_PAD)), NativeHeap.environment());
        assertEquals("33554432", NativeHeap.environment().get("MALLOC_MMAP_THRESHOLD_"), "32 MB, glibc's largest");
    }

    @Test
    void theSystemPropertyLeavesTheAllocatorAlone() {
        System.setProperty(NativeHeap.PROPERTY, "default");
        try {
            assertTrue(NativeHeap.tune().contains("system defaults"));
            assertEquals(Map.of(), NativeHeap.environment());
        } finally {
            System.clearProperty(NativeHeap.PROPERTY);
        }
    }
}
