package org.utad.imagej;

import ij.ImagePlus;
import ij.ImageStack;
import ij.plugin.LutLoader;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.LUT;
import java.awt.image.IndexColorModel;
import java.util.List;
import org.utad.core.Calibration;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;

/**
 * Builds the images a user looks at after detection: the heatmap stack with the Fire LUT, the input
 * blended with the heatmap colours, and the 8-bit mask stack.
 *
 * <p>Everything here works through the ImageJ API only (no {@code IJ.run}), so that the commands that
 * call it stay recordable as macros, and it runs headless. Results keep the input's width, height,
 * slice count, slice labels and spatial calibration, so measurements on them are in the input's units.
 */
public final class HeatmapImages {
    /** The LUT of heatmaps: Fire reads as cold (black, blue) to hot (yellow, white). */
    public static final String LUT_NAME = "fire";
    /** The largest blend weight of the heatmap colour over the input in the overlay. */
    private static final double MAX_ALPHA = 0.65;

    private HeatmapImages() {
    }

    /**
     * Stacks anomaly maps into one 32-bit heatmap with the Fire LUT.
     *
     * <p>The display range is 0..1 when the maps are normalised (a calibrated model: 0.5 is the pixel
     * threshold, so everything shown bright is anomalous), else 0..the largest value over the stack.
     *
     * @param maps       one single-channel map per slice, all of one size, at least one
     * @param title      the title of the result
     * @param normalized whether the maps are the calibrated, normalised maps
     * @return the heatmap stack, calibrated like the first map
     * @throws InvalidInputException if there are no maps, or they differ in size or are not single-channel
     */
    public static ImagePlus heatmap(List<FloatImage> maps, String title, boolean normalized) {
        FloatImage first = check(maps);
        ImageStack stack = new ImageStack(first.width(), first.height());
        for (FloatImage m : maps) {
            stack.addSlice(m.name(), new FloatProcessor(m.width(), m.height(), m.data().clone()));
        }
        ImagePlus imp = new ImagePlus(title, stack);
        LUT lut = fireLut();
        stack.setColorModel(lut);
        imp.setLut(lut);
        imp.setDisplayRange(0, normalized ? 1.0 : Math.max(maxOf(maps), Float.MIN_NORMAL));
        ImagePlusAdapter.applyCalibration(imp, first.calibration());
        return imp;
    }

    /**
     * Blends each input slice (as grey) with the Fire colour of its heatmap, weighting the colour by
     * the heat so that normal areas keep the input's look and anomalies glow.
     *
     * @param inputs     the input slices as raw values (any channel count; their mean is shown)
     * @param maps       the maps, one per input and of the input's size
     * @param title      the title of the result
     * @param displayMax the map value shown at full colour (1 for normalised maps)
     * @return an RGB stack, calibrated like the first input
     * @throws InvalidInputException if the lists differ in length or the images in size
     */
    public static ImagePlus overlay(List<FloatImage> inputs, List<FloatImage> maps, String title, double displayMax) {
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
        double scale = displayMax > 0 ? displayMax : 1;
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
                double heat = clamp01(map.data()[i] / scale);
                int k = (int) Math.round(heat * 255);
                double alpha = MAX_ALPHA * heat;
                int rr = blend(grey, r[k] & 0xff, alpha);
                int gg = blend(grey, g[k] & 0xff, alpha);
                int bb = blend(grey, b[k] & 0xff, alpha);
                rgb[i] = 0xff000000 | (rr << 16) | (gg << 8) | bb;
            }
            stack.addSlice(in.name(), new ColorProcessor(in.width(), in.height(), rgb));
        }
        ImagePlus imp = new ImagePlus(title, stack);
        ImagePlusAdapter.applyCalibration(imp, first.calibration());
        return imp;
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

    private static double maxOf(List<FloatImage> maps) {
        double max = 0;
        for (FloatImage m : maps) {
            for (float v : m.data()) {
                if (Float.isFinite(v) && v > max) {
                    max = v;
                }
            }
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
