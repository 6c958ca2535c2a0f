package org.utad.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.utad.core.Calibration;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;
import org.utad.data.SyntheticImages;

class IjImageLoaderTest {
    private static final int W = 12;
    private static final int H = 9;

    @TempDir
    Path dir;

    private final IjImageLoader loader = new IjImageLoader();

    private static float[] randomInts(long seed, int n, int bound) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(bound);
        }
        return v;
    }

    @Test
    void eightBitTiffWrittenByImageJIsReadWithRawValuesAndCalibration() {
        Random r = new Random(11);
        byte[] px = new byte[W * H];
        r.nextBytes(px);
        ImagePlus imp = new ImagePlus("eight", new ByteProcessor(W, H, px.clone()));
        imp.getCalibration().pixelWidth = 0.25;
        imp.getCalibration().pixelHeight = 0.25;
        imp.getCalibration().setUnit("micron");
        Path file = dir.resolve("eight.tif");
        assertTrue(new FileSaver(imp).saveAsTiff(file.toString()));

        List<FloatImage> imgs = loader.load(file);
        assertEquals(1, imgs.size());
        FloatImage img = imgs.get(0);
        assertEquals("eight", img.name());
        assertEquals(8, img.bitDepth());
        assertEquals(1, img.channels());
        for (int i = 0; i < px.length; i++) {
            assertEquals(px[i] & 0xff, img.data()[i]);
        }
        assertEquals(0.25, img.calibration().pixelWidth(), 1e-6);
        assertEquals("micron", img.calibration().unit());
    }

    @Test
    void sixteenBitTiffStackGivesOneImagePerSliceNamedWithIndex() {
        Calibration cal = new Calibration(0.65, 0.65, "micron");
        List<FloatImage> slices = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            slices.add(new FloatImage(W, H, 1, randomInts(20 + s, W * H, 65536), 16, "z" + s, cal));
        }
        Path file = dir.resolve("stack.tiff");
        ImageWriter.writeTiff16(slices, file, false);

        List<FloatImage> imgs = loader.load(file);
        assertEquals(3, imgs.size());
        for (int s = 0; s < 3; s++) {
            assertEquals("stack_s" + (s + 1), imgs.get(s).name());
            assertEquals(16, imgs.get(s).bitDepth());
            assertArrayEquals(slices.get(s).data(), imgs.get(s).data());
            assertEquals(0.65, imgs.get(s).calibration().pixelWidth(), 1e-6);
            assertEquals(0.65, imgs.get(s).calibration().pixelHeight(), 1e-6);
            assertEquals("micron", imgs.get(s).calibration().unit());
        }
    }

    @Test
    void thirtyTwoBitTiffKeepsFloatValuesExactly() {
        Random r = new Random(12);
        float[] data = new float[W * H];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian() * 3.5f;
        }
        Path file = dir.resolve("map.TIF");
        ImageWriter.writeTiff32(new FloatImage(W, H, 1, data, 32, "map", null), file, false);

        FloatImage img = loader.load(file).get(0);
        assertEquals(32, img.bitDepth());
        assertEquals("map", img.name());
        assertArrayEquals(data, img.data());
        assertEquals(Calibration.NONE, img.calibration());
    }

    @Test
    void greyPngsOfEightAndSixteenBitsAreReadAtTheirDepth() throws IOException {
        float[] v8 = randomInts(13, W * H, 256);
        float[] v16 = randomInts(14, W * H, 65536);
        BufferedImage b8 = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage b16 = new BufferedImage(W, H, BufferedImage.TYPE_USHORT_GRAY);
        for (int i = 0; i < W * H; i++) {
            b8.getRaster().setSample(i % W, i / W, 0, (int) v8[i]);
            b16.getRaster().setSample(i % W, i / W, 0, (int) v16[i]);
        }
        ImageIO.write(b8, "png", dir.resolve("g8.png").toFile());
        ImageIO.write(b16, "png", dir.resolve("g16.PNG").toFile());

        FloatImage g8 = loader.load(dir.resolve("g8.png")).get(0);
        assertEquals(8, g8.bitDepth());
        assertEquals(1, g8.channels());
        assertArrayEquals(v8, g8.data());
        FloatImage g16 = loader.load(dir.resolve("g16.PNG")).get(0);
        assertEquals(16, g16.bitDepth());
        assertArrayEquals(v16, g16.data());
    }

    @Test
    void rgbPngAndBmpGiveThreeChannels() throws IOException {
        Random r = new Random(15);
        BufferedImage rgb = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[W * H];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextInt(0x1000000);
            rgb.setRGB(i % W, i / W, px[i]);
        }
        ImageIO.write(rgb, "png", dir.resolve("c.png").toFile());
        ImageIO.write(rgb, "bmp", dir.resolve("c.bmp").toFile());
        for (String name : new String[] {"c.png", "c.bmp"}) {
            FloatImage img = loader.load(dir.resolve(name)).get(0);
            assertEquals(3, img.channels(), name);
            assertEquals(8, img.bitDepth(), name);
            for (int i = 0; i < px.length; i++) {
                assertEquals((px[i] >> 16) & 0xff, img.get(i % W, i / W, 0), name);
                assertEquals((px[i] >> 8) & 0xff, img.get(i % W, i / W, 1), name);
                assertEquals(px[i] & 0xff, img.get(i % W, i / W, 2), name);
            }
        }
    }

    @Test
    void greyBmpIsReadAsEightBitGrey() throws IOException {
        float[] v = randomInts(16, W * H, 256);
        BufferedImage b = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < v.length; i++) {
            b.getRaster().setSample(i % W, i / W, 0, (int) v[i]);
        }
        ImageIO.write(b, "bmp", dir.resolve("g.bmp").toFile());
        FloatImage img = loader.load(dir.resolve("g.bmp")).get(0);
        assertEquals(1, img.channels());
        assertEquals(8, img.bitDepth());
        assertArrayEquals(v, img.data());
    }

    @Test
    void palettedPngIsExpandedThroughItsPalette() throws IOException {
        byte[] grey = {0, (byte) 255};
        IndexColorModel binary = new IndexColorModel(1, 2, grey, grey, grey);
        BufferedImage mask = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_BINARY, binary);
        mask.getRaster().setSample(1, 0, 0, 1);
        mask.getRaster().setSample(3, 1, 0, 1);
        ImageIO.write(mask, "png", dir.resolve("mask.png").toFile());
        FloatImage img = loader.load(dir.resolve("mask.png")).get(0);
        assertEquals(1, img.channels());
        assertArrayEquals(new float[] {0, 255, 0, 0, 0, 0, 0, 255}, img.data());
    }

    @Test
    void jpegIsReadWithApproximatelyTheWrittenValues() throws IOException {
        FloatImage smooth = new SyntheticImages(3).normal(0, 32, 32, 1);
        BufferedImage b = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                b.getRaster().setSample(x, y, 0, Math.round(smooth.get(x, y, 0) * 255));
            }
        }
        ImageIO.write(b, "jpg", dir.resolve("photo.jpeg").toFile());
        FloatImage img = loader.load(dir.resolve("photo.jpeg")).get(0);
        assertEquals("photo", img.name());
        assertEquals(1, img.channels());
        assertEquals(8, img.bitDepth());
        double sumAbs = 0;
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                sumAbs += Math.abs(img.get(x, y, 0) - Math.round(smooth.get(x, y, 0) * 255));
            }
        }
        double meanAbs = sumAbs / (32 * 32);
        assertTrue(meanAbs < 4, "JPEG mean absolute error " + meanAbs);
    }

    @Test
    void corruptFilesAreRejectedNamingTheFileAndTheReason() throws IOException {
        Path png = dir.resolve("broken.png");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3, 4, 5});
        InvalidInputException e1 = assertThrows(InvalidInputException.class, () -> loader.load(png));
        assertTrue(e1.getMessage().contains("broken.png") && e1.getMessage().contains("corrupt"), e1.getMessage());

        Path text = dir.resolve("notes.tif");
        Files.writeString(text, "these are notes, not pixels");
        InvalidInputException e2 = assertThrows(InvalidInputException.class, () -> loader.load(text));
        assertTrue(e2.getMessage().contains("notes.tif") && e2.getMessage().contains("unrecognised header"),
                e2.getMessage());

        Path good = dir.resolve("whole.tif");
        List<FloatImage> slices = List.of(
                new FloatImage(W, H, 1, randomInts(30, W * H, 1000), 16, "a", null),
                new FloatImage(W, H, 1, randomInts(31, W * H, 1000), 16, "b", null));
        ImageWriter.writeTiff16(slices, good, false);
        byte[] bytes = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.tif");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        InvalidInputException e3 = assertThrows(InvalidInputException.class, () -> loader.load(cut));
        assertTrue(e3.getMessage().contains("cut.tif") && e3.getMessage().contains("truncated"), e3.getMessage());

        Path empty = dir.resolve("empty.jpg");
        Files.write(empty, new byte[0]);
        InvalidInputException e4 = assertThrows(InvalidInputException.class, () -> loader.load(empty));
        assertTrue(e4.getMessage().contains("empty.jpg") && e4.getMessage().contains("empty"), e4.getMessage());
    }

    @Test
    void unknownExtensionAndMissingFileAreRejectedNamingTheFile() throws IOException {
        Path gif = dir.resolve("anim.gif");
        Files.write(gif, new byte[] {'G', 'I', 'F', '8', '9', 'a'});
        InvalidInputException e1 = assertThrows(InvalidInputException.class, () -> loader.load(gif));
        assertTrue(e1.getMessage().contains("anim.gif") && e1.getMessage().contains("unsupported file type '.gif'"),
                e1.getMessage());

        Path missing = dir.resolve("nowhere.png");
        InvalidInputException e2 = assertThrows(InvalidInputException.class, () -> loader.load(missing));
        assertTrue(e2.getMessage().contains("nowhere.png") && e2.getMessage().contains("does not exist"),
                e2.getMessage());
    }

    @Test
    void supportedExtensionsAreRecognisedInAnyCase() {
        assertTrue(IjImageLoader.isSupported("a.TIFF"));
        assertTrue(IjImageLoader.isSupported("dir/b.Jpeg"));
        assertTrue(!IjImageLoader.isSupported("c.gif") && !IjImageLoader.isSupported("tif"));
    }
}
