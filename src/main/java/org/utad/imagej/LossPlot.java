package org.utad.imagej;

import ij.ImagePlus;
import ij.gui.Plot;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import java.awt.Color;
import java.util.List;

/**
 * Draws training loss curves as an ImageJ plot image, so that a user (or a headless script) can see
 * and save how training went.
 *
 * <p>The curves come in panels stacked one above the other, each with its own axes: the two stages
 * of UTAD train different networks on different losses whose values differ by orders of magnitude,
 * and on one shared axis the larger would flatten the other into a line along the bottom.
 */
public final class LossPlot {
    private static final Color[] COLOURS = {Color.BLUE, new Color(200, 80, 0), new Color(0, 140, 0), Color.MAGENTA};
    /** Width of each panel in pixels. */
    static final int WIDTH = 560;
    /** Height of each panel in pixels. */
    static final int PANEL_HEIGHT = 300;

    /**
     * One curve.
     *
     * @param label the legend entry
     * @param x     iterations
     * @param y     loss values, as many as x
     */
    public record Series(String label, double[] x, double[] y) {
    }

    /**
     * One panel: curves that share an iteration axis and a loss scale.
     *
     * @param title  the panel's heading, e.g. the stage
     * @param series its curves; empty curves are skipped
     */
    public record Panel(String title, List<Series> series) {
    }

    private LossPlot() {
    }

    /**
     * Draws the panels one above the other into one image.
     *
     * @param title  the image's title
     * @param panels the panels, top first; at least one
     * @return the panels rendered as one RGB image
     * @throws IllegalArgumentException if there is no panel
     */
    public static ImagePlus image(String title, List<Panel> panels) {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("A loss plot needs at least one panel.");
        }
        ColorProcessor canvas = null;
        for (int k = 0; k < panels.size(); k++) {
            ImageProcessor ip = panel(panels.get(k)).convertToRGB();
            if (canvas == null) {
                canvas = new ColorProcessor(ip.getWidth(), ip.getHeight() * panels.size());
            }
            canvas.insert(ip, 0, k * ip.getHeight());
        }
        return new ImagePlus(title, canvas);
    }

    /** Renders one panel with limits fitted to its own curves. */
    private static ImageProcessor panel(Panel p) {
        Plot plot = new Plot(p.title(), "iteration", "loss");
        plot.setSize(WIDTH, PANEL_HEIGHT);
        StringBuilder legend = new StringBuilder();
        double xMax = 1;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        int drawn = 0;
        for (Series s : p.series()) {
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
        plot.setColor(Color.BLACK);
        if (drawn > 0) {
            plot.addLegend(legend.toString());
            if (yMin <= yMax) {
                double pad = yMax > yMin ? 0.05 * (yMax - yMin) : Math.max(1e-6, Math.abs(yMax) * 0.05);
                plot.setLimits(0, xMax, yMin - pad, yMax + pad);
            }
        } else {
            plot.addLabel(0.4, 0.5, "no points");
        }
        plot.addLabel(0, 0, p.title());
        return plot.getProcessor();
    }
}
