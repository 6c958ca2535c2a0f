package org.utad.imagej;

import ij.gui.Plot;
import ij.process.ColorProcessor;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.IndexColorModel;
import java.nio.file.Path;
import java.util.List;
import org.utad.api.EvaluationFigures;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;

/**
 * Draws evaluation figures with ImageJ: curves with {@link Plot} (the plots Fiji users know, with
 * axes, grid and legend), galleries on an RGB canvas with the Fire lookup table of the heatmaps.
 * Works headless; files are written atomically as PNG.
 */
public final class IjEvaluationFigures implements EvaluationFigures {
    private static final int PLOT_WIDTH = 560;
    private static final int PLOT_HEIGHT = 420;
    private static final Color[] LINE_COLOURS = {new Color(0, 90, 200), new Color(220, 60, 20),
        new Color(0, 150, 60), Color.MAGENTA};
    private static final String[] COLUMNS = {"input", "heatmap", "ground truth", "predicted mask"};
    private static final int GAP = 6;
    private static final int TEXT = 16;

    @Override
    public void plot(Path file, String title, String xLabel, String yLabel, List<Series> series, double xMax) {
        if (series.isEmpty()) {
            throw new InvalidInputException("Nothing to plot for " + file + ": no curve was given");
        }
        Plot plot = new Plot(title, xLabel, yLabel);
        plot.setSize(PLOT_WIDTH, PLOT_HEIGHT);
        plot.setLimits(0, xMax, 0, 1);
        plot.setLineWidth(2);
        StringBuilder legend = new StringBuilder();
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            plot.setColor(LINE_COLOURS[i % LINE_COLOURS.length]);
            plot.addPoints(s.x(), s.y(), Plot.LINE);
            legend.append(i == 0 ? "" : "\n").append(s.label());
        }
        if (xMax >= 1) {
            plot.setColor(Color.GRAY);
            plot.setLineWidth(1);
            plot.drawDottedLine(0, 0, 1, 1, 2);
        }
        plot.setColor(Color.BLACK);
        plot.addLegend(legend.toString(), "bottom-right");
        plot.setFont(Font.BOLD, 13);
        plot.addLabel(0, 0, title);
        ImageWriter.writePng(plot.getImagePlus().getBufferedImage(), file, true);
    }

    @Override
    public void gallery(Path file, String title, List<Case> cases, double heatMax) {
        if (cases.isEmpty()) {
            throw new InvalidInputException("Nothing to draw for " + file + ": the gallery has no images");
        }
        int cellW = 0;
        int rowsH = TEXT + GAP;
        for (Case c : cases) {
            cellW = Math.max(cellW, c.input().width());
            rowsH += TEXT + c.input().height() + GAP;
        }
        cellW = Math.max(cellW, 96);
        int width = GAP + COLUMNS.length * (cellW + GAP);
        int height = TEXT + GAP + rowsH;
        ColorProcessor canvas = new ColorProcessor(width, height);
        canvas.setColor(new Color(30, 30, 30));
        canvas.fill();
        canvas.setAntialiasedText(true);
        canvas.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        canvas.setColor(Color.WHITE);
        canvas.drawString(title, GAP, TEXT);
        canvas.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int k = 0; k < COLUMNS.length; k++) {
            canvas.drawString(COLUMNS[k], GAP + k * (cellW + GAP), 2 * TEXT + GAP);
        }
        IndexColorModel fire = HeatmapImages.fireLut();
        int y = 2 * TEXT + 2 * GAP;
        for (Case c : cases) {
            canvas.setColor(Color.WHITE);
            canvas.drawString(c.label(), GAP, y + TEXT - 2);
            y += TEXT;
            FloatImage[] cells = {c.input(), c.heatmap(), c.truth(), c.mask()};
            for (int k = 0; k < cells.length; k++) {
                int x0 = GAP + k * (cellW + GAP);
                if (cells[k] == null) {
                    canvas.setColor(Color.GRAY);
                    canvas.drawString(k == 2 ? "no mask" : "not calibrated", x0, y + TEXT);
                    continue;
                }
                paint(canvas, cells[k], x0, y, k == 1 ? fire : null, k == 1 ? heatMax : Double.NaN);
            }
            y += c.input().height() + GAP;
        }
        ImageWriter.writePng(canvas.getBufferedImage(), file, true);
    }

    /**
     * Paints one plane: through the LUT from 0 to {@code max} when a LUT is given, else as grey
     * stretched between the plane's own minimum and maximum.
     */
    private static void paint(ColorProcessor canvas, FloatImage img, int x0, int y0, IndexColorModel lut, double max) {
        float[] d = img.data();
        double lo = 0;
        double hi = max;
        if (lut == null) {
            lo = Double.POSITIVE_INFINITY;
            hi = Double.NEGATIVE_INFINITY;
            for (float v : d) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        double scale = hi > lo ? 255.0 / (hi - lo) : 0;
        int w = img.width();
        for (int i = 0; i < img.planeSize(); i++) {
            int v = (int) Math.max(0, Math.min(255, Math.round((d[i] - lo) * scale)));
            int rgb = lut == null ? (v << 16) | (v << 8) | v : lut.getRGB(v) & 0xffffff;
            canvas.set(x0 + i % w, y0 + i / w, rgb);
        }
    }
}
