package org.utad.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.utad.TestModels;
import org.utad.config.Mode;
import org.utad.config.Normalization;
import org.utad.io.Manifest;

/** Model Info reads the training facts of a bundle's manifest, and leaves them out when there are none. */
class ModelInfoTest {
    private static Manifest manifest(JsonObject training) {
        return new Manifest(1, "2026-01-01T00:00:00Z", TestModels.tiny(32, Mode.PATCH, 20, 12), 1,
                new Normalization("fixed8", 0, 255), Map.of(), training, null, "0.36.0", "2.7.1");
    }

    @Test
    void describesTheTrainingTimesOfABundle() {
        JsonObject training = JsonParser.parseString("{\"images\":9,\"training_images\":7,\"validation_images\":2,"
                + "\"device\":\"cpu\",\"seconds_stage1\":12.4,\"seconds_stage2\":30.6}").getAsJsonObject();
        String text = ModelInfo.describe(Path.of("m.utad"), manifest(training));
        assertTrue(text.contains("Trained on 9 images (2 held out) on cpu in 12 s + 31 s"), text);
        assertTrue(text.contains("Thresholds: not calibrated"), text);
    }

    @Test
    void leavesTheTrainingLineOutOfACheckpoint() {
        String text = ModelInfo.describe(Path.of("m.utad.checkpoint"), manifest(new JsonObject()));
        assertFalse(text.contains("Trained on"), text);
        assertTrue(text.contains("Training: stage 1 20 iterations, stage 2 12 iterations"), text);
    }
}
