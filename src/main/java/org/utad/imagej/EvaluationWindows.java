package org.utad.imagej;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
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
     * Opens the figures Evaluate drew in its output folder: roc.png, pro.png (each if drawn) and the
     * galleries in name order.
     *
     * @param output the evaluation's output folder
     * @return the figures as images titled by their file names; empty when none were drawn
     * @throws IllegalStateException if the folder cannot be listed
     */
    public static List<ImagePlus> figures(Path output) {
        List<Path> files = new ArrayList<>();
        for (String fixed : new String[] {"roc.png", "pro.png"}) {
            if (Files.isRegularFile(output.resolve(fixed))) {
                files.add(output.resolve(fixed));
            }
        }
        try (Stream<Path> s = Files.list(output)) {
            s.filter(p -> p.getFileName().toString().matches("gallery_.*\\.png")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot list " + output + ": " + e.getMessage(), e);
        }
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
