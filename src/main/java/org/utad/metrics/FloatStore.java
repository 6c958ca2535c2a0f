package org.utad.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.utad.core.InvalidInputException;

/**
 * A growable list of floats that is handed out sorted, the storage behind the pixel metrics.
 *
 * <p>Values are appended to chunks (so that growing never copies what is already stored) and are
 * gathered into one array and sorted in place when {@link #sorted()} is called. Steady-state cost
 * is 4 bytes per value; gathering briefly needs a second copy (8 bytes per value at the peak).
 */
final class FloatStore {
    private static final int MIN_CHUNK = 4096;
    private static final int MAX_CHUNK = 1 << 22;
    private static final int MAX_SIZE = Integer.MAX_VALUE - 16;

    private final List<float[]> chunks = new ArrayList<>();
    private float[] sorted = new float[0];
    private float[] current;
    private int used;
    private long size;

    /**
     * Appends one value.
     *
     * @param value the value
     */
    void add(float value) {
        if (size >= MAX_SIZE) {
            throw new InvalidInputException("More than " + MAX_SIZE
                    + " pixel scores of one kind were added; evaluate fewer or smaller images at a time");
        }
        if (current == null || used == current.length) {
            current = new float[(int) Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, size))];
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
     * must not modify it, and it stays valid until the next {@link #add(float)}.
     *
     * @return all values in ascending order
     */
    float[] sorted() {
        if (chunks.isEmpty()) {
            return sorted;
        }
        float[] all = Arrays.copyOf(sorted, (int) size);
        int at = sorted.length;
        sorted = null;
        for (int c = 0; c < chunks.size(); c++) {
            float[] chunk = chunks.get(c);
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
