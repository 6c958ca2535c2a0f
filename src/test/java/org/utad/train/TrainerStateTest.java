package org.utad.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.utad.TestModels;
import org.utad.config.Mode;
import org.utad.config.UtadConfig;
import org.utad.io.StageSeconds;

/** The checkpoint's trainer state keeps everything a resume needs, under the keys it always had. */
class TrainerStateTest {

    @Test
    void roundTripsThroughTheCheckpointJson() {
        UtadConfig config = TestModels.tiny(32, Mode.PATCH, 20, 12);
        TrainerState s = new TrainerState();
        s.stage = 2;
        s.iteration = 7;
        s.bestValidation1 = 0.0123;
        s.history.add(new HistoryPoint(1, 20, Map.of("recon", 0.5), 0.0123));
        s.history.add(new HistoryPoint(2, 7, Map.of("paired", 0.25), Double.NaN));
        JsonObject json = s.toJson(config);
        for (String key : new String[] {"stage", "iteration", "best_validation_stage1", "best_validation_stage2",
                "seconds_stage1", "seconds_stage2", "history", "config"}) {
            assertTrue(json.has(key), key + " in " + json);
        }
        JsonObject written = TrainerState.GSON.fromJson(TrainerState.GSON.toJson(json), JsonObject.class);
        written.addProperty("seconds_stage1", 12.5);
        written.addProperty("seconds_stage2", 3.25);

        TrainerState back = new TrainerState();
        back.read(written);
        assertEquals(2, back.stage);
        assertEquals(7, back.iteration);
        assertEquals(0.0123, back.bestValidation1);
        assertEquals(Double.POSITIVE_INFINITY, back.bestValidation2, "an infinite best loss survives the JSON");
        assertEquals(new StageSeconds(12.5, 3.25), back.seconds());
        assertEquals(2, back.history.size());
        assertEquals(0.25, back.history.get(1).losses().get("paired"));
        assertTrue(Double.isNaN(back.history.get(1).validationLoss()), "a NaN validation loss survives the JSON");
        assertEquals(12.5, back.toJson(config).get("seconds_stage1").getAsDouble(),
                "between stages a checkpoint writes the seconds it read");
    }

    @Test
    void eachStageAddsItsOwnTime() throws InterruptedException {
        TrainerState s = new TrainerState();
        s.startStage();
        Thread.sleep(5);
        assertTrue(s.toJson(TestModels.tiny(32, Mode.PATCH, 2, 2)).get("seconds_stage1").getAsDouble() > 0,
                "a checkpoint written inside a stage counts the time the stage has run so far");
        assertEquals(new StageSeconds(0, 0), s.seconds(), "the running loop is not yet in the totals");
        s.endStage(1);
        double first = s.seconds().stage1();
        assertTrue(first > 0);
        s.stage = 2;
        s.startStage();
        Thread.sleep(5);
        s.endStage(2);
        assertEquals(first, s.seconds().stage1(), "stage 2 leaves stage 1's time alone");
        assertTrue(s.seconds().stage2() > 0);
        assertEquals(s.seconds().stage2(), s.toJson(TestModels.tiny(32, Mode.PATCH, 2, 2)).get("seconds_stage2")
                .getAsDouble(), "between stages nothing is added");
    }
}
