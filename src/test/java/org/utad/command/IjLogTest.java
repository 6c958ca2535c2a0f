package org.utad.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Checks that every line UTAD writes to ImageJ's Log carries its prefix, multi-line summaries included. */
class IjLogTest {
    @Test
    void everyLineOfASummaryIsPrefixedAndOnlyTheFirstCarriesTheKind() {
        assertEquals(List.of("[UTAD] Model written to m.utad", "[UTAD] Last state kept in m.utad.checkpoint",
                        "[UTAD] device: cpu"),
                IjLog.prefixed("", "Model written to m.utad\nLast state kept in m.utad.checkpoint\r\ndevice: cpu"));
        assertEquals(List.of("[UTAD] Error: first", "[UTAD] second"), IjLog.prefixed("Error: ", "first\nsecond"));
        assertEquals(List.of("[UTAD] Warning: one line"), IjLog.prefixed("Warning: ", "one line"));
    }
}
