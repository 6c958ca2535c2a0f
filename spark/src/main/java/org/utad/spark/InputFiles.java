package org.utad.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.utad.api.BatchDetection;
import org.utad.core.InvalidInputException;
import org.utad.data.ImageFolder;

/**
 * The images of a Spark run, listed once on the driver: every image file of a folder (as
 * {@code bin/utad detect} takes them), or the paths named in a list file, for inputs spread over
 * many folders. Paths are made absolute, because the executors do not share the driver's working
 * folder, and sorted by file name, the order of the scores table.
 */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * Lists a run's inputs.
     *
     * <p>A list file holds one path per line; blank lines and lines starting with {@code #} are
     * skipped, and relative paths are read from the list file's folder. Every listed path is
     * attempted: one that is missing or not an image becomes a failed row of the table, like an
     * unreadable file in a folder.
     *
     * @param input a folder of images, or a list file
     * @return absolute paths, sorted by file name
     * @throws InvalidInputException if the input does not exist, is a single image, holds or lists no
     *                               images, or two
     *                               inputs share a base name (their results would overwrite each
     *                               other in the one output folder)
     */
    public static List<Path> list(Path input) {
        Path abs = input.toAbsolutePath().normalize();
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(abs)) {
            files.addAll(ImageFolder.imageFiles(abs));
            if (files.isEmpty()) {
                throw new InvalidInputException("The folder " + abs + " has no image files (.tif, .tiff, .png, .jpg,"
                        + " .jpeg, .bmp).");
            }
        } else if (Files.isRegularFile(abs) && ImageFolder.isImageName(abs.getFileName().toString())) {
            throw new InvalidInputException("The input " + abs + " is an image, not a folder or a list. Give the folder"
                    + " that holds it, or a text file listing the images to detect.");
        } else if (Files.isRegularFile(abs)) {
            List<String> lines;
            try {
                lines = Files.readAllLines(abs, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new InvalidInputException("Cannot read the list of images " + abs + ": " + e.getMessage(), e);
            }
            for (String line : lines) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    files.add(abs.getParent().resolve(t).normalize());
                }
            }
            if (files.isEmpty()) {
                throw new InvalidInputException("The list " + abs + " names no images. Write one image path per line.");
            }
        } else {
            throw new InvalidInputException("The input " + abs + " does not exist. Give a folder of images or a text"
                    + " file listing image paths, at a path that every node of the cluster can read.");
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString()));
        Map<String, Path> byBase = new HashMap<>();
        for (Path f : files) {
            Path other = byBase.putIfAbsent(BatchDetection.baseName(f), f);
            if (other != null) {
                throw new InvalidInputException("Two inputs would write the same result files ("
                        + BatchDetection.baseName(f) + BatchDetection.HEATMAP_SUFFIX + "): " + other + " and " + f
                        + ". Rename one, or detect them in separate runs with separate output folders.");
            }
        }
        return files;
    }
}
