package org.utad.engine;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A background thread that keeps the Java garbage collector freeing direct buffers and the freed memory
 * handed out again and overwritten, while a test runs engine work on its own thread. Any tensor that
 * still reads a direct buffer whose Java owner has been closed then reads other data, so work that
 * depends on such memory stops giving the same result twice ({@link OwnedArrays} says why it happens).
 */
public final class GcChurn implements AutoCloseable {
    /** What the small buffers are filled with: far from any value the tested work computes. */
    static final float GARBAGE = 1234.5f;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    private GcChurn() {
        thread = new Thread(this::churn, "gc-churn");
        thread.setDaemon(true);
        thread.start();
    }

    /** @return a running churn; close it to stop the thread */
    public static GcChurn start() {
        return new GcChurn();
    }

    private void churn() {
        List<ByteBuffer> kept = new ArrayList<>();
        long round = 0;
        while (running.get()) {
            for (int i = 0; i < 200; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(4 + (i % 16) * 4);
                while (b.remaining() >= Float.BYTES) {
                    b.putFloat(GARBAGE);
                }
                kept.add(b);
            }
            if (kept.size() > 20_000) {
                kept.clear();
            }
            if (++round % 20 == 0) {
                System.gc();
            }
        }
    }

    /** Stops the thread and waits for it. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join();
    }
}
