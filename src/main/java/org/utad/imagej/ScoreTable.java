package org.utad.imagej;

import ij.measure.ResultsTable;
import java.util.List;
import org.utad.core.FileNames;

/**
 * The per-image results table of detection: one row per slice or file, with the image's name in
 * ImageJ's Label column (the one {@code getResultLabel} and Table.getString("Label", i) read), its
 * score, the verdict and the number of anomalous regions, as ImageJ users expect to sort, plot and
 * save them. The name is said once, and the same way whether a stack or a folder was analysed:
 * the file name as the user sees it (such as "000.png"), see {@link #fileLabel}.
 */
public final class ScoreTable {
    /** The title under which the table is shown, so repeated runs reuse one window. */
    public static final String TITLE = "UTAD Results";

    /**
     * One row.
     *
     * @param name    slice label, or for a folder the {@link #fileLabel} of the file
     * @param score   the image score (NaN when the image failed)
     * @param verdict anomalous, normal, unknown or error
     * @param regions number of anomalous regions
     */
    public record Row(String name, double score, String verdict, int regions) {
    }

    private ScoreTable() {
    }

    /**
     * Names an image read from a file of a folder: the file name itself, as a stack opened from the
     * same folder labels its slices; for a file that holds several images, the file name followed by
     * the image's own name in parentheses.
     *
     * @param file  the file name, with its extension
     * @param image the image's name as the loader gave it (the file stem for a single image); may
     *              be empty when the file could not be read
     * @return the label
     */
    public static String fileLabel(String file, String image) {
        if (image == null || image.isEmpty()) {
            return file;
        }
        String stem = FileNames.stem(file);
        return image.equals(stem) || image.equals(file) ? file : file + " (" + image + ")";
    }

    /**
     * Builds a fresh table (never ImageJ's system "Results" table, which belongs to Analyze &gt; Measure).
     *
     * @param rows the rows, in slice order
     * @return the table
     */
    public static ResultsTable of(List<Row> rows) {
        ResultsTable rt = new ResultsTable();
        rt.setPrecision(6);
        for (Row r : rows) {
            rt.incrementCounter();
            rt.addLabel(r.name());
            rt.addValue("score", r.score());
            rt.addValue("verdict", r.verdict());
            rt.addValue("regions", r.regions());
        }
        return rt;
    }
}
