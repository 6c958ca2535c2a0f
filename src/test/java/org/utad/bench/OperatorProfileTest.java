package org.utad.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Self times and engine call counts read from a profiler trace with nested operators. */
class OperatorProfileTest {
    private static String event(String name, int tid, double ts, double dur) {
        return "{\"ph\": \"X\", \"cat\": \"cpu_op\", \"name\": \"" + name + "\", \"pid\": 1, \"tid\": " + tid
                + ", \"ts\": " + ts + ", \"dur\": " + dur + "}";
    }

    @Test
    void nestedCallsAreSubtractedFromTheirCallerAndOnlyTopLevelCallsCountAsCrossings(@TempDir Path dir)
            throws IOException {
        // Two steps: conv (1000 us) calls pad (300 us), which calls copy (100 us); then add (200 us)
        // at top level; on a second thread copy (50 us) at top level.
        String trace = "{\"traceEvents\": [" + String.join(", ",
                event("conv", 1, 0, 1000), event("pad", 1, 100, 300), event("copy", 1, 150, 100),
                event("add", 1, 1200, 200), event("conv", 1, 2000, 1000), event("pad", 1, 2100, 300),
                event("copy", 1, 2150, 100), event("add", 1, 3200, 200), event("copy", 2, 500, 50),
                "{\"ph\": \"i\", \"name\": \"marker\", \"ts\": 5}") + "]}";
        Path file = dir.resolve("trace.json");
        Files.writeString(file, trace, StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OperatorProfile.print(file, 2, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        // Engine time per step: (2 x (1000 + 200) + 50) / 2 = 1225 us; top-level calls 5 / 2 = 2.
        assertTrue(text.contains("1.2 ms per step inside the engine, 2 engine calls from Java per step"), text);
        assertTrue(text.contains("| conv | 0.70 | 57.1 % | 1 |"), text);
        assertTrue(text.contains("| add | 0.20 | 16.3 % | 1 |"), text);
        assertTrue(text.contains("| pad | 0.20 | 16.3 % | 1 |"), text);
        assertTrue(text.contains("| copy | 0.13 | 10.2 % | 2 |"), text);
        assertTrue(text.indexOf("| conv |") < text.indexOf("| copy |"), "sorted by self time: " + text);
    }
}
