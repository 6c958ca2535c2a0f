package org.utad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The loader used for the CUDA route hides exactly the bundled natives' descriptor (so DJL takes its
 * flavour-aware cache/download path) and nothing else. Nothing is downloaded: no engine starts here.
 */
class BundledNativesHiddenTest {
    @Test
    void hidesOnlyTheBundledNativesDescriptor() throws Exception {
        ClassLoader normal = getClass().getClassLoader();
        assertNotNull(normal.getResource(BundledNativesHidden.DESCRIPTOR), "the CPU natives jar is on the test path");
        ClassLoader hidden = new BundledNativesHidden(normal);
        assertNull(hidden.getResource(BundledNativesHidden.DESCRIPTOR));
        assertNull(hidden.getResource("/" + BundledNativesHidden.DESCRIPTOR));
        assertFalse(hidden.getResources(BundledNativesHidden.DESCRIPTOR).hasMoreElements());
        assertNull(hidden.getResourceAsStream(BundledNativesHidden.DESCRIPTOR));
        assertNotNull(hidden.getResource("pytorch-engine.properties"));
        assertTrue(hidden.getResources("jnilib/pytorch.properties").hasMoreElements());
        assertEquals(Engines.class, hidden.loadClass(Engines.class.getName()));
    }
}
