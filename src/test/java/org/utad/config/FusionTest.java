package org.utad.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The fusion switches parse from the words users and the ablation harness type, and print back. */
class FusionTest {
    @Test
    void switchesParseInAnyOrderAndPrintBack() {
        assertEquals(Fusion.DEFAULT, Fusion.parse("default"));
        assertEquals(Fusion.DEFAULT, Fusion.parse(""));
        Fusion all = Fusion.parse(" Reflect, no_variance,own_code ,centre,NO_GAP,range, no_fast,Soft_Luminance");
        assertEquals(new Fusion(true, true, true, true, true, true, true, true), all);
        assertEquals("own_code,range,reflect,centre,no_fast,no_gap,no_variance,soft_luminance", all.toString());
        assertEquals(new Fusion(false, false, false, false, false, true, false, false), Fusion.parse("no_gap"));
        assertEquals(Fusion.parse(all.toString()), all);
        assertEquals("default", Fusion.DEFAULT.toString());
    }

    @Test
    void anUnknownSwitchNamesTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fusion.parse("own,range"));
        assertTrue(e.getMessage().contains("'own'") && e.getMessage().contains("own_code, range, reflect, centre, no_fast, no_gap, no_variance, soft_luminance"),
                e.getMessage());
    }
}
