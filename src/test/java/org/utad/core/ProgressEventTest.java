package org.utad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Checks the log line of a progress event: the stage is named once, never twice. */
class ProgressEventTest {
    @Test
    void aMessageThatAlreadyNamesItsStageIsNotPrefixedAgain() {
        ProgressEvent e = new ProgressEvent("stage 1 (IE-Net)", 1, 10, Map.of(), Double.NaN, 2, 5,
                "stage 1 (IE-Net) 1/10 recon=0.25");
        assertEquals("stage 1 (IE-Net) 1/10 recon=0.25", e.line());
    }

    @Test
    void otherMessagesAreLedByTheirStage() {
        assertEquals("[detect] Detected 1/2: a.png", new ProgressEvent("detect", 1, 2, Map.of(), Double.NaN,
                Double.NaN, Double.NaN, "Detected 1/2: a.png").line());
        assertEquals("[train] Training on 8 images", ProgressEvent.message("train", "Training on 8 images").line());
    }
}
