package org.utad.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.utad.api.BatchDetection;
import org.utad.api.ScoresCsv;
import org.utad.core.AtomicFiles;
import org.utad.core.InvalidInputException;
import org.utad.core.UtadException;

/**
 * The output folder of a Spark run and the bookkeeping that makes a run safe to kill and to
 * repeat: tasks commit their rows in small parts under {@value #PARTS}/ (each written atomically,
 * after the images' heatmaps and masks), and the driver joins the parts with any earlier
 * {@code scores.csv} into the new {@code scores.csv} when the tasks are done.
 *
 * <p>A part is named {@code run-<r>-part-<p>-chunk-<c>.csv}: the run number, the partition and the
 * chunk within it. Within a run the same images always fall in the same partition and chunk, so a
 * retried task rewrites its parts under the same names with the same rows; a later run has a
 * higher number, and where two sources hold a file, the newest wins. An image is done when its
 * newest rows are not a failure: a re-run skips it, and tries failed files again.
 */
public final class JobOutput {
    /** The folder of committed parts inside the output folder. */
    public static final String PARTS = "scores.parts";
    /** The run summary written next to scores.csv. */
    public static final String SUMMARY = "summary.txt";
    private static final Pattern PART = Pattern.compile("run-(\\d+)-part-(\\d+)-chunk-(\\d+)\\.csv");
    /** Temporary files of {@link AtomicFiles} for this job's own outputs, left by a killed task. */
    private static final Pattern STALE = Pattern.compile("\\..+(" + Pattern.quote(BatchDetection.HEATMAP_SUFFIX) + "|"
            + Pattern.quote(BatchDetection.MASK_SUFFIX) + "|\\.csv|" + Pattern.quote(SUMMARY) + ")\\.\\d+\\.tmp");

    private final Path folder;

    /**
     * The rows of one input file from its newest source.
     *
     * @param run   0 for an earlier scores.csv, else the run that committed them
     * @param lines the file's lines, in slice order
     */
    record Rows(int run, List<ScoresCsv.Line> lines) {
        boolean failed() {
            return BatchDetection.isFailure(lines.stream().map(ScoresCsv.Line::row).toList());
        }
    }

    /**
     * What the folder holds so far.
     *
     * @param byFile  the newest rows of every input file seen, by file name
     * @param lastRun the highest run number among the parts, 0 if none
     * @param parts   the part files read
     */
    record State(Map<String, Rows> byFile, int lastRun, List<Path> parts) {
        /** @return the file names whose newest rows are not a failure */
        Set<String> done() {
            Set<String> out = new TreeSet<>();
            byFile.forEach((file, rows) -> {
                if (!rows.failed()) {
                    out.add(file);
                }
            });
            return out;
        }
    }

    /**
     * The table the run ended with.
     *
     * @param csv       the scores table
     * @param images    rows of detected images
     * @param anomalous of those, how many were judged anomalous
     * @param failed    rows of files that failed
     */
    public record Table(Path csv, int images, int anomalous, int failed) {
    }

    /**
     * Keeps the books of one output folder; nothing is read or written until asked.
     *
     * @param folder the output folder (absolute, as the executors see it)
     */
    public JobOutput(Path folder) {
        this.folder = folder;
    }

    /** @return the output folder */
    public Path folder() {
        return folder;
    }

    /**
     * Commits a task's rows as one part, atomically, on the executor. Called after the images'
     * heatmaps and masks are written, so a committed row always has its result files.
     *
     * @param folder    the output folder
     * @param run       the run number
     * @param partition the task's partition
     * @param chunk     the part's number within the partition
     * @param rows      the rows of the images detected since the last commit
     * @throws UtadException if the part cannot be written, saying where
     */
    public static void commit(Path folder, int run, int partition, int chunk, List<BatchDetection.Row> rows) {
        Path parts = folder.resolve(PARTS);
        try {
            Files.createDirectories(parts);
        } catch (IOException e) {
            throw new UtadException("Cannot create " + parts + " on this executor: " + e.getMessage()
                    + ". The output folder must be writable from every node.", e);
        }
        ScoresCsv.write(parts.resolve(String.format(Locale.ROOT, "run-%04d-part-%05d-chunk-%05d.csv", run, partition,
                chunk)), rows);
    }

    /**
     * Creates the folder if needed and removes the hidden temporary files that a killed task may
     * have left behind (the result it was writing was never moved into place, and is redone).
     *
     * @return how many temporary files were removed
     * @throws InvalidInputException if the folder cannot be created or listed
     */
    public int prepare() {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot create the output folder " + folder + ": " + e.getMessage(), e);
        }
        int removed = 0;
        for (Path dir : new Path[] {folder, folder.resolve(PARTS)}) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            for (Path p : entries(dir)) {
                if (STALE.matcher(p.getFileName().toString()).matches() && deleted(p)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    /**
     * Forgets earlier results, for a run that redoes everything: deletes the scores table, the
     * summary and the committed parts. Heatmaps and masks are replaced as the images are redone.
     *
     * @throws InvalidInputException if a file cannot be deleted
     */
    public void clear() {
        Path parts = folder.resolve(PARTS);
        if (Files.isDirectory(parts)) {
            for (Path p : entries(parts)) {
                delete(p);
            }
            delete(parts);
        }
        delete(folder.resolve(BatchDetection.CSV));
        delete(folder.resolve(SUMMARY));
    }

    /**
     * Reads what earlier runs and the tasks of this run have committed.
     *
     * @return the newest rows per file
     * @throws InvalidInputException if scores.csv or a part is not a scores table
     */
    State state() {
        Map<String, Rows> byFile = new LinkedHashMap<>();
        Path csv = folder.resolve(BatchDetection.CSV);
        if (Files.exists(csv)) {
            add(byFile, 0, ScoresCsv.read(csv));
        }
        int last = 0;
        List<Path> parts = new ArrayList<>();
        Path dir = folder.resolve(PARTS);
        if (Files.isDirectory(dir)) {
            List<Path> sorted = new ArrayList<>(entries(dir));
            sorted.sort(null);
            for (Path p : sorted) {
                Matcher m = PART.matcher(p.getFileName().toString());
                if (m.matches()) {
                    int run = Integer.parseInt(m.group(1));
                    last = Math.max(last, run);
                    add(byFile, run, ScoresCsv.read(p));
                    parts.add(p);
                }
            }
        }
        return new State(byFile, last, parts);
    }

    /**
     * Joins everything committed into scores.csv, in the order of a single run, and then removes
     * the parts it joined (a run killed between the two steps joins the same rows again).
     *
     * @return the table
     * @throws InvalidInputException if a source cannot be read or the table cannot be written
     */
    Table merge() {
        State s = state();
        List<ScoresCsv.Line> lines = new ArrayList<>();
        s.byFile().values().forEach(r -> lines.addAll(r.lines()));
        List<ScoresCsv.Line> sorted = ScoresCsv.sortByFile(lines);
        Path csv = folder.resolve(BatchDetection.CSV);
        ScoresCsv.writeLines(csv, sorted);
        for (Path p : s.parts()) {
            delete(p);
        }
        Path dir = folder.resolve(PARTS);
        if (Files.isDirectory(dir) && entries(dir).isEmpty()) {
            delete(dir);
        }
        int failed = (int) sorted.stream().filter(l -> l.row().verdict().equals("error")).count();
        int anomalous = (int) sorted.stream().filter(l -> l.row().verdict().equals("anomalous")).count();
        return new Table(csv, sorted.size() - failed, anomalous, failed);
    }

    /**
     * Writes the run summary atomically next to the table.
     *
     * @param text the summary
     * @throws InvalidInputException if it cannot be written
     */
    void writeSummary(String text) {
        Path file = folder.resolve(SUMMARY);
        try {
            AtomicFiles.replace(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InvalidInputException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void add(Map<String, Rows> byFile, int run, List<ScoresCsv.Line> lines) {
        Map<String, List<ScoresCsv.Line>> grouped = new LinkedHashMap<>();
        for (ScoresCsv.Line l : lines) {
            grouped.computeIfAbsent(l.row().file(), k -> new ArrayList<>()).add(l);
        }
        grouped.forEach((file, fileLines) -> {
            Rows old = byFile.get(file);
            if (old == null || old.run() < run) {
                byFile.put(file, new Rows(run, List.copyOf(fileLines)));
            }
        });
    }

    private static List<Path> entries(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(out::add);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static boolean deleted(Path p) {
        try {
            return Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot delete " + p + ": " + e.getMessage()
                    + ". Check the output folder's permissions.", e);
        }
    }

    private static void delete(Path p) {
        deleted(p);
    }
}
