package org.utad.imagej;

import ij.ImagePlus;
import ij.io.FileInfo;
import ij.io.FileSaver;
import ij.io.TiffEncoder;
import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.utad.core.AtomicFiles;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;
import org.utad.core.UtadException;

/**
 * Writes core images to files: 32-bit and 16-bit TIFF (single images or stacks, with calibration
 * and slice labels, readable by Fiji) and 8-bit PNG (for masks and demo images).
 *
 * <p>Every write is atomic: the file is written to a hidden temporary file in the target folder and
 * then moved over the target in one step, so a crash or a cancelled run never leaves a half-written
 * image that a later run would read, and a folder reader never sees a partial file. Existing files
 * are never replaced unless the caller passes {@code overwrite = true}, because losing a user's
 * earlier result silently is worse than asking for a new name. Missing parent folders are created.
 * The existence check happens just before the move; two writers racing for the same new name are
 * not detected.
 */
public final class ImageWriter {
    private ImageWriter() {
    }

    /**
     * Writes one image as a 32-bit float TIFF, the lossless form for maps and scores.
     *
     * @param image     the image; several channels become a channel hyperstack
     * @param file      the target file
     * @param overwrite whether an existing file may be replaced
     * @throws InvalidInputException if the file exists and overwrite is false, or the target is a folder
     * @throws UtadException         if the file cannot be written
     */
    public static void writeTiff32(FloatImage image, Path file, boolean overwrite) {
        writeTiff(List.of(Objects.requireNonNull(image, "image")), file, 32, overwrite);
    }

    /**
     * Writes images as one 32-bit float TIFF stack, one slice per image, labelled with their names.
     *
     * @param images    the slices, all of the same size and channel count
     * @param file      the target file
     * @param overwrite whether an existing file may be replaced
     * @throws InvalidInputException if the list is empty or not uniform, the file exists and
     *                               overwrite is false, or the target is a folder
     * @throws UtadException         if the file cannot be written
     */
    public static void writeTiff32(List<FloatImage> images, Path file, boolean overwrite) {
        writeTiff(images, file, 32, overwrite);
    }

    /**
     * Writes one image as a 16-bit TIFF; samples are rounded and clamped to 0..65535, not rescaled.
     *
     * @param image     the image, with raw 16-bit values
     * @param file      the target file
     * @param overwrite whether an existing file may be replaced
     * @throws InvalidInputException if the file exists and overwrite is false, or the target is a folder
     * @throws UtadException         if the file cannot be written
     */
    public static void writeTiff16(FloatImage image, Path file, boolean overwrite) {
        writeTiff(List.of(Objects.requireNonNull(image, "image")), file, 16, overwrite);
    }

    /**
     * Writes images as one 16-bit TIFF stack (as a microscope would); samples are rounded and
     * clamped to 0..65535, not rescaled.
     *
     * @param images    the slices, all of the same size and channel count, with raw 16-bit values
     * @param file      the target file
     * @param overwrite whether an existing file may be replaced
     * @throws InvalidInputException if the list is empty or not uniform, the file exists and
     *                               overwrite is false, or the target is a folder
     * @throws UtadException         if the file cannot be written
     */
    public static void writeTiff16(List<FloatImage> images, Path file, boolean overwrite) {
        writeTiff(images, file, 16, overwrite);
    }

    /**
     * Writes images as a TIFF of the given bit depth, keeping the first image's calibration and
     * using the names as slice labels, in the form ImageJ itself writes (so Fiji reads back the
     * pixel size, unit and stack layout).
     *
     * @param images    the slices, all of the same size and channel count
     * @param file      the target file
     * @param bitDepth  8, 16 or 32 (8 with 3 channels writes RGB); see
     *                  {@link ImagePlusAdapter#toImagePlus(List, String, int)} for the conversion
     * @param overwrite whether an existing file may be replaced
     * @throws InvalidInputException if the images or bit depth are unusable, the file exists and
     *                               overwrite is false, or the target is a folder
     * @throws UtadException         if the file cannot be written
     */
    public static void writeTiff(List<FloatImage> images, Path file, int bitDepth, boolean overwrite) {
        write(ImagePlusAdapter.toImagePlus(images, titleOf(file), bitDepth), images, file, overwrite);
    }

    /**
     * Writes an anomaly map as a 32-bit TIFF that opens as the heatmap on screen does: its Info
     * says what the values mean, and its display range runs from 0 to {@code displayMax}.
     *
     * @param map        the map
     * @param info       the text of the image's Info (Image &gt; Show Info)
     * @param displayMax the value shown at full colour
     * @param file       the target file
     * @param overwrite  whether an existing file may be replaced
     * @throws InvalidInputException if the file exists and overwrite is false, or the target is a folder
     * @throws UtadException         if the file cannot be written
     */
    public static void writeHeatmapTiff(FloatImage map, String info, double displayMax, Path file,
                                        boolean overwrite) {
        List<FloatImage> images = List.of(Objects.requireNonNull(map, "map"));
        ImagePlus imp = ImagePlusAdapter.toImagePlus(images, titleOf(file), 32);
        imp.setDisplayRange(0, displayMax);
        imp.setProperty("Info", info);
        write(imp, images, file, overwrite);
    }

    /** Encodes an image built from the given slices as a TIFF, with their names as slice labels. */
    private static void write(ImagePlus imp, List<FloatImage> images, Path file, boolean overwrite) {
        FileInfo fi = imp.getFileInfo();
        FileSaver saver = new FileSaver(imp);
        fi.description = saver.getDescriptionString();
        fi.info = imp.getInfoProperty();
        String[] labels = new String[imp.getStackSize()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = images.get(i / (labels.length / images.size())).name();
        }
        fi.sliceLabels = labels;
        if (imp.isComposite()) {
            saver.saveDisplayRangesAndLuts(imp, fi);
        }
        writeAtomically(file, overwrite, tmp -> {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                new TiffEncoder(fi).write(out);
            }
        });
    }

    /**
     * Writes an image with values in [0, 1] as an 8-bit PNG (grey for 1 channel, RGB for 3),
     * scaling to 0..255 with rounding and clamping; the form used for demo images and previews.
     *
     * @param image     the image, 1 or 3 channels, values in [0, 1]
     * @param file      the target file
     * @param overwrite whether an existing file may be replaced
     * @throws InvalidInputException if the channel count is not 1 or 3, the file exists and
     *                               overwrite is false, or the target is a folder
     * @throws UtadException         if the file cannot be written
     */
    public static void writePng8(FloatImage image, Path file, boolean overwrite) {
        Objects.requireNonNull(image, "image");
        int w = image.width();
        int h = image.height();
        int plane = w * h;
        float[] d = image.data();
        BufferedImage img;
        if (image.channels() == 1) {
            img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            for (int i = 0; i < plane; i++) {
                img.getRaster().setSample(i % w, i / w, 0, unitToByte(d[i]));
            }
        } else if (image.channels() == 3) {
            img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int i = 0; i < plane; i++) {
                int rgb = (unitToByte(d[i]) << 16) | (unitToByte(d[plane + i]) << 8) | unitToByte(d[2 * plane + i]);
                img.setRGB(i % w, i / w, rgb);
            }
        } else {
            throw new InvalidInputException("Cannot write '" + image.name() + "' as PNG: it has "
                    + image.channels() + " channels; PNG output needs 1 (grey) or 3 (RGB).");
        }
        writePng(img, file, overwrite);
    }

    /**
     * Writes a boolean mask as an 8-bit grey PNG with 255 where the mask is true and 0 elsewhere,
     * the ground-truth convention of MVTec-AD style data sets.
     *
     * @param mask      row-major mask of length {@code width * height}
     * @param width     width in pixels
     * @param height    height in pixels
     * @param file      the target file
     * @param overwrite whether an existing file may be replaced
     * @throws InvalidInputException if the mask length does not match the size, the file exists and
     *                               overwrite is false, or the target is a folder
     * @throws UtadException         if the file cannot be written
     */
    public static void writeMaskPng(boolean[] mask, int width, int height, Path file, boolean overwrite) {
        Objects.requireNonNull(mask, "mask");
        if (width < 1 || height < 1 || (long) width * height != mask.length) {
            throw new InvalidInputException("Cannot write mask " + file + ": it has " + mask.length
                    + " pixels but the size " + width + "x" + height + " needs " + ((long) width * height) + ".");
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < mask.length; i++) {
            img.getRaster().setSample(i % width, i / width, 0, mask[i] ? 255 : 0);
        }
        writePng(img, file, overwrite);
    }

    static void writePng(BufferedImage img, Path file, boolean overwrite) {
        writeAtomically(file, overwrite, tmp -> {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("no PNG writer is available");
            }
        });
    }

    /**
     * Runs {@code body} on a hidden temporary file next to {@code target}, then moves it over the
     * target in one step; removes the temporary file if anything fails.
     *
     * @param target    the file to create or replace
     * @param overwrite whether an existing target may be replaced
     * @param body      writes the content
     * @throws InvalidInputException if the target exists and overwrite is false, or is a folder
     * @throws UtadException         if writing or moving fails; the target is then unchanged
     */
    static void writeAtomically(Path target, boolean overwrite, AtomicFiles.Body body) {
        Objects.requireNonNull(target, "target");
        Path absolute = target.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw new InvalidInputException("Cannot write " + target + ": it is a folder.");
        }
        if (!overwrite && Files.exists(absolute)) {
            throw new InvalidInputException("Cannot write " + target
                    + ": the file already exists; choose another name or allow overwriting.");
        }
        try {
            Files.createDirectories(absolute.getParent());
            AtomicFiles.replace(absolute, tmp -> {
                body.write(tmp);
                if (!overwrite && Files.exists(absolute)) {
                    throw new InvalidInputException("Cannot write " + target
                            + ": the file appeared while it was being written; choose another name or allow overwriting.");
                }
            });
        } catch (IOException e) {
            throw new UtadException("Cannot write " + target + ": " + e.getMessage()
                    + ". Check that the folder exists, is writable and has free space.", e);
        }
    }

    private static int unitToByte(float v) {
        if (!(v > 0)) {
            return 0;
        }
        return (int) Math.min(255, Math.round(v * 255.0));
    }

    private static String titleOf(Path file) {
        Path name = file == null ? null : file.getFileName();
        return name == null ? "image" : name.toString();
    }
}
