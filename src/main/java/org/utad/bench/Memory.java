package org.utad.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the process's resident memory (heap and native) and its page faults from /proc, for
 * benchmark reports.
 */
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

    /**
     * The minor page faults of this process so far: pages the kernel had to map, and zero, on first
     * touch. A step that faults hundreds of pages is paying for memory that is new to the process
     * (a Java heap still growing, or native memory handed back to the system), not for its work.
     *
     * @return the count, or -1 where /proc is unavailable (not Linux)
     */
    static long minorFaults() {
        try {
            return minorFaults(Files.readString(Path.of("/proc/self/stat")));
        } catch (IOException | IllegalArgumentException e) {
            return -1;
        }
    }

    /**
     * The minor fault count of a {@code /proc/PID/stat} line: its tenth field, counted after the
     * command name, which is in parentheses and may itself hold spaces and parentheses.
     *
     * @param stat the line
     * @return the count
     * @throws IllegalArgumentException if the line does not have that field
     */
    static long minorFaults(String stat) {
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            throw new IllegalArgumentException("Not a /proc stat line: " + stat);
        }
        String[] fields = stat.substring(end + 1).trim().split("\\s+");
        // After the name: state (3), ppid, pgrp, session, tty_nr, tpgid, flags, minflt (10).
        if (fields.length < 8) {
            throw new IllegalArgumentException("Not a /proc stat line: " + stat);
        }
        try {
            return Long.parseLong(fields[7]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not a /proc stat line: " + stat, e);
        }
    }
}
