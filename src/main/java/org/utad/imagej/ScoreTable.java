package org.utad.imagej;

import ij.measure.ResultsTable;
import java.util.List;

/**
 * The per-image results table of detection: one row per slice or file, with the image's name, its
 * score, the verdict and the number of anomalous regions, as ImageJ users expect to sort, plot and
 * save them.
 */
public final class ScoreTable {
    /** The title under which the table is shown, so repeated runs reuse one window. */
    public static final String TITLE = "UTAD Results";

    /**
     * One row.
     *
     * @param name    slice label or file name
     * @param score   the image score (NaN when the image failed)
     * @param verdict anomalous, normal, unknown or error
     * @param regions number of anomalous regions
     */
    public record Row(String name, double score, String verdict, int regions) {
    }

    private ScoreTable() {
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
            rt.addValue("name", r.name());
            rt.addValue("score", r.score());
            rt.addValue("verdict", r.verdict());
            rt.addValue("regions", r.regions());
        }
        return rt;
    }
}
