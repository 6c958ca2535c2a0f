package org.utad.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import org.utad.api.BatchDetection.Row;
import org.utad.core.CancellationToken;
import org.utad.core.CancelledException;
import org.utad.core.ProgressEvent;
import org.utad.core.ProgressListener;
import org.utad.engine.Engines;

/**
 * The loop of {@link BatchDetection} over a folder's files: several files at once on worker threads
 * (each with its share of PyTorch's intra-op threads), or one at a time on the calling thread, with
 * progress, the progress table and cancellation on the calling thread either way. Apart from the
 * folder's checks and files so that each part has one idea: which images, and how they are paced.
 */
final class FolderLoop {
    private static final AtomicInteger WORKERS = new AtomicInteger();

    private FolderLoop() {
    }

    /**
     * Detects every file, {@code workers} at a time, and returns each file's rows in the files' order.
     * After each file the progress table holds the rows of every file done so far, in the files' order,
     * so a cancelled, interrupted or killed run leaves a valid table of exactly the files whose outputs
     * are complete. With one worker the work runs on the calling thread.
     *
     * @param files    the files, in table order
     * @param threads  the calling thread's intra-op threads, set back when the workers are done
     * @param workers  how many files at once, at least 1
     * @param detect   detects one file and writes its outputs ({@link BatchDetection#detectFile})
     * @param listener progress per file
     * @param cancel   stops taking files; the files in flight finish
     * @param progress the table rewritten after every file
     * @param t0       when the run started, for the rate
     * @return each file's rows
     * @throws CancelledException when cancelled or interrupted, after the table lists the finished files
     */
    static List<List<Row>> detectAll(List<Path> files, int threads, int workers, Function<Path, List<Row>> detect,
                                     ProgressListener listener, CancellationToken cancel, Path progress, long t0) {
        int perWorker = Math.max(1, threads / workers);
        // Workers fill their own files' places; the calling thread reads every place for the table.
        AtomicReferenceArray<List<Row>> byFile = new AtomicReferenceArray<>(files.size());
        ScoresCsv.write(progress, List.of());
        ExecutorService pool = workers > 1 ? Executors.newFixedThreadPool(workers, FolderLoop::worker) : null;
        CompletionService<Integer> finished = new ExecutorCompletionService<>(pool != null ? pool : Runnable::run);
        int next = 0;
        int running = 0;
        int done = 0;
        try {
            while (done < files.size()) {
                while (running < workers && next < files.size() && !cancel.isCancelled()) {
                    int index = next++;
                    finished.submit(() -> {
                        if (pool != null) {
                            Engines.setIntraOpThreads(perWorker);
                        }
                        byFile.set(index, detect.apply(files.get(index)));
                        return index;
                    });
                    running++;
                }
                if (running == 0) {
                    ScoresCsv.write(progress, rowsSoFar(byFile));
                    throw new CancelledException("Detection cancelled after " + done + " of " + files.size()
                            + " files; results so far are in " + progress + ".");
                }
                int index = take(finished);
                running--;
                done++;
                Path f = files.get(index);
                if (BatchDetection.isFailure(byFile.get(index))) {
                    listener.onProgress(ProgressEvent.message("detect", "Skipped " + f.getFileName() + ": "
                            + byFile.get(index).get(0).error()));
                }
                ScoresCsv.write(progress, rowsSoFar(byFile));
                double rate = done / ((System.nanoTime() - t0) / 1e9);
                listener.onProgress(new ProgressEvent("detect", done, files.size(), Map.of(), Double.NaN, rate,
                        (files.size() - done) / rate, "Detected " + done + "/" + files.size() + ": " + f.getFileName()));
            }
        } catch (RuntimeException | Error e) {
            if (pool != null) {
                stopWorkers(pool, threads);
                listAfterFailure(progress, byFile, e);
            }
            throw e;
        }
        if (pool != null) {
            stopWorkers(pool, threads);
        }
        List<List<Row>> all = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            all.add(byFile.get(i));
        }
        return all;
    }

    /**
     * Lets the workers finish the images they hold (each writes its files atomically) and sets back the
     * intra-op thread count, which the workers lowered for the threads that start after them.
     */
    private static void stopWorkers(ExecutorService pool, int threads) {
        pool.shutdown();
        awaitTermination(pool);
        Engines.setIntraOpThreads(threads);
    }

    /**
     * Rewrites the progress table once the workers have stopped after an interrupt or an internal error,
     * so that it lists the images that were in flight and finished too. A failure to write is added to
     * the original exception, which stays the one the caller sees.
     */
    private static void listAfterFailure(Path progress, AtomicReferenceArray<List<Row>> byFile, Throwable failure) {
        try {
            ScoresCsv.write(progress, rowsSoFar(byFile));
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** The rows of every file done so far, in the files' order. */
    private static List<Row> rowsSoFar(AtomicReferenceArray<List<Row>> byFile) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < byFile.length(); i++) {
            List<Row> fileRows = byFile.get(i);
            if (fileRows != null) {
                rows.addAll(fileRows);
            }
        }
        return rows;
    }

    /** A daemon worker thread, so that a batch never keeps the JVM alive. */
    private static Thread worker(Runnable r) {
        Thread t = new Thread(r, "utad-detect-" + WORKERS.incrementAndGet());
        t.setDaemon(true);
        return t;
    }

    /**
     * The index of the next file done; a worker's exception is thrown here, on the calling thread, as it
     * would have been without workers.
     */
    private static int take(CompletionService<Integer> finished) {
        try {
            return finished.take().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException("Detection was interrupted; results so far are in the output folder.");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Waits for the workers to end, however often the calling thread is interrupted meanwhile. */
    private static void awaitTermination(ExecutorService pool) {
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
