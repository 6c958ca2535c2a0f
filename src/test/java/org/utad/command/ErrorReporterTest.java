package org.utad.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks that a library missing from the install reaches the user as what to install, not as an
 * internal error, and that real internal errors still carry their stack trace for a bug report.
 */
class ErrorReporterTest {
    /** Keeps what the reporter logged. */
    private static final class Recorder implements UserLog {
        final List<String> errors = new ArrayList<>();
        final List<Throwable> causes = new ArrayList<>();

        @Override
        public void info(String message) {
        }

        @Override
        public void warn(String message) {
        }

        @Override
        public void error(String message, Throwable cause) {
            errors.add(message);
            causes.add(cause);
        }
    }

    @Test
    void aMissingLibraryIsReportedByNameWithHowToInstallIt() {
        Recorder log = new Recorder();
        String m = new ErrorReporter(log, false).report("UTAD Engine Info (IJ1)",
                new NoClassDefFoundError("org/slf4j/LoggerFactory"));
        assertTrue(m.contains("slf4j-api") && m.contains("plugins/jars"), m);
        assertEquals(List.of("UTAD Engine Info (IJ1): " + m), log.errors);
        assertNull(log.causes.get(0), "an install problem needs no stack trace");
    }

    @Test
    void anUnexpectedErrorStaysAnInternalErrorWithItsStackTrace() {
        Recorder log = new Recorder();
        IllegalStateException bug = new IllegalStateException("boom");
        String m = new ErrorReporter(log, false).report("Train UTAD (IJ1)", bug);
        assertTrue(m.startsWith("Internal error"), m);
        assertSame(bug, log.causes.get(0));
    }

    @Test
    void dialogTextIsWrappedAtSpacesKeepingItsOwnLineBreaks() {
        assertEquals("aaa bbb\nccc\nddd eee\n/a/very/long/path\nx", ErrorReporter.wrap(
                "aaa bbb ccc\nddd eee /a/very/long/path x", 7));
        String wrapped = ErrorReporter.wrap(ErrorReporter.messageOf(new NoClassDefFoundError("com/google/gson/Gson")),
                90);
        for (String line : wrapped.split("\n")) {
            assertTrue(line.length() <= 90, line);
        }
        assertTrue(wrapped.replace('\n', ' ').contains("the library gson is missing"), wrapped);
    }
}
