package org.utad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.utad.cli.Main;
import org.utad.config.Presets;
import org.utad.core.CancellationToken;
import org.utad.engine.Engines;

/**
 * The developer benchmarks' own entry point: its usage, its exit codes, that {@code bin/utad}
 * forwards exactly its words to it, and that the user's command line no longer offers them.
 */
class BenchMainTest {
    /** Starts one entry point with the given console streams and returns its exit code. */
    private interface Launch {
        int run(PrintStream out, PrintStream err);
    }

    /** What one run printed and returned. */
    private record Run(int code, String out, String err) {
        static Run of(Launch launch) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = launch.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    private static Run bench(String... args) {
        return Run.of((out, err) -> new BenchMain(out, err, CancellationToken.none()).run(args));
    }

    private static Run cli(String... args) {
        return Run.of((out, err) -> new Main(out, err, CancellationToken.none()).run(args));
    }

    /** @return the words a usage text lists as commands (the first word of each indented line) */
    private static Set<String> commandsOf(String usage) {
        Set<String> words = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^  ([a-z][a-z-]*)").matcher(usage);
        while (m.find()) {
            words.add(m.group(1));
        }
        return words;
    }

    @Test
    void itsUsageListsEveryBenchmarkAndTheUsersNoLonger() {
        Run help = bench("--help");
        assertEquals(Main.OK, help.code());
        assertEquals(new TreeSet<>(BenchMain.COMMANDS), commandsOf(help.out()));
        assertEquals(Main.USAGE, bench().code());

        Run user = cli("--help");
        assertEquals(Main.OK, user.code());
        Set<String> userCommands = commandsOf(user.out());
        assertTrue(userCommands.containsAll(List.of("train", "detect", "evaluate", "demo")), userCommands.toString());
        for (String word : BenchMain.COMMANDS) {
            assertFalse(userCommands.contains(word), word + " is still in the user's usage");
            Run moved = cli(word);
            assertEquals(Main.USAGE, moved.code(), word);
            assertTrue(moved.err().startsWith("Unknown command '" + word + "'"), moved.err());
        }
    }

    @Test
    void binUtadForwardsExactlyTheBenchmarkWords() throws IOException {
        String script = Files.readString(Path.of("bin/utad"));
        Matcher m = Pattern.compile("(?m)^\\s*([a-z|-]+)\\)\\s*main=org\\.utad\\.bench\\.BenchMain").matcher(script);
        assertTrue(m.find(), "bin/utad has no case that forwards to BenchMain");
        assertEquals(new TreeSet<>(BenchMain.COMMANDS), new TreeSet<>(Arrays.asList(m.group(1).split("\\|"))));
        String launcher = Files.readString(Path.of("bin/utad-bench"));
        assertTrue(launcher.contains("UTAD_MAIN_CLASS=org.utad.bench.BenchMain"), launcher);
        assertTrue(script.contains("main=${UTAD_MAIN_CLASS:-org.utad.cli.Main}"), script);
    }

    @Test
    void mistakesGetTheUsageOrInputExitCode(@TempDir Path dir) throws IOException {
        Run unknown = bench("bench-everything");
        assertEquals(Main.USAGE, unknown.code());
        assertTrue(unknown.err().startsWith("Unknown command 'bench-everything'."), unknown.err());

        Run missing = bench("ablate", "--data", dir.toString(), "--output", dir.resolve("out").toString());
        assertEquals(Main.USAGE, missing.code());
        assertEquals("Error: Missing required option --model.\nRun 'utad-bench --help' for usage.\n",
                missing.err().replace(System.lineSeparator(), "\n"));

        Run badOption = bench("bench-flops", "--size", "64");
        assertEquals(Main.USAGE, badOption.code());
        assertTrue(badOption.err().contains("Unknown option --size. Known options: --sizes"), badOption.err());

        Path empty = Files.createDirectories(dir.resolve("empty"));
        Run noTests = bench("ablate", "--model", dir.resolve("m.utad").toString(), "--data", empty.toString(),
                "--output", dir.resolve("out").toString());
        assertEquals(Main.INVALID_INPUT, noTests.code());
        assertTrue(noTests.err().contains("has no test/ folder (MVTec-AD layout expected)."), noTests.err());
    }

    @Test
    void benchFlopsPrintsOneRowPerPresetAndSize() {
        Engines.offline();
        Run flops = bench("bench-flops", "--sizes", "64");
        assertEquals(Main.OK, flops.code(), flops.err());
        List<String> rows = flops.out().lines().filter(l -> l.startsWith("| ") && !l.startsWith("| preset"))
                .toList();
        assertEquals(Presets.NAMES.size(), rows.size(), flops.out());
        for (int i = 0; i < rows.size(); i++) {
            assertTrue(rows.get(i).startsWith("| " + Presets.NAMES.get(i) + " | 64 | "), rows.get(i));
        }
    }
}
