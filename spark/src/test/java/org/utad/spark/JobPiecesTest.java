package org.utad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.utad.api.BatchDetection;
import org.utad.api.ScoresCsv;
import org.utad.cli.Args;
import org.utad.cli.Main;
import org.utad.core.InvalidInputException;

/**
 * The parts of the Spark job that need no cluster: its command line and exit codes, the listing
 * of inputs, and the bookkeeping of committed parts (newest rows win, failed files are not done,
 * leftovers of killed tasks are removed, the table comes out in file-name order).
 */
class JobPiecesTest {
    @TempDir
    Path dir;

    private static BatchDetection.Row row(String file, double score, String verdict) {
        return new BatchDetection.Row(file, verdict.equals("error") ? "" : file.substring(0, file.indexOf('.')), score,
                verdict, verdict.equals("anomalous") ? 1 : 0, verdict.equals("error") ? "Cannot read " + file : "");
    }

    @Test
    void theCommandLineReadsLikeBinUtadDetectAndRefusesMistakes() {
        JobRequest r = JobRequest.parse("--model", "m.utad", "--input", "in", "--output", "out", "--masks",
                "--method", "baseline", "--set", "detect.residual=l2", "--partitions", "12", "--commit-every", "4");
        assertEquals(Path.of("m.utad"), r.model());
        assertTrue(r.masks() && !r.overwrite());
        assertEquals("baseline", r.method());
        assertEquals(Map.of("detect.residual", "l2"), r.settings());
        assertEquals(12, r.partitions());
        assertEquals(4, r.commitEvery());
        assertEquals("auto", JobRequest.parse("--model", "m", "--input", "i", "--output", "o").device());
        assertThrows(Args.UsageException.class, () -> JobRequest.parse("--model", "m", "--input", "i"));
        assertThrows(Args.UsageException.class, () -> JobRequest.parse("--model", "m", "--colour", "red"));
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
                () -> JobRequest.parse("--model", "m", "--input", "i", "--output", "o", "--partitions", "many"));
        assertTrue(n.getMessage().contains("--partitions"), n.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> JobRequest.parse("--model", "m", "--input", "i", "--output", "o", "--commit-every", "0"));
    }

    @Test
    void exitCodesSayWhatWentWrongBeforeSparkStarts() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(Main.USAGE, SparkDetect.run(new SparkConf(false), o, e));
        assertEquals(Main.OK, SparkDetect.run(new SparkConf(false), o, e, "--help"));
        assertEquals(Main.USAGE, SparkDetect.run(new SparkConf(false), o, e, "--model", "m.utad"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--input"), err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(Main.USAGE, SparkDetect.run(new SparkConf(false), o, e, "--model", "m", "--input", "i",
                "--output", "o"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no Spark master"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aListFileNamesImagesAnywhereAndTwoInputsMayNotShareAResultName() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Path list = dir.resolve("list.txt");
        Files.writeString(list, "# inputs of one campaign\nb/zeta.png\n\n" + a.resolve("alpha.tif") + "\n  b/mid.png  \n");
        List<Path> files = InputFiles.list(list);
        assertEquals(List.of(a.resolve("alpha.tif"), b.resolve("mid.png"), b.resolve("zeta.png")), files,
                "absolute, relative to the list's folder, sorted by file name; missing files are left to fail as rows");

        Files.writeString(list, "a/x.png\nb/x.tif\n");
        InvalidInputException clash = assertThrows(InvalidInputException.class, () -> InputFiles.list(list));
        assertTrue(clash.getMessage().contains("x_heatmap.tif") && clash.getMessage().contains("Rename"),
                clash.getMessage());
        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> InputFiles.list(dir.resolve("nowhere")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        InvalidInputException empty = assertThrows(InvalidInputException.class, () -> InputFiles.list(a));
        assertTrue(empty.getMessage().contains("no image files"), empty.getMessage());
        Files.writeString(a.resolve("one.png"), "an image");
        InvalidInputException image = assertThrows(InvalidInputException.class,
                () -> InputFiles.list(a.resolve("one.png")));
        assertTrue(image.getMessage().contains("is an image, not a folder or a list"), image.getMessage());
    }

    @Test
    void theNewestRowsOfAFileWinFailedFilesAreNotDoneAndTheTableIsSortedByFile() throws Exception {
        JobOutput out = new JobOutput(dir);
        ScoresCsv.write(dir.resolve(BatchDetection.CSV), List.of(row("c.png", 0.5, "normal"),
                row("a.png", 0.25, "normal"), row("b.png", Double.NaN, "error")));
        JobOutput.commit(dir, 1, 0, 0, List.of(row("b.png", 0.75, "anomalous")));
        JobOutput.commit(dir, 2, 3, 1, List.of(row("a.png", 0.125, "normal"), row("d.png", Double.NaN, "error")));
        Path stale = dir.resolve(".a_heatmap.tif.123456789.tmp");
        Files.writeString(stale, "half a TIFF");
        Path foreign = dir.resolve(".notes.tmp");
        Files.writeString(foreign, "not ours");

        assertEquals(1, out.prepare());
        assertFalse(Files.exists(stale), "a killed task's temporary file is removed");
        assertTrue(Files.exists(foreign), "hidden files that are not this job's are left alone");
        JobOutput.State s = out.state();
        assertEquals(2, s.lastRun());
        assertEquals(Set.of("a.png", "b.png", "c.png"), s.done(), "d.png failed, so a re-run tries it again");

        JobOutput.Table t = out.merge();
        List<String> lines = Files.readAllLines(t.csv());
        assertEquals(List.of(ScoresCsv.HEADER, "a.png,a,0.125000,normal,0,", "b.png,b,0.750000,anomalous,1,",
                "c.png,c,0.500000,normal,0,", "d.png,,,error,0,Cannot read d.png"), lines);
        assertEquals(3, t.images());
        assertEquals(1, t.anomalous());
        assertEquals(1, t.failed());
        assertFalse(Files.exists(dir.resolve(JobOutput.PARTS)), "merged parts are removed");

        out.clear();
        assertFalse(Files.exists(t.csv()));
    }
}
