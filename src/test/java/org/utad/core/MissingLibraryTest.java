package org.utad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Checks that an incomplete install is explained by the library it lacks, however the JVM phrases
 * the missing class, and that other failures are left alone.
 */
class MissingLibraryTest {
    @Test
    void aMissingSlf4jIsNamedWithHowToInstallIt() {
        String m = MissingLibrary.explain(new NoClassDefFoundError("org/slf4j/LoggerFactory")).orElseThrow();
        assertTrue(m.contains("slf4j-api"), m);
        assertTrue(m.contains("org.slf4j.LoggerFactory"), m);
        assertTrue(m.contains("ImageJ/plugins/jars/") && m.contains("Fiji.app"), m);
    }

    @Test
    void theMissingClassIsFoundInCausesAndInTheQuotedErrorOfAFailedInitialisation() {
        RuntimeException wrapped = new RuntimeException("engine", new ClassNotFoundException("com.google.gson.Gson"));
        assertEquals(Optional.of("com.google.gson.Gson"), MissingLibrary.missingClass(wrapped));
        NoClassDefFoundError again = new NoClassDefFoundError("Could not initialize class ai.djl.util.Utils");
        again.initCause(new ExceptionInInitializerError(
                "Exception java.lang.NoClassDefFoundError: org/slf4j/LoggerFactory [in thread \"main\"]"));
        assertEquals(Optional.of("org.slf4j.LoggerFactory"), MissingLibrary.missingClass(again));
    }

    @Test
    void librariesAreNamedByTheirMostSpecificPackage() {
        assertTrue(MissingLibrary.library("ai.djl.pytorch.engine.PtEngine").startsWith("pytorch-engine"));
        assertTrue(MissingLibrary.library("ai.djl.ndarray.NDArray").startsWith("api"));
        assertEquals("jna", MissingLibrary.library("com.sun.jna.Native"));
        assertEquals("a library UTAD needs", MissingLibrary.library("org.example.Thing"));
    }

    @Test
    void otherFailuresAreNotExplainedAsAMissingLibrary() {
        assertTrue(MissingLibrary.explain(new IllegalStateException("org.slf4j.LoggerFactory")).isEmpty());
        assertTrue(MissingLibrary.explain(new NoClassDefFoundError("Could not initialize class x.Y")).isEmpty());
        assertTrue(MissingLibrary.explain(new OutOfMemoryError("Java heap space")).isEmpty());
    }
}
