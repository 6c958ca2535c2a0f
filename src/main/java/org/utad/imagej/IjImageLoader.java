package org.utad.imagej;

import ij.ImagePlus;
import ij.io.FileInfo;
import ij.io.Opener;
import ij.io.TiffDecoder;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import org.utad.core.FileNames;
import org.utad.core.FloatImage;
import org.utad.core.ImageLoader;
import org.utad.core.InvalidInputException;

/**
 * The ImageJ-backed {@link ImageLoader}: reads TIFF (8/16/32-bit and RGB, stacks and hyperstacks),
 * PNG (including 16-bit grey), JPEG and BMP into core images, without showing anything, so it works
 * in Fiji, headless on a server and in tests alike.
 *
 * <p>TIFF goes through ImageJ's own decoder so that ImageJ's calibration, slice labels and stack
 * layout are understood exactly as Fiji would; PNG, JPEG and BMP are decoded with ImageIO (which
 * says why a file is broken, where ImageJ's opener only returns nothing) and then handed to ImageJ,
 * which gives them the same pixel types as File &gt; Open (a grey JPEG becomes 8-bit). Paletted
 * files are expanded through their palette, because their stored values are palette indices, not
 * intensities. The format is decided by the file's content; the extension only has to be one of
 * the supported ones. Every failure is an {@link InvalidInputException} that names the file and
 * says why.
 */
public final class IjImageLoader implements ImageLoader {
    /** The file extensions this loader reads, lower case and without the dot. */
    public static final Set<String> EXTENSIONS = Set.of("tif", "tiff", "png", "jpg", "jpeg", "bmp");

    private enum Format { TIFF, PNG, JPEG, BMP }

    /** Creates a loader; it holds no state, so one instance can be shared between threads. */
    public IjImageLoader() {
    }

    /**
     * Reads one image file. A single image is named after the file stem; a stack gives one image
     * per slice (per z/t position for a multi-channel hyperstack) named {@code stem_sN}, with N
     * 1-based and zero-padded to the width of the slice count so names sort in stack order.
     *
     * @param file the image file
     * @return its images with raw sample values and the file's spatial calibration
     * @throws InvalidInputException if the file is missing, not a regular readable file, of an
     *                               unsupported type, empty, truncated or corrupt
     */
    @Override
    public List<FloatImage> load(Path file) {
        if (file == null) {
            throw new InvalidInputException("No image file was given.");
        }
        String fileName = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        String ext = extensionOf(fileName);
        if (!EXTENSIONS.contains(ext)) {
            throw fail(file, "unsupported file type '" + (ext.isEmpty() ? "(none)" : "." + ext)
                    + "'; supported types are .tif, .tiff, .png, .jpg, .jpeg and .bmp");
        }
        if (!Files.exists(file)) {
            throw fail(file, "the file does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw fail(file, "it is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw fail(file, "permission denied");
        }
        long length;
        byte[] header = new byte[8];
        int got;
        try (InputStream in = Files.newInputStream(file)) {
            length = Files.size(file);
            got = in.readNBytes(header, 0, header.length);
        } catch (IOException e) {
            throw fail(file, "it could not be opened (" + e.getMessage() + ")", e);
        }
        if (length == 0) {
            throw fail(file, "the file is empty");
        }
        Format format = sniff(header, got);
        if (format == null) {
            throw fail(file, "its content is not a TIFF, PNG, JPEG or BMP image (unrecognised header)");
        }
        ImagePlus imp = format == Format.TIFF ? openTiff(file, length) : openWithImageIo(file, format);
        List<FloatImage> slices;
        try {
            slices = ImagePlusAdapter.toFloatImages(imp);
        } catch (InvalidInputException e) {
            throw fail(file, "it holds no pixels", e);
        }
        String stem = FileNames.stem(fileName);
        if (slices.size() == 1) {
            return List.of(slices.get(0).withName(stem));
        }
        int digits = Integer.toString(slices.size()).length();
        List<FloatImage> named = new ArrayList<>(slices.size());
        for (int i = 0; i < slices.size(); i++) {
            named.add(slices.get(i).withName(stem + "_s" + String.format(Locale.ROOT, "%0" + digits + "d", i + 1)));
        }
        return List.copyOf(named);
    }

    /**
     * Tells whether a file name has one of the extensions this loader reads, so that folder readers
     * can skip other files before trying them.
     *
     * @param fileName a file name, with or without folders
     * @return true for .tif, .tiff, .png, .jpg, .jpeg and .bmp, in any letter case
     */
    public static boolean isSupported(String fileName) {
        return fileName != null && EXTENSIONS.contains(extensionOf(fileName));
    }

    private static ImagePlus openTiff(Path file, long length) {
        String dir = file.toAbsolutePath().getParent().toString() + File.separator;
        String name = file.getFileName().toString();
        FileInfo[] info;
        try {
            info = new TiffDecoder(dir, name).getTiffInfo();
        } catch (IOException | RuntimeException e) {
            throw fail(file, "it is not a readable TIFF (" + e.getMessage() + ")", e);
        }
        if (info == null || info.length == 0) {
            throw fail(file, "the TIFF contains no images");
        }
        long expected = info.length == 1 ? Math.max(1, info[0].nImages) : info.length;
        for (FileInfo fi : info) {
            if (fi.width < 1 || fi.height < 1) {
                throw fail(file, "the TIFF is corrupt (an image of size " + fi.width + "x" + fi.height + ")");
            }
            long needed = bytesNeeded(fi);
            if (needed > length) {
                throw fail(file, "the TIFF is truncated (its images need " + needed
                        + " bytes but the file has " + length + ")");
            }
        }
        ImagePlus imp;
        try {
            Opener opener = new Opener();
            opener.setSilentMode(true);
            imp = opener.openTiff(dir, name);
        } catch (RuntimeException e) {
            throw fail(file, "ImageJ could not decode the TIFF (" + e + ")", e);
        }
        if (imp == null) {
            throw fail(file, "ImageJ could not decode the TIFF (corrupt, or an unsupported compression"
                    + " or sample format)");
        }
        if (imp.getStackSize() < expected) {
            throw fail(file, "the TIFF is truncated or inconsistent (it declares " + expected
                    + " images but only " + imp.getStackSize() + " could be read)");
        }
        return imp;
    }

    /** Where the last pixel byte of an uncompressed TIFF entry lies, or 0 when that is not known. */
    private static long bytesNeeded(FileInfo fi) {
        if (fi.compression > FileInfo.COMPRESSION_NONE) {
            return 0;
        }
        if (fi.nImages <= 1 && fi.stripOffsets != null && fi.stripLengths != null
                && fi.stripOffsets.length == fi.stripLengths.length && fi.stripOffsets.length > 0) {
            long end = 0;
            for (int i = 0; i < fi.stripOffsets.length; i++) {
                end = Math.max(end, (fi.stripOffsets[i] & 0xffffffffL) + fi.stripLengths[i]);
            }
            return end;
        }
        long perImage = (long) fi.width * fi.height * fi.getBytesPerPixel();
        int n = Math.max(1, fi.nImages);
        return fi.getOffset() + n * perImage + (n - 1) * fi.getGap();
    }

    private static ImagePlus openWithImageIo(Path file, Format format) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw fail(file, "the " + format + " data is corrupt or truncated (" + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw fail(file, "no " + format + " decoder could read it");
        }
        img = expandPalette(img);
        ImagePlus imp;
        try {
            imp = new ImagePlus(FileNames.stem(file.getFileName().toString()), img);
        } catch (RuntimeException e) {
            throw fail(file, "ImageJ could not convert its pixels (" + e + ")", e);
        }
        if (format == Format.JPEG) {
            Opener.convertGrayJpegTo8Bits(imp);
        }
        return imp;
    }

    /** Replaces palette indices by grey values (grey palette) or RGB (colour palette). */
    private static BufferedImage expandPalette(BufferedImage img) {
        if (!(img.getColorModel() instanceof IndexColorModel)) {
            return img;
        }
        IndexColorModel cm = (IndexColorModel) img.getColorModel();
        boolean grey = true;
        for (int i = 0; i < cm.getMapSize() && grey; i++) {
            grey = cm.getRed(i) == cm.getGreen(i) && cm.getGreen(i) == cm.getBlue(i);
        }
        int w = img.getWidth();
        int h = img.getHeight();
        BufferedImage out = new BufferedImage(w, h, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = img.getRGB(x, y);
                if (grey) {
                    out.getRaster().setSample(x, y, 0, argb & 0xff);
                } else {
                    out.setRGB(x, y, argb);
                }
            }
        }
        return out;
    }

    private static Format sniff(byte[] h, int n) {
        if (n >= 4 && ((h[0] == 'I' && h[1] == 'I' && h[2] == 42 && h[3] == 0)
                || (h[0] == 'M' && h[1] == 'M' && h[2] == 0 && h[3] == 42))) {
            return Format.TIFF;
        }
        if (n >= 8 && (h[0] & 0xff) == 0x89 && h[1] == 'P' && h[2] == 'N' && h[3] == 'G') {
            return Format.PNG;
        }
        if (n >= 3 && (h[0] & 0xff) == 0xFF && (h[1] & 0xff) == 0xD8 && (h[2] & 0xff) == 0xFF) {
            return Format.JPEG;
        }
        if (n >= 2 && h[0] == 'B' && h[1] == 'M') {
            return Format.BMP;
        }
        return null;
    }

    private static String extensionOf(String fileName) {
        int dot = fileName.lastIndexOf('.');
        int slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
        return dot > slash && dot < fileName.length() - 1
                ? fileName.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }

    private static InvalidInputException fail(Path file, String why) {
        return new InvalidInputException("Cannot read image file " + file + ": " + why + ".");
    }

    private static InvalidInputException fail(Path file, String why, Throwable cause) {
        return new InvalidInputException("Cannot read image file " + file + ": " + why + ".", cause);
    }
}
