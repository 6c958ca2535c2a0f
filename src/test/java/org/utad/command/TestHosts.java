package org.utad.command;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the tests that start a real ImageJ in another process need from the machine: an X display
 * server to start it under, the jars of the test class path and the install folders to install it
 * from.
 */
final class TestHosts {
    private TestHosts() {
    }

    /**
     * Fails the calling test with the install command when {@code xvfb-run} is missing, instead of
     * letting ImageJ fail later with an obscure headless error.
     *
     * @param why what needs the display, for the message
     */
    static void requireXvfb(String why) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "xvfb-run"))) {
                return;
            }
        }
        fail("xvfb-run is not installed, but " + why + " needs an X display. Install it with:"
                + " apt-get update && apt-get install -y xvfb");
    }

    /**
     * Copies a folder's contents into another, as {@code cp -r from/. to/} does: an install folder
     * into an ImageJ folder, as the README says, or classes into a fresh class folder.
     *
     * @param from the folder to copy, which must exist (an install folder exists after {@code mvn package})
     * @param to   where its contents go
     * @throws IOException if a file cannot be copied
     */
    static void copyTree(Path from, Path to) throws IOException {
        assertTrue(Files.isDirectory(from), from + " is missing: run mvn package first");
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /**
     * Finds a versioned jar on the test class path.
     *
     * @param prefix the jar's name up to its version, e.g. {@code "ij-"}
     * @return the jar named {@code <prefix><version>.jar}
     * @throws IllegalStateException if there is none
     */
    static Path jarOnClassPath(String prefix) {
        Matcher versioned = Pattern.compile(Pattern.quote(prefix) + "\\d.*\\.jar").matcher("");
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (p.getFileName() != null && versioned.reset(p.getFileName().toString()).matches()) {
                return p;
            }
        }
        throw new IllegalStateException("No " + prefix + "<version>.jar on the test class path");
    }
}
