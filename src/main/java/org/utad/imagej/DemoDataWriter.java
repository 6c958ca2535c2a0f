package org.utad.imagej;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.utad.core.Calibration;
import org.utad.core.FloatImage;
import org.utad.data.DefectDataset;
import org.utad.data.SyntheticImages;
import org.utad.data.SyntheticImages.Defect;

/**
 * Generates the demo data set in {@code test-data/}: seeded synthetic textures with planted
 * defects, laid out like MVTec-AD ({@link DefectDataset}), plus a 16-bit calibrated microscopy-like stack.
 *
 * <p>The data lets a user try the plugin without downloading anything, and gives tests and
 * tutorials fixed inputs. Everything is generated from fixed seeds and written with deterministic
 * encoders, so running the generator twice gives byte-identical files and the committed folder can
 * be checked against a fresh run.
 */
public final class DemoDataWriter {
    /** Seed of the grey texture family. */
    public static final long GREY_SEED = 11L;
    /** Seed of the RGB texture family. */
    public static final long RGB_SEED = 22L;
    /** Seed of the microscopy-like stack. */
    public static final long STACK_SEED = 33L;
    /** Width and height of every demo image, in pixels. */
    public static final int SIZE = 128;
    /** Pixel size of the microscopy stack, in microns (a 10x objective on a typical camera). */
    public static final double STACK_PIXEL_MICRONS = 0.65;

    private static final int STACK_NORMAL_SLICES = 6;

    private DemoDataWriter() {
    }

    /**
     * Writes the whole demo data set under {@code root}.
     *
     * @param root      the output folder, created if missing
     * @param overwrite whether existing files may be replaced (true to regenerate in place)
     * @return the files written, in writing order
     * @throws org.utad.core.InvalidInputException if a file exists and overwrite is false
     * @throws org.utad.core.UtadException         if a file cannot be written
     */
    public static List<Path> write(Path root, boolean overwrite) {
        List<Path> written = new ArrayList<>();
        writeTextureSet(root.resolve("texture"), new SyntheticImages(GREY_SEED), 1, 40, 8, 4, overwrite, written);
        writeTextureSet(root.resolve("texture_rgb"), new SyntheticImages(RGB_SEED), 3, 24, 4, 2, overwrite, written);
        Path stack = root.resolve("microscopy_stack.tif");
        ImageWriter.writeTiff16(microscopyStack(), stack, overwrite);
        written.add(stack);
        Path readme = root.resolve("README.md");
        ImageWriter.writeAtomically(readme, overwrite,
                tmp -> Files.write(tmp, readme().getBytes(StandardCharsets.UTF_8)));
        written.add(readme);
        return written;
    }

    /**
     * Builds the microscopy-like stack: {@value #STACK_NORMAL_SLICES} normal slices then a slice
     * with a bright blob and one with a dark hole, as raw 16-bit values spread over about
     * 500..40000 with a gentle illumination fall-off towards the corners, calibrated at
     * {@value #STACK_PIXEL_MICRONS} micron per pixel. Slice names say which is which.
     *
     * @return the slices, 16-bit by provenance
     */
    public static List<FloatImage> microscopyStack() {
        SyntheticImages gen = new SyntheticImages(STACK_SEED);
        Calibration cal = new Calibration(STACK_PIXEL_MICRONS, STACK_PIXEL_MICRONS, "micron");
        List<FloatImage> slices = new ArrayList<>();
        for (int i = 0; i < STACK_NORMAL_SLICES + 2; i++) {
            FloatImage unit;
            String name;
            if (i < STACK_NORMAL_SLICES) {
                unit = gen.normal(i, SIZE, SIZE, 1);
                name = String.format(Locale.ROOT, "normal_%d", i + 1);
            } else {
                Defect defect = i == STACK_NORMAL_SLICES ? Defect.BLOB : Defect.HOLE;
                unit = gen.defective(i, SIZE, SIZE, 1, defect).image();
                name = String.format(Locale.ROOT, "%s_%d", defect.name().toLowerCase(Locale.ROOT), i + 1);
            }
            float[] data = new float[SIZE * SIZE];
            double c = (SIZE - 1) / 2.0;
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    double r2 = ((x - c) * (x - c) + (y - c) * (y - c)) / (2 * c * c);
                    double illumination = 1 - 0.2 * r2;
                    data[y * SIZE + x] = Math.round(500 + 39500 * unit.get(x, y, 0) * illumination);
                }
            }
            slices.add(new FloatImage(SIZE, SIZE, 1, data, 16, name, cal));
        }
        return slices;
    }

    /**
     * Regenerates the demo data set and prints what it wrote.
     *
     * @param args optional output folder; {@code test-data} when absent
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        Path root = Path.of(args.length > 0 ? args[0] : "test-data");
        List<Path> files = write(root, true);
        long bytes = 0;
        for (Path f : files) {
            try {
                bytes += Files.size(f);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot measure " + f + ": " + e.getMessage(), e);
            }
        }
        System.out.printf(Locale.ROOT, "Wrote %d files (%.1f MB) to %s%n", files.size(), bytes / 1e6,
                root.toAbsolutePath().normalize());
    }

    private static void writeTextureSet(Path dir, SyntheticImages gen, int channels, int nTrain, int nTestGood,
                                        int perDefect, boolean overwrite, List<Path> written) {
        DefectDataset layout = new DefectDataset(dir);
        for (int i = 0; i < nTrain; i++) {
            Path f = layout.trainNormal().resolve(stem(i) + ".png");
            ImageWriter.writePng8(gen.normal(i, SIZE, SIZE, channels), f, overwrite);
            written.add(f);
        }
        for (int i = 0; i < nTestGood; i++) {
            Path f = layout.testFolder(DefectDataset.NORMAL).resolve(stem(i) + ".png");
            ImageWriter.writePng8(gen.normal(1000 + i, SIZE, SIZE, channels), f, overwrite);
            written.add(f);
        }
        for (Defect defect : Defect.values()) {
            String kind = defect.name().toLowerCase(Locale.ROOT);
            for (int i = 0; i < perDefect; i++) {
                SyntheticImages.Defective d = gen.defective(2000 + 100 * defect.ordinal() + i, SIZE, SIZE,
                        channels, defect);
                Path img = layout.testFolder(kind).resolve(stem(i) + ".png");
                Path mask = layout.maskFile(kind, img);
                ImageWriter.writePng8(d.image(), img, overwrite);
                ImageWriter.writeMaskPng(d.mask(), SIZE, SIZE, mask, overwrite);
                written.add(img);
                written.add(mask);
            }
        }
    }

    private static String stem(int i) {
        return String.format(Locale.ROOT, "%03d", i);
    }

    private static String readme() {
        return "# Demo data for UTAD for Fiji\n"
                + "\n"
                + "Synthetic, seeded images: nothing here was photographed, and every file is regenerated\n"
                + "byte for byte by\n"
                + "\n"
                + "    mvn -B -q compile && java -cp target/classes:$HOME/.m2/repository/net/imagej/ij/1.54g/ij-1.54g.jar \\\n"
                + "        org.utad.imagej.DemoDataWriter test-data\n"
                + "\n"
                + "All images are " + SIZE + "x" + SIZE + " pixels.\n"
                + "\n"
                + "- `texture/`: grey 8-bit PNG textures in the MVTec-AD layout (seed " + GREY_SEED + ").\n"
                + "  - `train/good/`: 40 normal images to train on.\n"
                + "  - `test/good/`: 8 further normal images.\n"
                + "  - `test/scratch/`, `test/blob/`, `test/hole/`, `test/contamination/`: 4 images each with a\n"
                + "    planted defect of that kind.\n"
                + "  - `ground_truth/<defect>/<stem>_mask.png`: the defect masks, 255 on the defect, 0 elsewhere.\n"
                + "- `texture_rgb/`: the same layout in RGB (seed " + RGB_SEED + "): 24 training images, 4 normal\n"
                + "  test images and 2 per defect kind, with masks.\n"
                + "- `microscopy_stack.tif`: a 16-bit grey stack of 8 slices, values about 500..40000 with an\n"
                + "  illumination fall-off towards the corners, calibrated at " + STACK_PIXEL_MICRONS
                + " micron per pixel (seed " + STACK_SEED + ").\n"
                + "  Slices 1-6 (`normal_1`..`normal_6`) are normal; slice 7 (`blob_7`) has a bright blob and\n"
                + "  slice 8 (`hole_8`) a dark hole: train on slices 1-6, detect on 7-8.\n";
    }
}
