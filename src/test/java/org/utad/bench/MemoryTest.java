package org.utad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class MemoryTest {
    @Test
    void minorFaultsIsTheTenthFieldCountedAfterTheCommandName() {
        // A command name with a space and a parenthesis of its own, as a thread may be called.
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 98765 12 3 0 150 20 0 0 20 0 30 0";
        assertEquals(98765, Memory.minorFaults(stat));
    }

    @Test
    void minorFaultsRefusesALineWithoutTheField() {
        assertThrows(IllegalArgumentException.class, () -> Memory.minorFaults("4242 (java) S 1 2"));
        assertThrows(IllegalArgumentException.class,
                () -> Memory.minorFaults("no parentheses here at all 1 2 3 4 5 6 7"));
        assertThrows(IllegalArgumentException.class, () -> Memory.minorFaults("1 (x) S 1 2 3 4 5 6 many 8"));
    }

    @Test
    void thisProcessCountsThePagesItTouchesForTheFirstTime() {
        long before = Memory.minorFaults();
        assertTrue(before >= 0, "this machine has /proc/self/stat");
        // 64 MB of native memory is larger than any malloc threshold, so it is a fresh mapping whose
        // 16384 pages the kernel maps one by one as the buffer is zeroed.
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 << 20);
        long after = Memory.minorFaults();
        assertTrue(after - before >= 8192, "faults before " + before + ", after " + after);
        assertEquals(0, buffer.get(12345));
    }
}
