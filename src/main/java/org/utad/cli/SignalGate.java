package org.utad.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.utad.core.CancellationToken;

/**
 * Turns a termination signal (Ctrl-C, SIGTERM) into a cancellation that the running job honours,
 * and lets the JVM exit as soon as the job has returned.
 *
 * <p>The shutdown hook must not wait for the job's thread to die: that thread is the one that calls
 * {@code System.exit}, which blocks while the hooks run, so such a wait always ran to its time-out
 * (two minutes after a training checkpoint had already been written). The hook waits instead for
 * {@link #jobReturned()}, which the job's thread calls before it exits. Public so that the
 * developer benchmarks' entry point ({@code org.utad.bench}) stops on Ctrl-C as {@code utad} does.
 */
public final class SignalGate {
    private final CancellationToken cancel;
    private final long graceMillis;
    private final CountDownLatch returned = new CountDownLatch(1);

    /**
     * Runs a command-line job with Ctrl-C and SIGTERM wired to its cancellation token, then exits
     * the JVM with the job's exit code. Both entry points, {@code utad} and the developer
     * benchmarks, start this way, so both stop the same way on a signal.
     *
     * @param job runs the command with the token it must poll and returns its exit code
     */
    public static void runAndExit(ToIntFunction<CancellationToken> job) {
        CancellationToken cancel = new CancellationToken();
        SignalGate gate = new SignalGate(cancel, 120_000);
        Runtime.getRuntime().addShutdownHook(new Thread(gate::onSignal, "utad-signal"));
        int code = job.applyAsInt(cancel);
        gate.jobReturned();
        System.exit(code);
    }

    /**
     * @param cancel      the token the running job polls
     * @param graceMillis how long a signal waits for the job to stop (to write a checkpoint, say)
     *                    before the JVM exits without it
     */
    public SignalGate(CancellationToken cancel, long graceMillis) {
        this.cancel = cancel;
        this.graceMillis = graceMillis;
    }

    /**
     * The shutdown hook's body: asks a job that is still running to stop and waits until it has
     * returned, at most the grace period. Does nothing once the job has returned (a normal exit).
     */
    public void onSignal() {
        if (returned.getCount() == 0) {
            return;
        }
        cancel.cancel();
        try {
            returned.await(graceMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Says the job has returned; call it before {@code System.exit} so that no hook waits for it. */
    public void jobReturned() {
        returned.countDown();
    }
}
