package org.utad.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The stage timings keep the JSON keys bundles and checkpoints have always had, both ways. */
class StageSecondsTest {

    @Test
    void readsTheKeysOfBundlesWrittenBefore() {
        JsonObject old = JsonParser.parseString("{\"images\":5,\"seconds_stage1\":12.5,\"seconds_stage2\":3.25,"
                + "\"skipped_steps\":0}").getAsJsonObject();
        assertEquals(Optional.of(new StageSeconds(12.5, 3.25)), StageSeconds.from(old));
        Manifest m = new Manifest(1, "2026-01-01T00:00:00Z", null, 1, null, Map.of(), old, null, "0.36.0", "2.7.1");
        assertEquals(12.5, m.stageSeconds().orElseThrow().stage1());
        assertEquals(3.25, m.stageSeconds().orElseThrow().stage2());
    }

    @Test
    void isEmptyWithoutBothKeys() {
        assertTrue(StageSeconds.from(null).isEmpty());
        assertTrue(StageSeconds.from(new JsonObject()).isEmpty(), "a checkpoint's manifest has no summary");
        JsonObject half = new JsonObject();
        half.addProperty(StageSeconds.STAGE1_KEY, 1.0);
        assertTrue(StageSeconds.from(half).isEmpty());
    }

    @Test
    void writesTheSameKeysItReads() {
        JsonObject json = new JsonObject();
        json.addProperty("images", 7);
        new StageSeconds(0.75, 41.0).addTo(json);
        assertEquals("{\"images\":7,\"seconds_stage1\":0.75,\"seconds_stage2\":41.0}", json.toString());
        assertEquals(Optional.of(new StageSeconds(0.75, 41.0)), StageSeconds.from(json));
    }
}
