package org.utad.imagej;

import ij.ImagePlus;
import ij.gui.Plot;
import java.awt.Color;
import java.util.List;

/**
 * Draws training loss curves as an ImageJ plot image, so that a user (or a headless script) can see
 * and save how training went.
 */
public final class LossPlot {
    private static final Color[] COLOURS = {Color.BLUE, new Color(200, 80, 0), new Color(0, 140, 0), Color.MAGENTA};

    /**
     * One curve.
     *
     * @param label the legend entry
     * @param x     iterations
     * @param y     loss values, as many as x
     */
    public record Series(String label, double[] x, double[] y) {
    }

    private LossPlot() {
    }

    /**
     * Draws the curves into one plot.
     *
     * @param title  the plot's title
     * @param series the curves; empty curves are skipped
     * @return the plot rendered as an image (an empty plot when there are no points)
     */
    public static ImagePlus image(String title, List<Series> series) {
        Plot plot = new Plot(title, "iteration", "loss");
        StringBuilder legend = new StringBuilder();
        double xMax = 1;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        int drawn = 0;
        for (Series s : series) {
            if (s.x().length == 0) {
                continue;
            }
            plot.setColor(COLOURS[drawn % COLOURS.length]);
            plot.setLineWidth(1.5f);
            plot.add("line", s.x(), s.y());
            legend.append(drawn == 0 ? "" : "\n").append(s.label());
            for (int i = 0; i < s.x().length; i++) {
                xMax = Math.max(xMax, s.x()[i]);
                if (Double.isFinite(s.y()[i])) {
                    yMin = Math.min(yMin, s.y()[i]);
                    yMax = Math.max(yMax, s.y()[i]);
                }
            }
            drawn++;
        }
        if (drawn > 0) {
            plot.setColor(Color.BLACK);
            plot.addLegend(legend.toString());
            if (yMin <= yMax) {
                double pad = yMax > yMin ? 0.05 * (yMax - yMin) : Math.max(1e-6, Math.abs(yMax) * 0.05);
                plot.setLimits(0, xMax, yMin - pad, yMax + pad);
            }
        }
        return plot.getImagePlus();
    }
}
