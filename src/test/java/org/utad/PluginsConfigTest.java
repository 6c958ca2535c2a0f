package org.utad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.plugin.PlugIn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.scijava.plugin.Plugin;
import org.utad.command.DetectAnomaliesCommand;
import org.utad.command.EngineInfoCommand;
import org.utad.command.EvaluateCommand;
import org.utad.command.HelpCommand;
import org.utad.command.ModelInfoCommand;
import org.utad.command.TrainModelCommand;

/**
 * Checks the ImageJ 1.x menu file against what users and ImageJ need (issue 15, point 8): every
 * ImageJ 1.x command sits directly in Plugins &gt; UTAD, where users look, not in a submenu; each
 * names a class that exists and is an ImageJ plugin; and no label is used twice, neither among the
 * file's entries nor by a SciJava command, which Fiji puts in the same menu (ImageJ keeps one
 * command per label, so a shared label would hide one of the two).
 */
class PluginsConfigTest {
    private static final Pattern ENTRY = Pattern.compile("^([^,]+),\\s*\"([^\"]+)\",\\s*([\\w.]+)\\(\"[^\"]*\"\\)$");

    private record Entry(String menu, String label, String className) {
    }

    private static List<Entry> entries() throws IOException {
        List<Entry> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("plugins.config"))) {
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            Matcher m = ENTRY.matcher(t);
            assertTrue(m.matches(), "not a plugins.config entry: " + t);
            out.add(new Entry(m.group(1).trim(), m.group(2), m.group(3)));
        }
        return out;
    }

    @Test
    void everyCommandSitsDirectlyInPluginsUtadAndNamesAnImageJPlugin() throws Exception {
        List<Entry> entries = entries();
        assertEquals(6, entries.size(), "train, detect, model info, engine info, evaluate and help: " + entries);
        for (Entry e : entries) {
            assertEquals("Plugins>UTAD", e.menu(), e.label() + " must be in Plugins>UTAD itself, not a submenu");
            Class<?> c = Class.forName(e.className());
            assertTrue(PlugIn.class.isAssignableFrom(c), e.className() + " is not an ij.plugin.PlugIn");
        }
    }

    @Test
    void noLabelIsTakenTwiceInTheMenuThatFijiShares() throws Exception {
        Set<String> labels = new HashSet<>();
        for (Entry e : entries()) {
            assertTrue(labels.add(e.label()), "label used twice in plugins.config: " + e.label());
        }
        for (Class<?> c : List.of(TrainModelCommand.class, DetectAnomaliesCommand.class, ModelInfoCommand.class,
                EngineInfoCommand.class, EvaluateCommand.class, HelpCommand.class)) {
            Plugin p = c.getAnnotation(Plugin.class);
            assertNotNull(p, c + " has no @Plugin");
            assertTrue(p.menuPath().startsWith("Plugins>UTAD>"), c + " is in " + p.menuPath());
            String leaf = p.menuPath().substring(p.menuPath().lastIndexOf('>') + 1);
            assertFalse(labels.contains(leaf), "the SciJava command " + c.getSimpleName()
                    + " and an ImageJ 1.x command share the label '" + leaf + "'");
        }
    }
}
