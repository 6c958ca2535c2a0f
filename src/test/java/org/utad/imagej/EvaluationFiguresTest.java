package org.utad.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.utad.api.Evaluate;
import org.utad.core.CancellationToken;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;
import org.utad.core.ProgressListener;

/**
 * Evaluate's figures: ROC and PRO plots and per-folder galleries, drawn by ImageJ on a small
 * generated MVTec-AD layout whose scorer is the image itself (bright squares are the defects), and
 * the images and table they open as on screen.
 */
public class EvaluationFiguresTest {
    private static final int W = 40;
    private static final int H = 24;
    /** Brightness of the planted square of each defective image: the third one is barely visible. */
    private static final float[] DEFECT_LEVELS = {0.95f, 0.8f, 0.45f};

    /**
     * Writes the small labelled dataset: four noise images in test/good, three with a bright square
     * in test/crack and their masks.
     *
     * @param root the dataset folder
     */
    public static void writeDataset(Path root) {
        Random random = new Random(5);
        for (int i = 0; i < 4; i++) {
            ImageWriter.writePng8(noise(random), root.resolve("test/good/g" + i + ".png"), false);
        }
        for (int i = 0; i < DEFECT_LEVELS.length; i++) {
            FloatImage img = noise(random);
            boolean[] mask = new boolean[W * H];
            for (int y = 8; y < 16; y++) {
                for (int x = 10 + 5 * i; x < 18 + 5 * i; x++) {
                    img.data()[y * W + x] = DEFECT_LEVELS[i];
                    mask[y * W + x] = true;
                }
            }
            ImageWriter.writePng8(img, root.resolve("test/crack/c" + i + ".png"), false);
            ImageWriter.writeMaskPng(mask, W, H, root.resolve("ground_truth/crack/c" + i + "_mask.png"), false);
        }
    }

    private static FloatImage noise(Random random) {
        float[] d = new float[W * H];
        for (int i = 0; i < d.length; i++) {
            d[i] = 0.2f + 0.2f * random.nextFloat();
        }
        return FloatImage.of(W, H, 1, d);
    }

    /**
     * Scores an image by itself: the image is its own anomaly map, the score is its maximum, the
     * mask is above 0.6.
     *
     * @param img a test image
     * @return its score, map and mask
     */
    public static Evaluate.Scored selfScore(FloatImage img) {
        float max = 0;
        boolean[] mask = new boolean[img.planeSize()];
        for (int i = 0; i < mask.length; i++) {
            max = Math.max(max, img.data()[i]);
            mask[i] = img.data()[i] > 0.6f;
        }
        return new Evaluate.Scored(max, img.withData(1, img.data().clone()), mask);
    }

    /**
     * Evaluates a scorer on a dataset with ImageJ's figures.
     *
     * @param data      the dataset
     * @param out       the output folder
     * @param scorer    the scorer
     * @param overwrite replace existing tables
     * @return the summary
     */
    public static Evaluate.Summary evaluate(Path data, Path out, Function<FloatImage, Evaluate.Scored> scorer,
                                            boolean overwrite) {
        return Evaluate.run(scorer, 0.6f, data, out, overwrite, new IjImageLoader(), new IjEvaluationFigures(),
                ProgressListener.NONE, new CancellationToken());
    }

    @Test
    void drawsCurvesAndGalleriesThatShowTheCases(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        writeDataset(data);
        Path out = dir.resolve("eval");
        Evaluate.Summary s = evaluate(data, out, EvaluationFiguresTest::selfScore, false);
        assertEquals(7, s.images());

        for (String f : List.of("roc.png", "pro.png", "gallery_good.png", "gallery_crack.png")) {
            BufferedImage img = ImageIO.read(out.resolve(f).toFile());
            assertTrue(img != null && img.getWidth() >= 300, f + " is not a drawn PNG");
        }
        List<String> curve = Files.readAllLines(out.resolve("pixel_curves.csv"));
        assertEquals("fpr,tpr,pro", curve.get(0));
        assertEquals(List.of(0.0, 0.0, 0.0), numbers(curve.get(1)));
        assertEquals(List.of(1.0, 1.0, 1.0), numbers(curve.get(curve.size() - 1)));

        BufferedImage crack = ImageIO.read(out.resolve("gallery_crack.png").toFile());
        int cell = 96;
        int gap = 6;
        int text = 16;
        int rowStride = text + H + gap;
        assertEquals(gap + 4 * (cell + gap), crack.getWidth());
        assertEquals(2 * text + 2 * gap + 3 * rowStride, crack.getHeight(), "three crack images, each shown once");
        int top = 2 * text + 2 * gap + text;
        float[] heat = new float[3];
        for (int row = 0; row < 3; row++) {
            int y = top + row * rowStride + 12;
            int level = 0;
            for (int x = 0; x < W; x++) {
                int rgb = crack.getRGB(gap + cell + gap + x, y);
                level = Math.max(level, ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff));
            }
            heat[row] = level;
            int truthX = gap + 2 * (cell + gap);
            boolean truthShown = false;
            for (int x = 0; x < W; x++) {
                truthShown |= brightness(crack.getRGB(truthX + x, y)) == 255;
            }
            assertTrue(truthShown, "row " + row + " shows its ground-truth square");
        }
        assertTrue(heat[0] > heat[1] && heat[1] > heat[2], "rows run from the highest score (best found) down: "
                + java.util.Arrays.toString(heat));

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> evaluate(data, out, EvaluationFiguresTest::selfScore, false));
        assertTrue(e.getMessage().contains("already holds"), e.getMessage());
    }

    @Test
    void theFiguresAndMetricsOpenAsImagesAndATable(@TempDir Path dir) {
        Path data = dir.resolve("data");
        writeDataset(data);
        Path out = dir.resolve("eval");
        Evaluate.Summary s = evaluate(data, out, EvaluationFiguresTest::selfScore, false);
        List<ImagePlus> figures = EvaluationWindows.figures(s.figures());
        assertEquals(List.of("roc.png", "pro.png", "gallery_crack.png", "gallery_good.png"),
                figures.stream().map(ImagePlus::getTitle).toList());
        for (ImagePlus f : figures) {
            assertTrue(f.getWidth() >= 300, f.getTitle() + " did not open as the drawn figure");
        }
        ResultsTable rt = EvaluationWindows.metrics(s.evaluation());
        assertEquals(2, rt.size(), "all images, then the crack type");
        assertEquals("all", rt.getLabel(0));
        assertEquals("crack", rt.getLabel(1));
        assertEquals(s.evaluation().overall().imageAuroc(), rt.getValue("image AUROC", 0), 1e-9);
        assertEquals(s.evaluation().overall().aupro(), rt.getValue("AUPRO", 0), 1e-9);
        assertEquals(7, rt.getValue("images", 0), 0);
    }

    @Test
    void aScoreWithoutMapsGetsOnlyTheImageRoc(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        writeDataset(data);
        Path out = dir.resolve("eval");
        evaluate(data, out, img -> new Evaluate.Scored(selfScore(img).score(), null), false);
        assertTrue(ImageIO.read(out.resolve("roc.png").toFile()) != null);
        for (String f : List.of("pro.png", "gallery_good.png", "gallery_crack.png", "pixel_curves.csv")) {
            assertFalse(Files.exists(out.resolve(f)), f + " needs maps");
        }
    }

    private static List<Double> numbers(String csvLine) {
        return java.util.Arrays.stream(csvLine.split(",")).map(Double::parseDouble).toList();
    }

    private static int brightness(int rgb) {
        return Math.max((rgb >> 16) & 0xff, Math.max((rgb >> 8) & 0xff, rgb & 0xff));
    }
}
