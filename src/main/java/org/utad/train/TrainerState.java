package org.utad.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.utad.config.UtadConfig;
import org.utad.io.StageSeconds;

/**
 * Where a training run stands, everything besides the networks and optimisers that a checkpoint keeps
 * so that a resumed run continues as if it had not stopped: the stage and next iteration, the best
 * validation losses and the best networks' parameters, the time each stage has trained, and the loss
 * history. Its JSON form is the checkpoint's {@code trainer_state.json}.
 *
 * <p>It is mutable on purpose: the stage loops advance it one iteration at a time, and one object
 * owned by one run on one thread is simpler than copying it every iteration.
 */
final class TrainerState {
    /** Writes NaN and infinite losses as JSON does not allow but the history and best losses need. */
    static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

    /** The stage running, 1 or 2. */
    int stage = 1;
    /** The next iteration of the running stage, 0-based. */
    int iteration;
    /** The lowest validation loss of stage 1 so far. */
    double bestValidation1 = Double.POSITIVE_INFINITY;
    /** The lowest validation loss of stage 2 so far. */
    double bestValidation2 = Double.POSITIVE_INFINITY;
    /** The parameters of the best networks so far, by network name, as saved bytes. */
    final Map<String, byte[]> best = new HashMap<>();
    /** The loss curves of both stages. */
    final List<HistoryPoint> history = new ArrayList<>();
    private double secondsStage1;
    private double secondsStage2;
    /** When the running stage's loop started in this run (System.nanoTime), or 0 between stages. */
    private long stageStarted;

    /** Starts the clock of the running stage's loop. */
    void startStage() {
        stageStarted = System.nanoTime();
    }

    /**
     * Stops the clock of a stage's loop and adds its time to that stage's total.
     *
     * @param stageNo 1 or 2
     */
    void endStage(int stageNo) {
        if (stageNo == 1) {
            secondsStage1 += secondsInStage();
        } else {
            secondsStage2 += secondsInStage();
        }
        stageStarted = 0;
    }

    /** @return the time both stages have trained, without the running stage's current loop */
    StageSeconds seconds() {
        return new StageSeconds(secondsStage1, secondsStage2);
    }

    /** Seconds the running stage has trained in this run, so a checkpoint written mid-stage keeps them. */
    private double secondsInStage() {
        return stageStarted == 0 ? 0 : (System.nanoTime() - stageStarted) / 1e9;
    }

    /**
     * The checkpoint's JSON form, with the running stage's time so far included.
     *
     * @param config the configuration the run started with, kept so a resume can be checked against it
     * @return the state
     */
    JsonObject toJson(UtadConfig config) {
        JsonObject state = new JsonObject();
        state.addProperty("stage", stage);
        state.addProperty("iteration", iteration);
        state.addProperty("best_validation_stage1", bestValidation1);
        state.addProperty("best_validation_stage2", bestValidation2);
        new StageSeconds(secondsStage1 + (stage == 1 ? secondsInStage() : 0),
                secondsStage2 + (stage == 2 ? secondsInStage() : 0)).addTo(state);
        state.add("history", GSON.toJsonTree(history));
        state.add("config", config.toJsonTree());
        return state;
    }

    /**
     * Takes over a checkpoint's state (not its best parameters, which are separate entries).
     *
     * @param state the JSON form written by {@link #toJson}
     */
    void read(JsonObject state) {
        stage = state.get("stage").getAsInt();
        iteration = state.get("iteration").getAsInt();
        bestValidation1 = state.get("best_validation_stage1").getAsDouble();
        bestValidation2 = state.get("best_validation_stage2").getAsDouble();
        StageSeconds seconds = StageSeconds.from(state).orElseThrow();
        secondsStage1 = seconds.stage1();
        secondsStage2 = seconds.stage2();
        JsonArray h = state.getAsJsonArray("history");
        for (int i = 0; i < h.size(); i++) {
            history.add(GSON.fromJson(h.get(i), HistoryPoint.class));
        }
    }
}
