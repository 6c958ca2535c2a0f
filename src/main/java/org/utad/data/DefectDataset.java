package org.utad.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.utad.core.FileNames;
import org.utad.core.FloatImage;
import org.utad.core.ImageLoader;
import org.utad.core.InvalidInputException;

/**
 * A labelled dataset in the MVTec-AD folder layout, the one place that knows its paths and names:
 * {@code train/good/} holds the normal training images, {@code test/<type>/} the test images of one
 * type, where the type {@code good} is normal and every other type is a defect, and
 * {@code ground_truth/<type>/<stem>_mask.png} the mask of the test image {@code <stem>.<ext>}.
 *
 * <p>Evaluation, the demo, the benchmarks and the demo-data generator all read or write this
 * layout; they ask this type for the folders and the mask of an image rather than spelling the
 * names themselves, so that the layout is written down once.
 *
 * @param root the dataset folder (holding {@code train/}, {@code test/} and {@code ground_truth/})
 */
public record DefectDataset(Path root) {
    /** The name of the normal type, in {@code train/} as in {@code test/}. */
    public static final String NORMAL = "good";
    /** The folder of the test images, one sub-folder per type. */
    public static final String TEST = "test";
    /** How a test image's mask file name ends, after the image's stem. */
    public static final String MASK_SUFFIX = "_mask.png";

    private static final String TRAIN = "train";
    private static final String GROUND_TRUTH = "ground_truth";

    /**
     * Whether a test type holds normal images.
     *
     * @param type a test folder's name
     * @return true for {@value #NORMAL}, false for a defect type
     */
    public static boolean isNormal(String type) {
        return type.equals(NORMAL);
    }

    /** @return {@code train/good}, the normal images to train on */
    public Path trainNormal() {
        return root.resolve(TRAIN).resolve(NORMAL);
    }

    /** @return {@code test}, the folder of the test types */
    public Path testRoot() {
        return root.resolve(TEST);
    }

    /**
     * @param type a test type ({@value #NORMAL} or a defect)
     * @return {@code test/<type>}
     */
    public Path testFolder(String type) {
        return testRoot().resolve(type);
    }

    /**
     * @param type a defect type
     * @return {@code ground_truth/<type>}, the folder of that type's masks
     */
    public Path maskFolder(String type) {
        return root.resolve(GROUND_TRUTH).resolve(type);
    }

    /**
     * Where the mask of a test image lives, whether or not it exists.
     *
     * @param type  the test image's type
     * @param image the test image (only its file name counts)
     * @return {@code ground_truth/<type>/<stem>_mask.png}
     */
    public Path maskFile(String type, Path image) {
        return maskFolder(type).resolve(FileNames.stem(image.getFileName().toString()) + MASK_SUFFIX);
    }

    /**
     * Whether the dataset has a test folder at all.
     *
     * @return true when {@code test/} is a folder
     */
    public boolean hasTests() {
        return Files.isDirectory(testRoot());
    }

    /**
     * The test types present, as folder names in name order.
     *
     * @return the names of the folders under {@code test/}
     * @throws InvalidInputException if there is no {@code test/} folder or it cannot be listed
     */
    public List<String> testTypes() {
        if (!hasTests()) {
            throw new InvalidInputException("The dataset " + root + " has no test/ folder. Expected the MVTec-AD"
                    + " layout: test/good, test/<defect>, ground_truth/<defect>/<name>_mask.png.");
        }
        List<String> types = new ArrayList<>();
        try (var s = Files.list(testRoot())) {
            s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().forEach(types::add);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot list " + testRoot() + ": " + e.getMessage(), e);
        }
        return types;
    }

    /**
     * The test types, which must include the normal one, since every metric compares the defects
     * against normal images.
     *
     * @return the test types in name order
     * @throws InvalidInputException if {@code test/} or {@code test/good} is missing
     */
    public List<String> testTypesWithNormal() {
        List<String> types = testTypes();
        if (!types.contains(NORMAL)) {
            throw new InvalidInputException("The dataset " + root + " has no test/good folder of normal images.");
        }
        return types;
    }

    /**
     * Reads the ground truth of a test image: the pixels its mask marks (any value above 0).
     *
     * @param type   the test image's type
     * @param image  the test image's file
     * @param width  the test image's width, which the mask must have
     * @param height the test image's height, which the mask must have
     * @param loader reads the mask file
     * @return one flag per pixel, row by row; null when the image has no mask file (it then counts
     *         for image-level metrics only)
     * @throws InvalidInputException if the mask's size differs from the image's
     */
    public boolean[] mask(String type, Path image, int width, int height, ImageLoader loader) {
        Path m = maskFile(type, image);
        if (!Files.exists(m)) {
            return null;
        }
        FloatImage mi = loader.load(m).get(0);
        if (mi.width() != width || mi.height() != height) {
            throw new InvalidInputException("The mask " + m + " is " + mi.width() + "x" + mi.height()
                    + " but its image is " + width + "x" + height + ".");
        }
        boolean[] mask = new boolean[mi.planeSize()];
        float[] d = mi.data();
        for (int i = 0; i < mask.length; i++) {
            mask[i] = d[i] > 0;
        }
        return mask;
    }
}
