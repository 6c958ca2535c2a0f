package org.utad.engine;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.utad.core.UtadException;

/**
 * What to do when a batch does not fit in memory: halve the batch, down to 1, then move to the CPU.
 *
 * <p>A GPU has far less memory than the host, and how much a batch needs depends on the image and
 * model size, which the user picks. Rather than fail, a job that runs batches through this policy
 * retries an out-of-memory batch with half the batch size, down to a batch of 1; if even that does
 * not fit on the GPU, it runs on the CPU (slower, but the host's memory is larger) with the original
 * batch size. Each step is reported through the message callback. Out of memory on the CPU at a batch
 * of 1 ends with a {@link UtadException} that says what to do.
 *
 * <p>The policy remembers what it learned: once a smaller batch or the CPU was needed, later calls
 * start there, so a long run does not hit the same wall for every batch. It is thread-safe; the job
 * itself runs outside any lock.
 *
 * <p>Training does not use this policy (its batch size is part of the reproducible schedule): an
 * out-of-memory error there stops the run. The checkpoint written at the last tenth of a stage is kept,
 * and {@link #trainingOutOfMemory} words the message the user should see.
 */
public final class DeviceFallback {
    /** Recognises out-of-memory failures from PyTorch through DJL (GPU and CPU allocators). */
    public static final Predicate<Throwable> OUT_OF_MEMORY = DeviceFallback::isOutOfMemory;

    /**
     * A job that runs all its work on one device in batches of at most the given size.
     *
     * @param <T> the job's result
     */
    @FunctionalInterface
    public interface BatchJob<T> {
        /**
         * Runs the whole job.
         *
         * @param device    where to run
         * @param batchSize the most items per network call (at least 1)
         * @return the result
         */
        T run(Device device, int batchSize);
    }

    private record State(Device device, int batchSize) {
    }

    private final int initialBatch;
    private final Predicate<Throwable> outOfMemory;
    private final Runnable afterOutOfMemory;
    private final Consumer<String> messages;
    private final List<String> log = new ArrayList<>();
    private State state;

    /**
     * @param device           the device to start on
     * @param batchSize        the batch size to start with (at least 1)
     * @param outOfMemory      recognises an out-of-memory failure ({@link #OUT_OF_MEMORY}, or a fault
     *                         injected by a test)
     * @param afterOutOfMemory runs after each out-of-memory failure, e.g. to release the GPU's cached
     *                         blocks before the retry
     * @param messages         receives one message per step taken, in words for the user
     */
    public DeviceFallback(Device device, int batchSize, Predicate<Throwable> outOfMemory, Runnable afterOutOfMemory,
                          Consumer<String> messages) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("Batch size must be at least 1: " + batchSize);
        }
        this.initialBatch = batchSize;
        this.outOfMemory = outOfMemory;
        this.afterOutOfMemory = afterOutOfMemory;
        this.messages = messages;
        this.state = new State(device, batchSize);
    }

    /**
     * Runs a job with this policy.
     *
     * @param job the job; it is run again, on a smaller batch or on the CPU, after out of memory
     * @param <T> its result
     * @return the result of the first run that did not run out of memory
     * @throws UtadException if memory runs out on the CPU with a batch of 1
     * @throws RuntimeException any other failure of the job, unchanged
     */
    public <T> T run(BatchJob<T> job) {
        State s = current();
        while (true) {
            try {
                return job.run(s.device(), s.batchSize());
            } catch (RuntimeException e) {
                if (!outOfMemory.test(e)) {
                    throw e;
                }
                afterOutOfMemory.run();
                s = degrade(s, e);
            }
        }
    }

    /** @return the device the next call starts on */
    public synchronized Device device() {
        return state.device();
    }

    /** @return the batch size the next call starts with */
    public synchronized int batchSize() {
        return state.batchSize();
    }

    /** @return every message reported so far, oldest first */
    public synchronized List<String> messages() {
        return List.copyOf(log);
    }

    private synchronized State current() {
        return state;
    }

    /** Moves one step down from the state that failed, unless another thread already moved on. */
    private synchronized State degrade(State failed, RuntimeException e) {
        if (!state.equals(failed)) {
            return state;
        }
        String where = Engines.label(failed.device());
        State next;
        String message;
        if (failed.batchSize() > 1) {
            next = new State(failed.device(), failed.batchSize() / 2);
            message = "Out of memory on " + where + " with a batch of " + failed.batchSize() + ": retrying with "
                    + next.batchSize() + ".";
        } else if (failed.device().isGpu()) {
            next = new State(Device.cpu(), initialBatch);
            message = "Out of memory on " + where + " even with a batch of 1: continuing on the CPU (slower) with a"
                    + " batch of " + initialBatch + ".";
        } else {
            throw new UtadException("Out of memory on the CPU even with a batch of 1 (" + firstLine(e) + "). Close"
                    + " other programs, give Fiji more memory, or use smaller images (patch mode tiles large images).",
                    e);
        }
        state = next;
        log.add(message);
        messages.accept(message);
        return next;
    }

    /**
     * Whether a failure is an out-of-memory error of PyTorch (through DJL's EngineException), looking
     * through the causes: "CUDA out of memory", "out of memory", or the CPU allocator's "can't allocate
     * memory".
     *
     * @param t the failure
     * @return true for out of memory
     */
    public static boolean isOutOfMemory(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            if (m != null) {
                String s = m.toLowerCase(Locale.ROOT);
                if (s.contains("out of memory") || s.contains("can't allocate memory")
                        || s.contains("alloc_failed")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The exception to show when training runs out of memory: it says where, that the run stopped, that
     * the last checkpoint is kept and how to go on.
     *
     * @param e          the out-of-memory failure
     * @param device     the training device
     * @param checkpoint the checkpoint file, or null when none is written
     * @return the exception to throw
     */
    public static UtadException trainingOutOfMemory(RuntimeException e, Device device, Path checkpoint) {
        String kept = checkpoint != null && Files.exists(checkpoint)
                ? " The last checkpoint, " + checkpoint + ", is kept: train again with resume to continue from it."
                : " No checkpoint had been written yet.";
        String what = device.isGpu()
                ? " Lower the batch size (--set stage1.batch_size=4, stage2.batch_size) or the image size, or train"
                + " on the CPU (device cpu), which has more memory but is slower."
                : " Lower the batch size or the image size, or close other programs and give Fiji more memory.";
        return new UtadException("Training ran out of memory on " + Engines.label(device) + " (" + firstLine(e)
                + ") and stopped." + kept + what, e);
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
