package org.utad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.utad.core.UtadException;

/** The numerics self-check: it passes the real engine's aligned path and catches injected faults. */
class NumericsCheckTest {
    @BeforeAll
    static void start() {
        Engines.offline();
        Engines.engine();
    }

    @Test
    void theEnginesAlignedConvolutionsAreCorrectOnThisCpu() {
        NumericsCheck check = NumericsCheck.run(NumericsCheck.ENGINE, 4);
        assertEquals(20, check.checks());
        assertEquals(0, check.alignedFaults(), check.line());
        assertTrue(check.trainingSafe());
        check.requireTrainingSafe();
    }

    @Test
    void aFaultInThePlainKernelIsReportedAndTrainingStillAllowed() {
        NumericsCheck check = NumericsCheck.run((x, w, aligned) -> {
            NDArray y = NumericsCheck.ENGINE.apply(x, w, aligned);
            // Only the plain form is faulty, as on Zen 5 (there the NaN appears in the input gradient).
            return aligned ? y : y.add(x.sum().mul(Float.NaN).mul(0));
        }, 2);
        assertEquals(10, check.plainFaults());
        assertEquals(0, check.alignedFaults());
        assertTrue(check.trainingSafe());
        assertTrue(check.line().contains("wrong gradients in 10 of 10"), check.line());
    }

    @Test
    void wrongValuesInBothFormsRefuseTraining() {
        NumericsCheck check = NumericsCheck.run((x, w, aligned) -> NumericsCheck.ENGINE.apply(x, w, aligned).mul(1.01f),
                2);
        assertEquals(10, check.alignedFaults(), "a 1 % error is wrong arithmetic, not rounding");
        assertFalse(check.trainingSafe());
        assertTrue(check.line().startsWith("WRONG"), check.line());
        UtadException e = assertThrows(UtadException.class, check::requireTrainingSafe);
        assertTrue(e.getMessage().contains("ONEDNN_MAX_CPU_ISA=AVX"), e.getMessage());
    }

    @Test
    void theEngineRunsTheCheckOnceAndEngineInfoShowsIt() {
        NumericsCheck first = Engines.numerics();
        assertTrue(first == Engines.numerics(), "run once per JVM");
        assertTrue(Engines.describe().contains("numerics: " + first.line()), Engines.describe());
    }
}
