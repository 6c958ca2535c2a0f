package org.utad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The allocator tuning is applied on this Linux machine and can be declined. */
class NativeHeapTest {
    @Test
    void glibcAcceptsTheThresholdsAndASecondCallChangesNothing() {
        String first = NativeHeap.tune();
        assertTrue(first.contains("kept for reuse"), first);
        assertEquals(first, NativeHeap.tune());
    }

    @Test
    void theSystemPropertyLeavesTheAllocatorAlone() {
        System.setProperty(NativeHeap.PROPERTY, "default");
        try {
            assertTrue(NativeHeap.tune().contains("system defaults"));
        } finally {
            System.clearProperty(NativeHeap.PROPERTY);
        }
    }
}
