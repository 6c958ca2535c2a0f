package org.utad.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.utad.engine.Engines;

class InitialisedOnceTest {
    @BeforeAll
    static void offline() {
        Engines.offline();
    }

    @Test
    void asksTheFullCheckUntilItAnswersTrueAndThenNoMore() {
        InitialisedOnce once = new InitialisedOnce();
        AtomicInteger calls = new AtomicInteger();
        boolean[] answer = {false};
        assertFalse(once.check(() -> {
            calls.incrementAndGet();
            return answer[0];
        }));
        assertFalse(once.check(() -> {
            calls.incrementAndGet();
            return answer[0];
        }));
        answer[0] = true;
        for (int i = 0; i < 3; i++) {
            assertTrue(once.check(() -> {
                calls.incrementAndGet();
                return answer[0];
            }));
        }
        assertEquals(3, calls.get(), "two false answers, one true, then remembered");
    }

    @Test
    void aSequenceIsNotInitialisedBeforeItsParametersAre() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Sequential net = new Sequential();
            net.add(Linear.builder().setUnits(3).build()).add(ShapedLambda.relu());
            assertFalse(net.isInitialized(), "a fresh sequence has no parameter arrays");
            assertFalse(net.isInitialized(), "and asking again does not change that");
            net.initialize(manager, DataType.FLOAT32, new Shape(2, 4));
            assertTrue(net.isInitialized());
            assertEquals(new Shape(3, 4), net.getParameters().get(0).getValue().getArray().getShape());
        }
    }

    @Test
    void aNestedSequenceKeepsTheParameterNamesOfDjlsOwn() {
        // Model manifests and the PyTorch peer's parameter map use these names.
        Sequential outer = new Sequential();
        outer.add(new Sequential().add(Linear.builder().setUnits(3).build())).add(Linear.builder().setUnits(2).build());
        assertEquals(List.of("01SequentialBlock_01Linear_weight", "01SequentialBlock_01Linear_bias", "02Linear_weight",
                "02Linear_bias"), outer.getParameters().keys());
    }
}
