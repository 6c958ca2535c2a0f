package org.utad.imagej;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.utad.metrics.Evaluation;
import org.utad.metrics.EvaluationReport;

/**
 * What Evaluate shows on screen: its metrics as an ImageJ results table and its figures (ROC and PRO
 * curves, one gallery per test folder) as images, so a user sees the outcome where ImageJ users
 * look instead of having to find the files. The same figures stay in the output folder.
 */
public final class EvaluationWindows {
    /** The title of the metrics table, so repeated runs reuse one window. */
    public static final String TABLE_TITLE = "UTAD Evaluation";

    private EvaluationWindows() {
    }

    /**
     * The metrics as a table: one row for all test images, then one per defect type, labelled by
     * name, with the headline measures (the output folder's metrics.csv has every field).
     *
     * @param e the evaluation
     * @return a fresh table (never ImageJ's system Results table)
     */
    public static ResultsTable metrics(Evaluation e) {
        ResultsTable rt = new ResultsTable();
        rt.setPrecision(4);
        row(rt, "all", e.overall());
        e.byDefectType().forEach((type, r) -> row(rt, type, r));
        return rt;
    }

    private static void row(ResultsTable rt, String label, EvaluationReport r) {
        rt.incrementCounter();
        rt.addLabel(label);
        rt.addValue("images", r.images());
        rt.addValue("anomalous", r.anomalousImages());
        rt.addValue("image AUROC", r.imageAuroc());
        rt.addValue("pixel AUROC", r.pixelAuroc());
        rt.addValue("AUPRO", r.aupro());
        rt.addValue("F1-max", r.f1Max());
        rt.addValue("F1 at threshold", r.f1AtCalibrated());
    }

    /**
     * Opens the figures an evaluation drew ({@link org.utad.api.Evaluate.Summary#figures()}): only
     * those of this run, never an older file left in the same folder.
     *
     * @param files the figure files, in the order to show them
     * @return the figures as images titled by their file names; empty when none were drawn
     */
    public static List<ImagePlus> figures(List<Path> files) {
        List<ImagePlus> out = new ArrayList<>();
        for (Path f : files) {
            ImagePlus imp = IJ.openImage(f.toString());
            if (imp != null) {
                imp.setTitle(f.getFileName().toString());
                out.add(imp);
            }
        }
        return out;
    }
}
