package org.utad.imagej;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.ImageRoi;
import ij.gui.Line;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.gui.TextRoi;
import ij.plugin.LutLoader;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.LUT;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.IndexColorModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.utad.core.Calibration;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;
import org.utad.infer.HeatmapScale;

/**
 * Builds the images a user looks at after detection: the heatmap stack with the Fire LUT, the input
 * with the heat laid over it where it matters, the 8-bit mask stack, and among the intermediates the
 * expert variance stack.
 *
 * <p>Heatmaps hold the anomaly map's own values (the scale the caller states in {@code info}); they
 * are shown from 0 to {@code displayMax} and carry a calibration bar, as a non-destructive overlay,
 * that names the value at the top and the pixel threshold, so the colours can be read without the
 * documentation. Everything here works through the ImageJ API only (no {@code IJ.run}), so that the
 * commands that call it stay recordable as macros, and it runs headless. Results keep the input's
 * width, height, slice count, slice labels and spatial calibration, so measurements on them are in
 * the input's units.
 */
public final class HeatmapImages {
    /** The LUT of heatmaps: Fire reads as cold (black, blue) to hot (yellow, white). */
    public static final String LUT_NAME = "fire";
    /** The image property naming the pixel threshold, for macros ({@code Property.get}). */
    public static final String PIXEL_THRESHOLD_PROPERTY = "utad.pixel_threshold";
    /** The image property naming the value shown at full colour. */
    public static final String DISPLAY_MAX_PROPERTY = "utad.display_max";
    /** The largest blend weight of the heat colour over the input in the overlay. */
    static final double MAX_ALPHA = 0.75;
    /**
     * The share of the pixel threshold below which the overlay shows the input untouched: heat
     * starts to show at half the threshold and grows to full weight at the top of the scale, so a
     * normal image keeps its own look and only what nears or passes the threshold is tinted.
     */
    static final double FLOOR = 0.5;

    private HeatmapImages() {
    }

    /**
     * Stacks anomaly maps into one 32-bit heatmap with the Fire LUT, shown from 0 to
     * {@code displayMax}, with a calibration bar and its scale described in the image's Info.
     *
     * @param maps       one single-channel map per slice, all of one size, at least one
     * @param title      the title of the result
     * @param displayMax the value shown at full colour (white)
     * @param threshold  the pixel threshold, marked on the bar; NaN when the model has none
     * @param info       what the values mean, for Image &gt; Show Info
     * @return the heatmap stack, calibrated like the first map
     * @throws InvalidInputException if there are no maps, or they differ in size or are not single-channel
     */
    public static ImagePlus heatmap(List<FloatImage> maps, String title, double displayMax, double threshold,
                                    String info) {
        FloatImage first = check(maps);
        ImageStack stack = floatStack(maps);
        ImagePlus imp = new ImagePlus(title, stack);
        LUT lut = fireLut();
        stack.setColorModel(lut);
        imp.setLut(lut);
        imp.setDisplayRange(0, displayMax);
        ImagePlusAdapter.applyCalibration(imp, first.calibration());
        describe(imp, displayMax, threshold, info);
        return imp;
    }

    /**
     * Stacks the per-pixel variance of the expert reconstructions with random detail codes into one
     * 32-bit image in grey, shown from 0 to its largest value, so the user sees where the expert is
     * unsure how the detail should look. The UTAD fusion subtracts this variance from the map, so a
     * bright region here is one where a residual counts less.
     *
     * @param variances one single-channel variance map per slice, all of one size, at least one
     * @param title     the title of the result
     * @return the variance stack, calibrated like the first map, with its meaning in the Info
     * @throws InvalidInputException if there are no maps, or they differ in size or are not single-channel
     */
    public static ImagePlus variance(List<FloatImage> variances, String title) {
        FloatImage first = check(variances);
        ImagePlus imp = new ImagePlus(title, floatStack(variances));
        double top = largest(variances);
        imp.setDisplayRange(0, top > 0 ? top : 1);
        ImagePlusAdapter.applyCalibration(imp, first.calibration());
        imp.setProperty("Info", "Variance of the expert reconstructions with random detail codes, per pixel"
                + " (grey values of the [0, 1] scale the networks work in, squared; the mean over channels).\n"
                + "High where the Expert-Net is unsure how the detail should look; the UTAD map subtracts it, so"
                + " residuals count less there.\nShown from 0 (black) to " + format(top) + " (white).\n");
        return imp;
    }

    /**
     * Lays the heat over each input slice (shown as grey): the colour is the heatmap's Fire colour,
     * its weight is zero below {@link #FLOOR} times the reference and grows linearly to
     * {@link #MAX_ALPHA} at {@code displayMax}. The reference is the pixel threshold, or half of
     * {@code displayMax} for a model without one. So nothing is tinted on a normal image, and what
     * is flagged glows.
     *
     * @param inputs     the input slices as raw values (any channel count; their mean is shown)
     * @param maps       the maps, one per input and of the input's size
     * @param title      the title of the result
     * @param displayMax the map value shown at full colour
     * @param threshold  the pixel threshold; NaN when the model has none
     * @param info       what the colours mean, for Image &gt; Show Info
     * @return an RGB stack, calibrated like the first input, with a calibration bar
     * @throws InvalidInputException if the lists differ in length or the images in size
     */
    public static ImagePlus overlay(List<FloatImage> inputs, List<FloatImage> maps, String title, double displayMax,
                                    double threshold, String info) {
        FloatImage first = check(maps);
        if (inputs.size() != maps.size()) {
            throw new InvalidInputException("Overlay needs one map per input, got " + inputs.size() + " inputs and "
                    + maps.size() + " maps.");
        }
        float[] range = greyRange(inputs);
        IndexColorModel lut = fireLut();
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        lut.getReds(r);
        lut.getGreens(g);
        lut.getBlues(b);
        double top = displayMax > 0 ? displayMax : 1;
        double reference = threshold > 0 && Double.isFinite(threshold) ? threshold : top / 2;
        double floor = FLOOR * reference;
        ImageStack stack = new ImageStack(first.width(), first.height());
        for (int s = 0; s < inputs.size(); s++) {
            FloatImage in = inputs.get(s);
            FloatImage map = maps.get(s);
            if (in.width() != map.width() || in.height() != map.height()) {
                throw new InvalidInputException("Input " + in.name() + " and its map differ in size.");
            }
            int plane = in.planeSize();
            int[] rgb = new int[plane];
            for (int i = 0; i < plane; i++) {
                double grey = 0;
                for (int c = 0; c < in.channels(); c++) {
                    grey += in.data()[c * plane + i];
                }
                grey = (grey / in.channels() - range[0]) / (range[1] - range[0]) * 255.0;
                double v = map.data()[i];
                int k = (int) Math.round(clamp01(v / top) * 255);
                double alpha = top > floor ? MAX_ALPHA * clamp01((v - floor) / (top - floor)) : 0;
                int rr = blend(grey, r[k] & 0xff, alpha);
                int gg = blend(grey, g[k] & 0xff, alpha);
                int bb = blend(grey, b[k] & 0xff, alpha);
                rgb[i] = 0xff000000 | (rr << 16) | (gg << 8) | bb;
            }
            stack.addSlice(in.name(), new ColorProcessor(in.width(), in.height(), rgb));
        }
        ImagePlus imp = new ImagePlus(title, stack);
        ImagePlusAdapter.applyCalibration(imp, first.calibration());
        describe(imp, displayMax, threshold, info + "Overlay: the input in grey; heat colours from " + FLOOR
                + " x the " + (threshold > 0 ? "pixel threshold" : "middle of the scale") + " up, more opaque the"
                + " hotter.\n");
        return imp;
    }

    /**
     * Draws a calibration bar for a heatmap of the given size, as overlay elements in its top-right
     * corner: the Fire colours from 0 (bottom) to {@code displayMax} (top), with a cyan mark and
     * label at the pixel threshold when there is one, and the values at both ends where they fit
     * (on a small image the threshold's label comes first, shortened to its number if need be).
     *
     * @param width      the image's width
     * @param height     the image's height
     * @param displayMax the value at the top
     * @param threshold  the pixel threshold, or NaN for none
     * @return the overlay
     */
    public static Overlay calibrationBar(int width, int height, double displayMax, double threshold) {
        int barH = Math.max(24, height / 3);
        int barW = Math.max(6, Math.min(24, width / 24));
        int font = Math.max(9, Math.min(14, height / 16));
        int x = width - barW - 2;
        int y = 2;
        IndexColorModel lut = fireLut();
        ColorProcessor bar = new ColorProcessor(barW, barH);
        for (int row = 0; row < barH; row++) {
            int k = (int) Math.round((barH - 1 - row) * 255.0 / Math.max(1, barH - 1));
            bar.setColor(new Color(lut.getRGB(k)));
            bar.drawLine(0, row, barW - 1, row);
        }
        Overlay o = new Overlay();
        ImageRoi image = new ImageRoi(x, y, bar);
        image.setName("utad calibration bar");
        o.add(image);
        Roi frame = new Roi(x, y, barW, barH);
        frame.setStrokeColor(Color.WHITE);
        o.add(frame);
        Font f = new Font(Font.SANS_SERIF, Font.PLAIN, font);
        List<TextRoi> labels = new ArrayList<>();
        if (threshold > 0 && Double.isFinite(threshold) && threshold < displayMax) {
            int ty = y + (int) Math.round((1 - threshold / displayMax) * (barH - 1));
            Line mark = new Line(x - 3, ty, x + barW, ty);
            mark.setStrokeColor(Color.CYAN);
            o.add(mark);
            TextRoi named = label("threshold " + format(threshold), x, ty - font / 2, f);
            labels.add(named.getBounds().x > 0 ? named : label(format(threshold), x, ty - font / 2, f));
            labels.get(0).setStrokeColor(Color.CYAN);
        }
        for (TextRoi t : new TextRoi[] {label(format(displayMax), x, y, f), label("0", x, y + barH - font, f)}) {
            if (labels.stream().noneMatch(l -> l.getBounds().intersects(t.getBounds())) && t.getBounds().x > 0) {
                labels.add(t);
            }
        }
        labels.forEach(o::add);
        return o;
    }

    /** A label ending just left of the bar, white on a dark box, legible on any image. */
    private static TextRoi label(String text, int barX, int y, Font f) {
        TextRoi t = new TextRoi(0, Math.max(0, y), text, f);
        t.setLocation(barX - 4 - (int) Math.ceil(t.getFloatWidth()), Math.max(0, y));
        t.setStrokeColor(Color.WHITE);
        t.setFillColor(new Color(0, 0, 0, 160));
        return t;
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** Attaches the calibration bar, the Info text and the scale's properties. */
    private static void describe(ImagePlus imp, double displayMax, double threshold, String info) {
        imp.setOverlay(calibrationBar(imp.getWidth(), imp.getHeight(), displayMax, threshold));
        imp.setProperty("Info", info);
        imp.setProp(DISPLAY_MAX_PROPERTY, displayMax);
        if (threshold > 0 && Double.isFinite(threshold)) {
            imp.setProp(PIXEL_THRESHOLD_PROPERTY, threshold);
        }
    }

    /**
     * Stacks binary masks as an 8-bit image with 255 on anomalous pixels and 0 elsewhere, ImageJ's
     * convention for binary images (so Analyze Particles and the selection tools work on it).
     *
     * @param masks       one row-major mask per slice
     * @param names       the slice labels, one per mask
     * @param width       mask width
     * @param height      mask height
     * @param calibration spatial calibration to attach; null for none
     * @param title       the title of the result
     * @return the mask stack
     * @throws InvalidInputException if there are no masks or they do not fit width x height
     */
    public static ImagePlus masks(List<boolean[]> masks, List<String> names, int width, int height,
                                  Calibration calibration, String title) {
        if (masks.isEmpty() || masks.size() != names.size()) {
            throw new InvalidInputException("Need one name per mask and at least one mask.");
        }
        ImageStack stack = new ImageStack(width, height);
        for (int s = 0; s < masks.size(); s++) {
            boolean[] m = masks.get(s);
            if (m.length != width * height) {
                throw new InvalidInputException("Mask " + names.get(s) + " does not have " + width + "x" + height
                        + " pixels.");
            }
            byte[] p = new byte[m.length];
            for (int i = 0; i < m.length; i++) {
                p[i] = m[i] ? (byte) 255 : 0;
            }
            stack.addSlice(names.get(s), new ByteProcessor(width, height, p));
        }
        ImagePlus imp = new ImagePlus(title, stack);
        imp.setDisplayRange(0, 255);
        ImagePlusAdapter.applyCalibration(imp, calibration);
        return imp;
    }

    /** @return ImageJ's Fire lookup table */
    public static LUT fireLut() {
        return new LUT(LutLoader.getLut(LUT_NAME), 0, 255);
    }

    /** @return the maps as a 32-bit stack of copies, labelled with the maps' names */
    private static ImageStack floatStack(List<FloatImage> maps) {
        ImageStack stack = new ImageStack(maps.get(0).width(), maps.get(0).height());
        for (FloatImage m : maps) {
            stack.addSlice(m.name(), new FloatProcessor(m.width(), m.height(), m.data().clone()));
        }
        return stack;
    }

    private static FloatImage check(List<FloatImage> maps) {
        if (maps == null || maps.isEmpty()) {
            throw new InvalidInputException("No maps to show.");
        }
        FloatImage first = maps.get(0);
        for (FloatImage m : maps) {
            if (m.width() != first.width() || m.height() != first.height() || m.channels() != 1) {
                throw new InvalidInputException("Maps must be single-channel and of one size; " + m + " differs from "
                        + first + ".");
            }
        }
        return first;
    }

    /**
     * The largest finite value over maps, the top of the display for a model without thresholds.
     *
     * @param maps the maps
     * @return the largest value, 0 when there is none above 0
     */
    public static double largest(List<FloatImage> maps) {
        double max = 0;
        for (FloatImage m : maps) {
            max = Math.max(max, HeatmapScale.largest(m.data()));
        }
        return max;
    }

    /** The grey range to stretch to 0..255: the bit depth's range for 8-bit, else the data range. */
    private static float[] greyRange(List<FloatImage> inputs) {
        if (inputs.get(0).bitDepth() == 8) {
            return new float[] {0, 255};
        }
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (FloatImage in : inputs) {
            for (float v : in.data()) {
                if (Float.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        return min < max ? new float[] {min, max} : new float[] {min, min + 1};
    }

    private static int blend(double grey, int colour, double alpha) {
        double v = (1 - alpha) * grey + alpha * colour;
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    private static double clamp01(double v) {
        return v > 0 ? Math.min(1, v) : 0;
    }
}
