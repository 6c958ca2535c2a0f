package org.utad.imagej;

import ij.CompositeImage;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import java.util.ArrayList;
import java.util.List;
import org.utad.core.Calibration;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;

/**
 * Converts between ImageJ's {@link ImagePlus} and the core {@link FloatImage}, in both directions.
 *
 * <p>This is the one place where ImageJ 1.x pixel types meet the algorithm. Samples are copied as
 * raw values (0..255 for 8-bit and RGB, 0..65535 for 16-bit, floats as they are), never normalised
 * or display-scaled, because normalisation depends on the bit depth that the core image carries
 * along. LUTs are ignored: they change what is shown, not the data. Each slice of a stack (each
 * z/t position of a multi-channel hyperstack) becomes one core image, with the spatial calibration
 * of the source so that results can be handed back with the same pixel size.
 */
public final class ImagePlusAdapter {
    private ImagePlusAdapter() {
    }

    /**
     * Converts an ImagePlus into one core image per slice.
     *
     * <p>Grey images (8, 16 or 32-bit) give 1-channel images with the source bit depth; RGB gives
     * 3-channel 8-bit images. A hyperstack with several channels gives one multi-channel image per
     * z/t position. Names are the slice labels (their first line), or the title for a single image
     * without label, or {@code "title:slice N"} (1-based) for unlabelled stack slices.
     *
     * @param imp the image; SciJava passes an empty ImagePlus for a missing input
     * @return the slices as core images, in stack order, at least one
     * @throws InvalidInputException if the image is null or empty (no processor, no slices, no pixels)
     */
    public static List<FloatImage> toFloatImages(ImagePlus imp) {
        requireImage(imp);
        Calibration calibration = calibrationOf(imp);
        ImageStack stack = imp.getStack();
        int nChannels = imp.getType() == ImagePlus.COLOR_RGB ? 1 : Math.max(1, imp.getNChannels());
        int size = stack.getSize();
        if (size % nChannels != 0) {
            nChannels = 1;
        }
        int bitDepth = imp.getType() == ImagePlus.COLOR_RGB ? 8 : imp.getBitDepth();
        String title = imp.getTitle() == null || imp.getTitle().isBlank() ? "image" : imp.getTitle();
        List<FloatImage> out = new ArrayList<>(size / nChannels);
        boolean single = size == nChannels;
        for (int first = 1; first <= size; first += nChannels) {
            String name = single ? singleName(imp, stack, title)
                    : sliceName(stack, first, (first - 1) / nChannels + 1, title);
            out.add(toFloatImage(stack, first, nChannels, bitDepth, name, calibration));
        }
        return out;
    }

    /**
     * Converts one image processor (a single plane) into a core image, for callers that work
     * plane by plane.
     *
     * @param ip          the plane; an RGB processor gives 3 channels
     * @param name        the name of the result
     * @param calibration the spatial calibration to attach; null for none
     * @return the core image with raw sample values
     * @throws InvalidInputException if the processor is null
     */
    public static FloatImage toFloatImage(ImageProcessor ip, String name, Calibration calibration) {
        if (ip == null) {
            throw new InvalidInputException("No image: the image processor is missing.");
        }
        int width = ip.getWidth();
        int height = ip.getHeight();
        if (ip instanceof ColorProcessor) {
            float[] data = new float[3 * width * height];
            rgbToPlanes((int[]) ip.getPixels(), data, 0, width * height);
            return new FloatImage(width, height, 3, data, 8, name, calibration);
        }
        float[] data = new float[width * height];
        greyToPlane(ip, data, 0);
        return new FloatImage(width, height, 1, data, ip.getBitDepth(), name, calibration);
    }

    /**
     * Converts core images back into an ImagePlus, choosing the pixel type from the data.
     *
     * <p>1-channel images give a 32-bit grey stack. 3-channel images give an RGB stack when they
     * are 8-bit by provenance and all samples are whole numbers in 0..255 (so nothing is lost);
     * otherwise, like any other channel count, a 32-bit multi-channel hyperstack. The calibration of
     * the first image is restored and the slice labels are the image names.
     *
     * @param images the slices, all of the same size and channel count, at least one
     * @param title  the title of the result
     * @return a new ImagePlus holding copies of the samples
     * @throws InvalidInputException if the list is empty or the images differ in size or channels
     */
    public static ImagePlus toImagePlus(List<FloatImage> images, String title) {
        FloatImage first = requireUniform(images);
        if (first.channels() == 3 && allFitRgb(images)) {
            return toImagePlus(images, title, 8);
        }
        return toImagePlus(images, title, 32);
    }

    /**
     * Converts core images into an ImagePlus of the requested bit depth, for writing results back
     * in the type a user expects (for example 8-bit masks, or 16-bit data as it was read).
     *
     * <p>For 8 and 16 bits, samples are rounded to the nearest integer and clamped to 0..255 or
     * 0..65535; they are not rescaled, so pass values already in that range. 3-channel images at
     * bit depth 8 (or 24) give an RGB stack; other multi-channel images give a hyperstack with the
     * channels as its channel axis.
     *
     * @param images   the slices, all of the same size and channel count, at least one
     * @param title    the title of the result
     * @param bitDepth 8, 16 or 32; 24 is accepted for RGB and needs 3 channels
     * @return a new ImagePlus holding converted copies of the samples
     * @throws InvalidInputException if the list is empty, the images differ in size or channels, or
     *                               the bit depth is not supported
     */
    public static ImagePlus toImagePlus(List<FloatImage> images, String title, int bitDepth) {
        FloatImage first = requireUniform(images);
        if (bitDepth != 8 && bitDepth != 16 && bitDepth != 32 && bitDepth != 24) {
            throw new InvalidInputException("Cannot make an ImagePlus of bit depth " + bitDepth
                    + ": use 8, 16, 32, or 24 for RGB.");
        }
        boolean rgb = first.channels() == 3 && (bitDepth == 8 || bitDepth == 24);
        if (bitDepth == 24 && !rgb) {
            throw new InvalidInputException("An RGB (24-bit) image needs 3 channels, but '"
                    + first.name() + "' has " + first.channels() + ".");
        }
        int width = first.width();
        int height = first.height();
        int plane = width * height;
        ImageStack stack = new ImageStack(width, height);
        for (FloatImage img : images) {
            if (rgb) {
                stack.addSlice(img.name(), planesToRgb(img.data(), width, height));
                continue;
            }
            for (int c = 0; c < img.channels(); c++) {
                stack.addSlice(img.name(), plane(img.data(), c * plane, width, height, bitDepth));
            }
        }
        String t = title == null || title.isBlank() ? first.name() : title;
        ImagePlus imp = new ImagePlus(t, stack);
        int nChannels = rgb ? 1 : first.channels();
        if (nChannels > 1) {
            imp.setDimensions(nChannels, images.size(), 1);
            imp.setOpenAsHyperStack(true);
            imp = new CompositeImage(imp, CompositeImage.GRAYSCALE);
        }
        if (images.size() == 1 && nChannels == 1) {
            imp.setProp("Label", first.name());
        }
        if (!rgb && bitDepth != 8) {
            showFullRange(imp, images);
        }
        applyCalibration(imp, first.calibration());
        return imp;
    }

    /**
     * Reads the spatial calibration of an ImagePlus as a core calibration.
     *
     * @param imp the image
     * @return its pixel width, pixel height and unit; {@link Calibration#NONE} when uncalibrated
     */
    public static Calibration calibrationOf(ImagePlus imp) {
        ij.measure.Calibration cal = imp.getCalibration();
        if (cal == null || !cal.scaled()) {
            return Calibration.NONE;
        }
        return new Calibration(cal.pixelWidth, cal.pixelHeight, cal.getUnit());
    }

    /**
     * Sets an ImagePlus' spatial calibration from a core calibration, so results carry the input's
     * pixel size.
     *
     * @param imp         the image to calibrate
     * @param calibration the calibration; null or {@link Calibration#NONE} leaves pixels uncalibrated
     */
    public static void applyCalibration(ImagePlus imp, Calibration calibration) {
        ij.measure.Calibration cal = imp.getCalibration().copy();
        if (calibration == null || !calibration.isCalibrated()) {
            cal.pixelWidth = 1;
            cal.pixelHeight = 1;
            cal.setUnit("pixel");
        } else {
            cal.pixelWidth = calibration.pixelWidth();
            cal.pixelHeight = calibration.pixelHeight();
            cal.setUnit(calibration.unit());
        }
        imp.setCalibration(cal);
    }

    /**
     * Checks that an ImagePlus holds pixels, since a missing SciJava input arrives as an empty one.
     *
     * @param imp the image to check
     * @throws InvalidInputException if it is null, has no processor, no slices or no pixels
     */
    public static void requireImage(ImagePlus imp) {
        if (imp == null) {
            throw new InvalidInputException("No image was given: open an image or select one as input.");
        }
        String title = imp.getTitle() == null || imp.getTitle().isBlank() ? "(untitled)" : imp.getTitle();
        if (imp.getProcessor() == null || imp.getStackSize() < 1 || imp.getWidth() < 1
                || imp.getHeight() < 1 || imp.getImageStackSize() < 1) {
            throw new InvalidInputException("The input image " + title
                    + " is empty (no pixels): open an image or select one as input.");
        }
    }

    private static FloatImage toFloatImage(ImageStack stack, int first, int nChannels, int bitDepth,
                                           String name, Calibration calibration) {
        int width = stack.getWidth();
        int height = stack.getHeight();
        int plane = width * height;
        ImageProcessor ip0 = stack.getProcessor(first);
        if (ip0 instanceof ColorProcessor) {
            float[] data = new float[3 * plane];
            rgbToPlanes((int[]) ip0.getPixels(), data, 0, plane);
            return new FloatImage(width, height, 3, data, 8, name, calibration);
        }
        float[] data = new float[nChannels * plane];
        for (int c = 0; c < nChannels; c++) {
            greyToPlane(stack.getProcessor(first + c), data, c * plane);
        }
        return new FloatImage(width, height, nChannels, data, bitDepth, name, calibration);
    }

    private static void greyToPlane(ImageProcessor ip, float[] dest, int offset) {
        Object pixels = ip.getPixels();
        if (pixels instanceof byte[]) {
            byte[] p = (byte[]) pixels;
            for (int i = 0; i < p.length; i++) {
                dest[offset + i] = p[i] & 0xff;
            }
        } else if (pixels instanceof short[]) {
            short[] p = (short[]) pixels;
            for (int i = 0; i < p.length; i++) {
                dest[offset + i] = p[i] & 0xffff;
            }
        } else if (pixels instanceof float[]) {
            float[] p = (float[]) pixels;
            System.arraycopy(p, 0, dest, offset, p.length);
        } else {
            throw new InvalidInputException("Unsupported ImageJ pixel type "
                    + (pixels == null ? "null" : pixels.getClass().getSimpleName()) + ".");
        }
    }

    private static void rgbToPlanes(int[] rgb, float[] dest, int offset, int plane) {
        for (int i = 0; i < plane; i++) {
            int v = rgb[i];
            dest[offset + i] = (v >> 16) & 0xff;
            dest[offset + plane + i] = (v >> 8) & 0xff;
            dest[offset + 2 * plane + i] = v & 0xff;
        }
    }

    private static ColorProcessor planesToRgb(float[] data, int width, int height) {
        int plane = width * height;
        int[] rgb = new int[plane];
        for (int i = 0; i < plane; i++) {
            int r = clampRound(data[i], 255);
            int g = clampRound(data[plane + i], 255);
            int b = clampRound(data[2 * plane + i], 255);
            rgb[i] = 0xff000000 | (r << 16) | (g << 8) | b;
        }
        return new ColorProcessor(width, height, rgb);
    }

    private static ImageProcessor plane(float[] data, int offset, int width, int height, int bitDepth) {
        int plane = width * height;
        switch (bitDepth) {
            case 8: {
                byte[] p = new byte[plane];
                for (int i = 0; i < plane; i++) {
                    p[i] = (byte) clampRound(data[offset + i], 255);
                }
                return new ByteProcessor(width, height, p);
            }
            case 16: {
                short[] p = new short[plane];
                for (int i = 0; i < plane; i++) {
                    p[i] = (short) clampRound(data[offset + i], 65535);
                }
                return new ShortProcessor(width, height, p, null);
            }
            default: {
                float[] p = new float[plane];
                System.arraycopy(data, offset, p, 0, plane);
                return new FloatProcessor(width, height, p);
            }
        }
    }

    /** Sets the display range to the data range of the whole stack, not just of the first slice. */
    private static void showFullRange(ImagePlus imp, List<FloatImage> images) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (FloatImage img : images) {
            for (float v : img.data()) {
                if (Float.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (min < max) {
            imp.setDisplayRange(min, max);
        }
    }

    private static int clampRound(float v, int max) {
        if (!(v > 0)) {
            return 0;
        }
        long r = Math.round((double) v);
        return (int) Math.min(r, max);
    }

    private static boolean allFitRgb(List<FloatImage> images) {
        for (FloatImage img : images) {
            if (img.bitDepth() != 8) {
                return false;
            }
            for (float v : img.data()) {
                if (!(v >= 0 && v <= 255) || v != Math.rint(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static FloatImage requireUniform(List<FloatImage> images) {
        if (images == null || images.isEmpty()) {
            throw new InvalidInputException("No images to convert: the list is empty.");
        }
        FloatImage first = images.get(0);
        for (FloatImage img : images) {
            if (img.width() != first.width() || img.height() != first.height()
                    || img.channels() != first.channels()) {
                throw new InvalidInputException("Cannot stack images of different sizes: '" + first.name()
                        + "' is " + first.width() + "x" + first.height() + "x" + first.channels() + " but '"
                        + img.name() + "' is " + img.width() + "x" + img.height() + "x" + img.channels() + ".");
            }
        }
        return first;
    }

    private static String singleName(ImagePlus imp, ImageStack stack, String title) {
        String label = firstLine(imp.getProp("Label"));
        if (label == null) {
            label = firstLine(stack.getSliceLabel(1));
        }
        return label == null ? title : label;
    }

    private static String sliceName(ImageStack stack, int plane, int position, String title) {
        String label = firstLine(stack.getSliceLabel(plane));
        return label == null ? title + ":slice " + position : label;
    }

    private static String firstLine(String label) {
        if (label == null) {
            return null;
        }
        int nl = label.indexOf('\n');
        String line = (nl >= 0 ? label.substring(0, nl) : label).trim();
        return line.isEmpty() ? null : line;
    }
}
