package org.utad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * oneDNN's verbose output summed per kind and step: each kind in its column, the first steps left out,
 * other lines ignored, and uneven output refused.
 */
class OnednnClockTest {
    /** One execution line as oneDNN 3.7 prints it. */
    private static String exec(String kind, String propagation, double ms) {
        return String.format(Locale.ROOT, "onednn_verbose,v1,primitive,exec,cpu,%s,jit:avx512_core,%s,"
                + "src:f32::blocked:abcd::f0 dst:f32::blocked:aBcd16b::f0,,,mb4_ic16oc16_ih8oh8kh3,%.4f",
                kind, propagation, ms);
    }

    /**
     * A run of identical steps, each: a forward, backward-data and backward-weights convolution, two
     * reorders and one batch normalisation, with times scaled by a per-step factor; the first step
     * runs ten times slower, as a first step does. Noise lines are mixed in.
     */
    private static List<String> run(int steps, double[] factor) {
        List<String> lines = new ArrayList<>();
        lines.add("onednn_verbose,v1,info,oneDNN v3.7.1");
        lines.add("onednn_verbose,v1,primitive,info,template:operation,engine,primitive,implementation");
        for (int s = 0; s < steps; s++) {
            double f = s == 0 ? 10 : factor[s];
            lines.add("onednn_verbose,v1,primitive,create:cache_miss,cpu,convolution,jit:avx512_core,0.5");
            lines.add(exec("convolution", "forward_training", 1.0 * f));
            lines.add(exec("reorder", "undef", 0.25 * f));
            lines.add("some line of the program's own");
            lines.add(exec("convolution", "backward_data", 2.0 * f));
            lines.add(exec("convolution", "backward_weights", 3.0 * f));
            lines.add(exec("reorder", "undef", 0.25 * f));
            lines.add(exec("batch_normalization", "forward_training", 0.5 * f));
            lines.add("onednn_verbose,v1,graph,exec,cpu,0,fused,conv,,,f32,dnnl_backend,9.0");
        }
        return lines;
    }

    @Test
    void sumsEachKindPerStepWithoutTheFirstSteps() {
        Random random = new Random(5);
        int steps = 8;
        double[] factor = new double[steps];
        double mean = 0;
        for (int s = 1; s < steps; s++) {
            factor[s] = 0.5 + random.nextDouble();
        }
        for (int s = 2; s < steps; s++) {
            mean += factor[s] / (steps - 2);
        }
        OnednnClock clock = OnednnClock.of(run(steps, factor), steps, 2);
        assertEquals(6, clock.steps());
        assertEquals(6, clock.primitivesPerStep());
        assertEquals(1.0 * mean, clock.forwardMs(), 1e-3);
        assertEquals(2.0 * mean, clock.backwardDataMs(), 1e-3);
        assertEquals(3.0 * mean, clock.backwardWeightsMs(), 1e-3);
        assertEquals(6.0 * mean, clock.convolutionMs(), 1e-3);
        assertEquals(0.5 * mean, clock.reorderMs(), 1e-3);
        assertEquals(0.5 * mean, clock.otherMs(), 1e-3);
    }

    @Test
    void writesTheRowOfTheTable() {
        double[] factor = {1, 1, 1};
        OnednnClock clock = OnednnClock.of(run(3, factor), 3, 1);
        // 6 ms of convolutions in a 24 ms step of 1.2 GFLOP: 25 %, 200 GFLOP/s, the step 50 GFLOP/s.
        assertEquals("| work | 24.0 | 6.0 (1.0 / 2.0 / 3.0) | 0.5 | 0.5 | 17.0 | 25 % | 200 | 50 |",
                clock.row("work", 24.0, 1_200_000_000L));
        String firstHeaderLine = OnednnClock.header().split("\n")[0];
        assertEquals(firstHeaderLine.split("\\|").length, clock.row("w", 24, 1).split("\\|").length,
                "as many columns as the header");
    }

    @Test
    void refusesOutputThatTheStepsDoNotDivideOrThatHasNoExecutions() {
        List<String> lines = new ArrayList<>(run(4, new double[] {1, 1, 1, 1}));
        lines.add(exec("reorder", "undef", 0.1));
        IllegalArgumentException uneven = assertThrows(IllegalArgumentException.class,
                () -> OnednnClock.of(lines, 4, 1));
        assertTrue(uneven.getMessage().contains("25 execution lines for 4 steps"), uneven.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> OnednnClock.of(List.of("no verbose output"), 4, 1));
        assertTrue(none.getMessage().contains("ONEDNN_VERBOSE=1"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OnednnClock.of(run(2, new double[] {1, 1}), 2, 2));
    }
}
