package org.utad.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the process's resident memory (heap and native) from /proc, for benchmark reports. */
final class Memory {
    private Memory() {
    }

    /**
     * Resets the peak resident set (VmHWM) to the current one, so the peak of one phase of a
     * benchmark can be read on its own (Linux 4.0 and later; ignored elsewhere).
     */
    static void resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | SecurityException e) {
            return;
        }
    }

    /**
     * @param field "VmHWM" for the peak resident set, "VmRSS" for the current one
     * @return megabytes, or NaN where /proc is unavailable (not Linux)
     */
    static double megabytes(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
                    return Long.parseLong(parts[0]) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
