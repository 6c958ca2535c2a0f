package org.utad.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import org.utad.core.InvalidInputException;

/**
 * The scores table of batch detection ({@code scores.csv}): how a row is written, how a table is
 * read back, and how tables written in parts (by the shards of an array job, or by the tasks of a
 * Spark job) are joined into the one table a single run would have written, byte for byte.
 *
 * <p>One line per image: {@code file,image,score,verdict,regions,error}. The score has six
 * significant digits and is empty for a failed file; a field holding a comma or a quote is quoted
 * the CSV way; line breaks inside a field become spaces, so each row is one line. Rows are in the
 * order of the input files' names, and the slices of a stack in slice order.
 */
public final class ScoresCsv {
    /** The first line of every scores table. */
    public static final String HEADER = "file,image,score,verdict,regions,error";
    /** Orders rows as a single run writes them: by input file name; a file's rows keep their order. */
    public static final Comparator<Line> BY_FILE = Comparator.comparing(l -> l.row().file());

    /**
     * A row as read back from a table, with the exact text of its line, so that joining tables
     * copies the lines rather than formatting the numbers a second time.
     *
     * @param row  the values
     * @param text the line as written, without its line break
     */
    public record Line(BatchDetection.Row row, String text) {
    }

    /**
     * The outcome of joining shard tables.
     *
     * @param csv       the table written
     * @param parts     the shard tables it was made of, in shard order
     * @param images    rows of images that were detected
     * @param anomalous of those, how many were judged anomalous
     * @param failed    rows of files that failed
     */
    public record Merge(Path csv, List<Path> parts, int images, int anomalous, int failed) {
        /** @return a one-line account for the console */
        public String text() {
            return String.format(Locale.ROOT, "Merged %d shard tables: %d images (%d anomalous, %d failed); scores in %s",
                    parts.size(), images, anomalous, failed, csv);
        }
    }

    private ScoresCsv() {
    }

    /**
     * Formats one row as its line of the table.
     *
     * @param r the row
     * @return the line, without a line break
     */
    public static String format(BatchDetection.Row r) {
        return quote(r.file()) + ',' + quote(r.image()) + ','
                + (Double.isNaN(r.score()) ? "" : String.format(Locale.ROOT, "%.6g", r.score())) + ','
                + r.verdict() + ',' + r.regions() + ',' + quote(r.error());
    }

    /**
     * The whole table as text: the header and one line per row, each ending in a line break.
     *
     * @param rows the rows, in table order
     * @return the text
     */
    public static String text(List<BatchDetection.Row> rows) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (BatchDetection.Row r : rows) {
            sb.append(format(r)).append('\n');
        }
        return sb.toString();
    }

    /**
     * Writes a table atomically, so a reader or a killed run only ever sees a complete table.
     *
     * @param csv  the target
     * @param rows its rows, in table order
     * @throws InvalidInputException if the folder cannot be written
     */
    public static void write(Path csv, List<BatchDetection.Row> rows) {
        TextFiles.writeAtomically(csv, text(rows));
    }

    /**
     * Writes a table from lines read back from other tables, atomically and without reformatting.
     *
     * @param csv   the target
     * @param lines the lines, in table order
     * @throws InvalidInputException if the folder cannot be written
     */
    public static void writeLines(Path csv, Collection<Line> lines) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Line l : lines) {
            sb.append(l.text()).append('\n');
        }
        TextFiles.writeAtomically(csv, sb.toString());
    }

    /**
     * Reads a table back.
     *
     * @param csv a table written by batch detection
     * @return its lines in file order
     * @throws InvalidInputException if the file cannot be read or is not a scores table; the
     *                               message names the file and the line
     */
    public static List<Line> read(Path csv) {
        List<String> text;
        try {
            text = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot read the scores table " + csv + ": " + e.getMessage(), e);
        }
        if (text.isEmpty() || !text.get(0).equals(HEADER)) {
            throw new InvalidInputException(csv + " is not a UTAD scores table: its first line should be '" + HEADER
                    + "'. Remove it or choose another output folder.");
        }
        List<Line> out = new ArrayList<>();
        for (int i = 1; i < text.size(); i++) {
            if (!text.get(i).isEmpty()) {
                out.add(new Line(parse(text.get(i), csv, i + 1), text.get(i)));
            }
        }
        return out;
    }

    /**
     * Joins the shard tables {@code scores.part-<i>-of-<n>.csv} of a folder into its
     * {@code scores.csv}, in the order a single run over the whole folder writes it. The shard
     * tables are kept, so the merge can be repeated.
     *
     * @param folder    the output folder the shards wrote into
     * @param overwrite whether an existing scores.csv may be replaced
     * @return what was merged
     * @throws InvalidInputException if the folder holds no shard tables, tables of different shard
     *                               counts, not all n of them (naming the missing ones), a file in
     *                               two tables, or a scores.csv that may not be replaced
     */
    public static Merge mergeShards(Path folder, boolean overwrite) {
        if (!Files.isDirectory(folder)) {
            throw new InvalidInputException("The folder " + folder + " does not exist: give the output folder that"
                    + " the detect --shard runs wrote into.");
        }
        Map<Integer, TreeMap<Integer, Path>> byCount = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, "scores.part-*-of-*.csv")) {
            for (Path p : entries) {
                Matcher m = Shard.PART_NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    byCount.computeIfAbsent(Integer.parseInt(m.group(2)), k -> new TreeMap<>())
                            .put(Integer.parseInt(m.group(1)), p);
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new InvalidInputException("Cannot list the shard tables in " + folder + ": " + e.getMessage(), e);
        }
        if (byCount.isEmpty()) {
            throw new InvalidInputException("The folder " + folder + " holds no shard tables (scores.part-<i>-of-<n>.csv)."
                    + " Run detection with --shard i/n into it first.");
        }
        if (byCount.size() > 1) {
            throw new InvalidInputException("The folder " + folder + " holds shard tables of different splits (into "
                    + byCount.keySet() + " shares). Delete the tables of the old split and merge again.");
        }
        int n = byCount.keySet().iterator().next();
        TreeMap<Integer, Path> parts = byCount.get(n);
        List<String> missing = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            if (!parts.containsKey(i)) {
                String partial = new Shard(i, n).tableName() + Shard.PARTIAL_SUFFIX;
                missing.add(i + "/" + n + (Files.exists(folder.resolve(partial))
                        ? " (interrupted: only " + partial + " exists)" : ""));
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidInputException("Shard(s) " + String.join(", ", missing) + " have no table in " + folder
                    + " (their tasks failed or have not run). Run detection again with --shard set to each of them"
                    + " (with --overwrite for an interrupted one), then merge again.");
        }
        Path csv = folder.resolve(BatchDetection.CSV);
        if (!overwrite && Files.exists(csv)) {
            throw new InvalidInputException(csv + " already exists. Allow overwriting to replace it with the merge.");
        }
        List<Line> lines = new ArrayList<>();
        Map<String, Path> owner = new HashMap<>();
        for (Path part : parts.values()) {
            List<Line> partLines = read(part);
            for (String file : new TreeSet<>(partLines.stream().map(x -> x.row().file()).toList())) {
                Path earlier = owner.putIfAbsent(file, part);
                if (earlier != null) {
                    throw new InvalidInputException("The file " + file + " is in two shard tables, "
                            + earlier.getFileName() + " and " + part.getFileName() + ": the input folder changed between"
                            + " the array tasks. Run all shards again on the final folder.");
                }
            }
            lines.addAll(partLines);
        }
        List<Line> sorted = sortByFile(lines);
        writeLines(csv, sorted);
        int failed = (int) sorted.stream().filter(l -> l.row().verdict().equals("error")).count();
        int anomalous = (int) sorted.stream().filter(l -> l.row().verdict().equals("anomalous")).count();
        return new Merge(csv, List.copyOf(parts.values()), sorted.size() - failed, anomalous, failed);
    }

    /**
     * Puts lines in the order of a single run: by input file name, a file's own lines (the slices
     * of a stack) keeping their order.
     *
     * @param lines lines from any number of tables
     * @return a new sorted list
     */
    public static List<Line> sortByFile(Collection<Line> lines) {
        List<Line> sorted = new ArrayList<>(lines);
        sorted.sort(BY_FILE);
        return sorted;
    }

    private static BatchDetection.Row parse(String line, Path csv, int number) {
        List<String> f = fields(line);
        if (f == null || f.size() != 6) {
            throw new InvalidInputException("Line " + number + " of " + csv + " is not a scores row (it should have the"
                    + " six fields " + HEADER + "). Was the file edited? Run the detection again.");
        }
        try {
            double score = f.get(2).isEmpty() ? Double.NaN : Double.parseDouble(f.get(2));
            return new BatchDetection.Row(f.get(0), f.get(1), score, f.get(3), Integer.parseInt(f.get(4)), f.get(5));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("Line " + number + " of " + csv + " has a score or region count that is not"
                    + " a number. Was the file edited? Run the detection again.", e);
        }
    }

    /** Splits one CSV line into its fields, undoing the quoting of {@link #quote}; null if malformed. */
    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            return null;
        }
        out.add(cur.toString());
        return out;
    }

    private static String quote(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return "\"" + s.replace("\"", "\"\"").replace("\n", " ") + "\"";
        }
        return s;
    }
}
