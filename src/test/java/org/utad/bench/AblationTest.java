package org.utad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.utad.config.Presets;
import org.utad.config.Residual;
import org.utad.infer.DetectOptions;
import org.utad.infer.Method;

/** The ablation loop's variant words: each part of a variant must reach the options it names. */
class AblationTest {
    private final DetectOptions defaults = DetectOptions.defaults(Presets.fast().detect());

    @Test
    void everyPartOfAVariantSetsItsOption() {
        DetectOptions o = Ablation.options(defaults, "baseline:own_code,reflect!l2@8#0.95^64%0.1");
        assertEquals(Method.BASELINE, o.method());
        assertTrue(o.fusion().ownDetailCode());
        assertTrue(o.fusion().reflectBorders());
        assertFalse(o.fusion().rangeMatch());
        assertEquals(Residual.L2, o.residual());
        assertEquals(8.0, o.smoothingSigma());
        assertEquals(0.95, o.scoreQuantile());
        assertEquals(64, o.tileSize());
        assertEquals(0.1, o.scoreMargin());
    }

    @Test
    void aBareMethodKeepsTheModelsDefaults() {
        DetectOptions o = Ablation.options(defaults, "expert");
        assertEquals(Method.EXPERT, o.method());
        assertEquals(defaults.residual(), o.residual());
        assertEquals(defaults.smoothingSigma(), o.smoothingSigma());
        assertEquals(defaults.tileSize(), o.tileSize());
        assertEquals(defaults.fusion(), o.fusion());
        assertEquals(defaults.scoreMargin(), o.scoreMargin());
    }

    @Test
    void anUnknownWordIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Ablation.options(defaults, "utad!l1"));
        assertThrows(IllegalArgumentException.class, () -> Ablation.options(defaults, "nothing"));
        assertThrows(IllegalArgumentException.class, () -> Ablation.options(defaults, "baseline%0.5"));
    }
}
