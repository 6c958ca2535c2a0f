package org.utad.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.utad.core.InvalidInputException;

/**
 * A growable list of longs that is handed out sorted: the packed score and region keys
 * of anomalous pixels behind the per-region overlap metric.
 *
 * <p>Values are appended to chunks (so that growing never copies what is already stored) and are
 * gathered into one array and sorted in place when {@link #sorted()} is called. Steady-state cost
 * is 8 bytes per value; gathering briefly needs a second copy (16 bytes per value at the peak).
 */
final class LongStore {
    private static final int MIN_CHUNK = 4096;
    private static final int MAX_CHUNK = 1 << 22;
    private static final int MAX_SIZE = Integer.MAX_VALUE - 16;

    private final List<long[]> chunks = new ArrayList<>();
    private long[] sorted = new long[0];
    private long[] current;
    private int used;
    private long size;

    /**
     * Appends one value.
     *
     * @param value the value
     */
    void add(long value) {
        if (size >= MAX_SIZE) {
            throw new InvalidInputException("More than " + MAX_SIZE
                    + " anomalous pixel scores were added; evaluate fewer or smaller images at a time");
        }
        if (current == null || used == current.length) {
            current = new long[(int) Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, size))];
            chunks.add(current);
            used = 0;
        }
        current[used++] = value;
        size++;
    }

    /** @return the number of values added */
    long size() {
        return size;
    }

    /**
     * Gathers and sorts everything added so far. The returned array is owned by the store: callers
     * must not modify it, and it stays valid until the next {@link #add(long)}.
     *
     * @return all values in ascending order
     */
    long[] sorted() {
        if (chunks.isEmpty()) {
            return sorted;
        }
        long[] all = Arrays.copyOf(sorted, (int) size);
        int at = sorted.length;
        sorted = null;
        for (int c = 0; c < chunks.size(); c++) {
            long[] chunk = chunks.get(c);
            int n = chunk == current ? used : chunk.length;
            System.arraycopy(chunk, 0, all, at, n);
            at += n;
            chunks.set(c, null);
        }
        chunks.clear();
        current = null;
        used = 0;
        Arrays.sort(all);
        sorted = all;
        return all;
    }
}
