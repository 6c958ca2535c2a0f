package org.utad.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.utad.core.FloatImage;
import org.utad.core.ImageLoader;
import org.utad.core.InvalidInputException;
import org.utad.core.UtadException;

/**
 * Reads every image of a folder, the usual way users hand over a training or test set.
 *
 * <p>Files are taken in name order (so runs are reproducible), hidden files (starting with a dot,
 * such as the temporary files of an atomic write) and subfolders are ignored, and only the image
 * extensions .tif, .tiff, .png, .jpg, .jpeg and .bmp (any letter case) are read. Other files are
 * skipped and reported, never fatal, since folders often hold a README or a spreadsheet next to the
 * images. Decoding is left to the injected {@link ImageLoader}, so this class stays free of ImageJ.
 */
public final class ImageFolder {
    /** The file extensions treated as images, lower case and without the dot. */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("tif", "tiff", "png", "jpg", "jpeg", "bmp");

    private ImageFolder() {
    }

    /**
     * Lists the image files of a folder in name order, without reading them, for jobs that process
     * one image at a time (batch detection over thousands of files).
     *
     * @param folder the folder
     * @return the files with a recognised image extension, sorted by name
     * @throws InvalidInputException if the folder is missing or not a folder
     */
    public static List<Path> imageFiles(Path folder) {
        List<Path> out = new ArrayList<>();
        for (Path p : listFiles(folder)) {
            if (isImageName(p.getFileName().toString())) {
                out.add(p);
            }
        }
        return out;
    }

    private static List<Path> listFiles(Path folder) {
        if (folder == null) {
            throw new InvalidInputException("No image folder was given: choose a folder of images.");
        }
        if (!Files.exists(folder)) {
            throw new InvalidInputException("Image folder " + folder + " does not exist: check the path.");
        }
        if (!Files.isDirectory(folder)) {
            throw new InvalidInputException(folder + " is a file, not a folder: choose the folder that holds the images.");
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (!name.startsWith(".") && Files.isRegularFile(p) && !Files.isHidden(p)) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            throw new UtadException("Cannot list image folder " + folder + ": " + e.getMessage(), e);
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return files;
    }

    /**
     * Reads the images of a folder.
     *
     * @param folder        the folder
     * @param loader        decodes one file; its {@link InvalidInputException} marks a bad file
     * @param failOnBadFile true to stop at the first image file that cannot be read; false to skip
     *                      it and report it in the result. Non-image files are always only skipped.
     * @return the images and the skipped files
     * @throws InvalidInputException if the folder is missing or not a folder, if it holds no
     *                               readable image, or (with failOnBadFile) naming the first image
     *                               file that cannot be read
     * @throws UtadException         if the folder cannot be listed
     */
    public static FolderReadResult read(Path folder, ImageLoader loader, boolean failOnBadFile) {
        Objects.requireNonNull(loader, "loader");
        List<Path> files = listFiles(folder);
        List<FloatImage> images = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (!isImageName(name)) {
                skipped.add(name + " (not an image)");
                continue;
            }
            List<FloatImage> loaded;
            try {
                loaded = loader.load(file);
            } catch (InvalidInputException e) {
                if (failOnBadFile) {
                    throw new InvalidInputException("Cannot read image folder " + folder + ": bad image file "
                            + name + ". " + e.getMessage(), e);
                }
                skipped.add(name + " (unreadable: " + e.getMessage() + ")");
                continue;
            }
            images.addAll(loaded);
        }
        if (images.isEmpty()) {
            throw new InvalidInputException("No readable images in folder " + folder
                    + " (looking for .tif, .tiff, .png, .jpg, .jpeg, .bmp)"
                    + (skipped.isEmpty() ? "; it holds no files." : "; skipped " + String.join(", ", skipped) + "."));
        }
        return new FolderReadResult(folder, images, skipped);
    }

    /**
     * Tells whether a file name has an image extension, so callers can filter files the same way.
     *
     * @param fileName a file name
     * @return true for .tif, .tiff, .png, .jpg, .jpeg and .bmp in any letter case
     */
    public static boolean isImageName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
