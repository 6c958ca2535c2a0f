package org.utad.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Validation batches hold a fixed number of pixels, and never fewer than eight samples. */
class ValidationTest {
    @Test
    void batchesHoldTheSamePixelsForSmallSamplesAndEightLargeOnes() {
        assertEquals(128, Validation.batchSize(32));
        assertEquals(32, Validation.batchSize(64));
        assertEquals(8, Validation.batchSize(128));
        assertEquals(8, Validation.batchSize(256));
        assertEquals(8, Validation.batchSize(1024));
    }
}
