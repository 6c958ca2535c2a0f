package org.utad.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.utad.config.UtadConfig;
import org.utad.core.CancellationToken;
import org.utad.core.CancelledException;
import org.utad.core.UtadException;
import org.utad.model.UtadNetworks;

/**
 * What both stage loops of one training run share: the networks and their optimisers, the state a
 * checkpoint keeps, validation, progress, and the duties between iterations (cancellation, periodic
 * checkpoints, keeping the best networks). Every random choice comes from {@link #random}, a function
 * of the seed, the stage and the iteration only, so a resumed run draws what the uninterrupted run drew.
 */
final class TrainingRun {
    /** The run's configuration. */
    final UtadConfig config;
    /** The native memory scope that owns the networks; each iteration opens a sub-scope of it. */
    final NDManager manager;
    /** The networks being trained. */
    final UtadNetworks nets;
    /** Each network's optimiser, by network name. */
    final Map<String, Adam> optimisers;
    /** Skips or stops on non-finite values. */
    final FiniteGuard guard;
    /** Where the run stands. */
    final TrainerState state;
    /** The validation losses. */
    final Validation validation;
    /** Progress events and the history. */
    final ProgressReport progress;
    private final Checkpoint checkpoint;
    private final CancellationToken cancel;
    /** Where the running stage's time goes; the stage loops charge their parts to it. */
    StageTimes times = new StageTimes();

    /**
     * @param config     the configuration
     * @param manager    the scope owning the networks
     * @param nets       the networks
     * @param optimisers their optimisers, by network name
     * @param guard      the non-finite guard
     * @param state      the run's state
     * @param validation the validation losses
     * @param progress   the progress report
     * @param checkpoint the checkpoint file (its file may be null)
     * @param cancel     the user's cancellation
     */
    TrainingRun(UtadConfig config, NDManager manager, UtadNetworks nets, Map<String, Adam> optimisers,
                FiniteGuard guard, TrainerState state, Validation validation, ProgressReport progress,
                Checkpoint checkpoint, CancellationToken cancel) {
        this.config = config;
        this.manager = manager;
        this.nets = nets;
        this.optimisers = optimisers;
        this.guard = guard;
        this.state = state;
        this.validation = validation;
        this.progress = progress;
        this.checkpoint = checkpoint;
        this.cancel = cancel;
    }

    /**
     * The random numbers of one iteration.
     *
     * @param iter    the iteration
     * @param stageNo 1 or 2
     * @return a generator seeded from the configuration's seed, the stage and the iteration
     */
    Random random(int iter, int stageNo) {
        return new Random(config.seed() * 1_000_003L + stageNo * 7_919_000_003L + iter);
    }

    /**
     * Draws standard normal values into a matrix, for random detail codes.
     *
     * @param m    the scope that owns the result
     * @param rnd  the iteration's generator
     * @param rows the rows
     * @param cols the columns
     * @return the (rows, cols) matrix
     */
    static NDArray gaussian(NDManager m, Random rnd, int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return m.create(v, new Shape(rows, cols));
    }

    /** The work of one iteration of a stage, between the cancellation check and the report. */
    @FunctionalInterface
    interface Iteration {
        /**
         * Samples a batch and steps the stage's networks.
         *
         * @param step      the iteration's native memory scope, closed after it
         * @param iteration the iteration, 0-based
         * @param losses    receives the loss terms by name
         */
        void run(NDManager step, int iteration, Map<String, Double> losses);
    }

    /**
     * Runs a stage's loop from the state's iteration to its end: before each iteration a check for
     * cancellation, after it the smoothed throughput, the validation every twentieth of the stage and
     * at its end, the report and the periodic checkpoint. The stage's clock runs for the loop only; at
     * the end a report says where its time went ({@link StageTimes}).
     *
     * @param stageNo   1 or 2
     * @param total     the stage's iterations
     * @param batchSize the stage's batch size, for the throughput
     * @param body      one iteration's work
     * @param validate  computes the validation loss (and keeps the best networks)
     */
    void runStage(int stageNo, int total, int batchSize, Iteration body, DoubleSupplier validate) {
        int validateEvery = Math.max(1, total / 20);
        state.startStage();
        int first = state.iteration;
        times = new StageTimes();
        double rate = Double.NaN;
        for (; state.iteration < total; state.iteration++) {
            checkCancelled();
            int iteration = state.iteration;
            Map<String, Double> losses = new LinkedHashMap<>();
            long t0 = System.nanoTime();
            times.charge(StageTimes.Part.REST);
            try (NDManager step = manager.newSubManager()) {
                body.run(step, iteration, losses);
            }
            rate = ProgressReport.smoothedRate(rate, batchSize / ((System.nanoTime() - t0) / 1e9));
            double val = Double.NaN;
            if ((iteration + 1) % validateEvery == 0 || iteration + 1 == total) {
                times.charge(StageTimes.Part.REST);
                val = validate.getAsDouble();
                times.charge(StageTimes.Part.VALIDATION);
            }
            progress.iteration(state, stageNo, total, losses, val, rate);
            periodicCheckpoint(total);
        }
        times.charge(StageTimes.Part.REST);
        state.endStage(stageNo);
        progress.stageTimes(stageNo, times, total - first);
    }

    /** Writes the checkpoint, if the run keeps one. */
    void writeCheckpoint() {
        checkpoint.write(state);
    }

    /**
     * Writes a checkpoint after every tenth of a stage (not after its last iteration, which the
     * stage's end handles), recording the next iteration to run so a resume starts there.
     */
    void periodicCheckpoint(int total) {
        int every = Math.max(1, total / 10);
        if ((state.iteration + 1) % every == 0 && state.iteration + 1 < total) {
            times.charge(StageTimes.Part.REST);
            state.iteration++;
            try {
                writeCheckpoint();
            } finally {
                state.iteration--;
            }
            times.charge(StageTimes.Part.CHECKPOINTS);
        }
    }

    /**
     * Stops the run if the user cancelled, after writing a checkpoint that resumes at this iteration.
     *
     * @throws CancelledException if cancelled, saying whether and where the state was kept
     */
    void checkCancelled() {
        if (cancel.isCancelled()) {
            String where = "stage " + state.stage + " at iteration " + state.iteration;
            if (checkpoint.file() != null) {
                writeCheckpoint();
                throw new CancelledException("Training stopped in " + where + "; the checkpoint "
                        + checkpoint.file() + " keeps that state. To continue, train again with the same model"
                        + " file and resume on (tick resume in the dialog, add resume to a macro's options, or"
                        + " --resume on the command line).");
            }
            throw new CancelledException("Training stopped in " + where + "; no checkpoint was kept, so the next"
                    + " run starts afresh.");
        }
    }

    /**
     * Keeps a copy of a network's parameters as the best so far.
     *
     * @param name  the network's name
     * @param block the network
     */
    void keepBest(String name, Block block) {
        state.best.put(name, params(block));
    }

    /**
     * Puts the best parameters kept for a network back into it; does nothing if none were kept.
     *
     * @param name  the network's name
     * @param block the network
     */
    void loadBest(String name, Block block) {
        byte[] bytes = state.best.get(name);
        if (bytes == null) {
            return;
        }
        try (DataInputStream dis = new DataInputStream(new ByteArrayInputStream(bytes))) {
            block.loadParameters(manager, dis);
        } catch (IOException | MalformedModelException e) {
            throw new UtadException("Could not restore network parameters: " + e.getMessage(), e);
        }
    }

    /** A network's parameters as saved bytes: a snapshot to restore the best networks, or to compare. */
    static byte[] params(Block block) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataOutputStream dos = new DataOutputStream(out)) {
            block.saveParameters(dos);
        } catch (IOException e) {
            throw new UtadException("Could not copy network parameters: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
