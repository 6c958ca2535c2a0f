package org.utad.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.utad.core.CancellationToken;

/**
 * A signal during a job must cancel it and release the JVM as soon as the job has returned, never
 * wait out its grace period for a thread that is itself waiting in {@code System.exit}.
 */
class SignalGateTest {
    private static final long GRACE_MS = 60_000;

    @Test
    void aSignalCancelsTheJobAndReturnsOnceTheJobHasReturned() throws Exception {
        CancellationToken cancel = new CancellationToken();
        SignalGate gate = new SignalGate(cancel, GRACE_MS);
        Thread job = new Thread(() -> {
            try {
                while (!cancel.isCancelled()) {
                    Thread.sleep(5);
                }
                gate.jobReturned();
                // Like System.exit during shutdown, this thread now never ends on its own.
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        job.setDaemon(true);
        job.start();
        long start = System.nanoTime();
        gate.onSignal();
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(cancel.isCancelled(), "the signal must cancel the running job");
        assertTrue(waited < GRACE_MS / 2, "the hook waited " + waited + " ms although the job had returned");
        assertTrue(job.isAlive(), "the job's thread is still alive, as the exiting main thread would be");
        job.interrupt();
    }

    @Test
    void aSignalAfterTheJobReturnedNeitherCancelsNorWaits() {
        CancellationToken cancel = new CancellationToken();
        SignalGate gate = new SignalGate(cancel, GRACE_MS);
        gate.jobReturned();
        gate.onSignal();
        assertFalse(cancel.isCancelled(), "a normal exit must not report a cancellation");
    }

    @Test
    void aJobThatIgnoresTheSignalIsAbandonedAfterTheGracePeriod() {
        CancellationToken cancel = new CancellationToken();
        SignalGate gate = new SignalGate(cancel, 200);
        long start = System.nanoTime();
        gate.onSignal();
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(cancel.isCancelled());
        assertTrue(waited >= 150, "the hook gave up after " + waited + " ms, before its grace period");
    }
}
