package org.utad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.utad.core.UtadException;

/**
 * The persisted engine preference: file round trip, and the system properties it puts in place before
 * the engine starts (only with an opt-in do PYTORCH_FLAVOR or offline=false appear).
 */
class EnginePreferenceTest {
    private static final Function<String, String> NONE = name -> null;

    @TempDir
    Path tmp;

    @Test
    void aMissingFileMeansTheShippedDefaults() {
        EnginePreference p = EnginePreference.read(tmp.resolve("absent.properties"));
        assertEquals(EnginePreference.defaults(), p);
        assertEquals("cpu", p.flavor());
        assertTrue(p.offline());
        assertFalse(p.cudaRequested());
    }

    @Test
    void writeThenReadGivesTheSamePreference() throws Exception {
        Path f = tmp.resolve("sub/engine.properties");
        EnginePreference.cudaDownload().write(f);
        String text = Files.readString(f);
        assertTrue(text.contains("flavor=cu128"), text);
        assertTrue(text.contains("offline=false"), text);
        assertEquals(EnginePreference.cudaDownload(), EnginePreference.read(f));

        EnginePreference lib = EnginePreference.libtorchAt(tmp.resolve("libtorch/lib"));
        lib.write(f);
        assertEquals(lib, EnginePreference.read(f));
        try (var files = Files.list(f.getParent())) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void handWrittenFilesAreReadSensibly() throws Exception {
        Path f = tmp.resolve("engine.properties");
        Files.writeString(f, "flavor = CU128\n");
        EnginePreference p = EnginePreference.read(f);
        assertEquals("cu128", p.flavor());
        assertFalse(p.offline(), "a CUDA flavour without an offline key means the download is allowed");

        Files.writeString(f, "flavor=cu128\noffline=true\n");
        assertTrue(EnginePreference.read(f).offline());

        Files.writeString(f, "flavor=rocm\n");
        UtadException e = assertThrows(UtadException.class, () -> EnginePreference.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("Unknown PyTorch flavour 'rocm'"), e.getMessage());
    }

    @Test
    void withoutOptInOnlyTheOfflineSwitchIsSet() {
        Map<String, String> props = EnginePreference.defaults().systemProperties(NONE, NONE);
        assertEquals(Map.of("ai.djl.offline", "true"), props);
    }

    @Test
    void theOptInSetsTheFlavourAndAllowsTheDownload() {
        Map<String, String> props = EnginePreference.cudaDownload().systemProperties(NONE, NONE);
        assertEquals(Map.of("ai.djl.offline", "false", "PYTORCH_FLAVOR", "cu128"), props);

        Map<String, String> cached = new EnginePreference("cu128", true, null).systemProperties(NONE, NONE);
        assertEquals(Map.of("ai.djl.offline", "true", "PYTORCH_FLAVOR", "cu128"), cached);
    }

    @Test
    void theUsersExplicitSettingsWin() {
        Map<String, String> props = EnginePreference.cudaDownload().systemProperties(
                name -> name.equals("ai.djl.offline") ? "true" : null,
                name -> name.equals("PYTORCH_FLAVOR") ? "cu124" : null);
        assertEquals(Map.of(), props);

        Map<String, String> envOffline = EnginePreference.defaults().systemProperties(NONE,
                name -> name.equals("DJL_OFFLINE") ? "false" : null);
        assertEquals(Map.of(), envOffline);
    }

    @Test
    void aLibraryPathBecomesPytorchLibraryPathUnlessTheEnvironmentHasOne() {
        EnginePreference p = new EnginePreference("cpu", true, "/opt/libtorch/lib");
        assertEquals(Map.of("ai.djl.offline", "true", "PYTORCH_LIBRARY_PATH", "/opt/libtorch/lib"),
                p.systemProperties(NONE, NONE));
        assertEquals(Map.of("ai.djl.offline", "true"), p.systemProperties(NONE,
                name -> name.equals("PYTORCH_LIBRARY_PATH") ? "/usr/lib/libtorch" : null));
    }

    @Test
    void changingThePreferenceSavesItAndAsksForARestart() {
        Path f = tmp.resolve("prefs/engine.properties");
        String old = System.getProperty(EnginePreference.FILE_PROPERTY);
        System.setProperty(EnginePreference.FILE_PROPERTY, f.toString());
        try {
            assertEquals(f, Engines.preferenceFile());
            String m = Engines.changePreference(EnginePreference.cudaDownload());
            assertTrue(m.contains("Restart Fiji"), m);
            assertTrue(m.contains("downloads the cu128 build of PyTorch 2.7.1"), m);
            assertEquals(EnginePreference.cudaDownload(), EnginePreference.read(f));

            String back = Engines.useBundledNatives();
            assertTrue(back.contains("bundled CPU natives"), back);
            assertEquals(EnginePreference.defaults(), EnginePreference.read(f));
        } finally {
            if (old == null) {
                System.clearProperty(EnginePreference.FILE_PROPERTY);
            } else {
                System.setProperty(EnginePreference.FILE_PROPERTY, old);
            }
        }
    }
}
