package org.utad.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.io.Opener;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.utad.core.Calibration;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;
import org.utad.core.UtadException;

class ImageWriterTest {
    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static FloatImage ramp(float scale, String name) {
        float[] d = new float[8 * 4];
        for (int i = 0; i < d.length; i++) {
            d[i] = i * scale;
        }
        return new FloatImage(8, 4, 1, d, 32, name, new Calibration(0.65, 0.7, "micron"));
    }

    @Test
    void existingFileIsKeptUnlessOverwriteIsAllowed() throws IOException {
        Path file = dir.resolve("map.tif");
        ImageWriter.writeTiff32(ramp(1f, "first"), file, false);
        byte[] before = Files.readAllBytes(file);

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ImageWriter.writeTiff32(ramp(2f, "second"), file, false));
        assertTrue(e.getMessage().contains("map.tif") && e.getMessage().contains("already exists"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));

        ImageWriter.writeTiff32(ramp(2f, "second"), file, true);
        assertFalse(Arrays.equals(before, Files.readAllBytes(file)), "the file must have been replaced");
        assertEquals(2f * 31, new IjImageLoader().load(file).get(0).data()[31]);
        assertEquals(List.of("map.tif"), listing(), "no temporary file may be left behind");
    }

    @Test
    void failedWriteLeavesTheOldFileIntactAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("result.png");
        Files.writeString(file, "old content");
        UtadException e = assertThrows(UtadException.class, () -> ImageWriter.writeAtomically(file, true, tmp -> {
            Files.writeString(tmp, "half a new fi");
            throw new IOException("disk full");
        }));
        assertTrue(e.getMessage().contains("result.png") && e.getMessage().contains("disk full"), e.getMessage());
        assertEquals("old content", Files.readString(file));
        assertEquals(List.of("result.png"), listing());
    }

    @Test
    void contentIsWrittenToAHiddenTemporaryFileInTheTargetFolderThenMoved() throws IOException {
        Path file = dir.resolve("sub/new.png");
        Path[] seen = new Path[1];
        ImageWriter.writeAtomically(file, false, tmp -> {
            seen[0] = tmp;
            assertFalse(Files.exists(file), "the target must not appear before the content is complete");
            Files.writeString(tmp, "complete");
        });
        assertEquals(file.toAbsolutePath().getParent(), seen[0].getParent());
        assertTrue(seen[0].getFileName().toString().startsWith("."), seen[0].toString());
        assertFalse(Files.exists(seen[0]));
        assertEquals("complete", Files.readString(file));
    }

    @Test
    void folderTargetIsRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ImageWriter.writeTiff32(ramp(1f, "x"), dir, true));
        assertTrue(e.getMessage().contains("folder"), e.getMessage());
    }

    @Test
    void thirtyTwoBitStackKeepsValuesCalibrationAndSliceLabels() {
        Path file = dir.resolve("stack.tif");
        ImageWriter.writeTiff32(List.of(ramp(0.5f, "alpha"), ramp(-1.5f, "beta")), file, false);
        Opener opener = new Opener();
        opener.setSilentMode(true);
        ImagePlus imp = opener.openImage(file.toString());
        assertEquals(32, imp.getBitDepth());
        assertEquals(2, imp.getStackSize());
        assertEquals("alpha", imp.getStack().getSliceLabel(1));
        assertEquals("beta", imp.getStack().getSliceLabel(2));
        assertEquals(-1.5f * 31, ((float[]) imp.getStack().getPixels(2))[31]);
        assertEquals(0.65, imp.getCalibration().pixelWidth, 1e-6);
        assertEquals(0.7, imp.getCalibration().pixelHeight, 1e-6);
        assertEquals("micron", imp.getCalibration().getUnit());
    }

    @Test
    void pngScalesUnitValuesToBytesWithRoundingAndClamping() throws IOException {
        float[] d = {0f, 0.5f, 1f, 1.2f, -0.1f, 0.2f};
        Path file = dir.resolve("grey.png");
        ImageWriter.writePng8(new FloatImage(6, 1, 1, d, 8, "g", null), file, false);
        BufferedImage b = ImageIO.read(file.toFile());
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, b.getType());
        int[] got = b.getRaster().getPixels(0, 0, 6, 1, (int[]) null);
        assertArrayEquals(new int[] {0, 128, 255, 255, 0, 51}, got);

        float[] rgb = new float[3 * 2];
        rgb[0] = 1f;
        rgb[3] = 0.5f;
        rgb[5] = 1f;
        Path colour = dir.resolve("rgb.png");
        ImageWriter.writePng8(new FloatImage(2, 1, 3, rgb, 8, "c", null), colour, false);
        BufferedImage c = ImageIO.read(colour.toFile());
        assertEquals(0xff0000, c.getRGB(0, 0) & 0xffffff);
        assertEquals(0x0080ff, c.getRGB(1, 0) & 0xffffff);

        assertThrows(InvalidInputException.class, () -> ImageWriter.writePng8(
                new FloatImage(2, 1, 2, new float[4], 8, "two", null), dir.resolve("two.png"), false));
    }

    @Test
    void maskPngHoldsZeroAndTwoFiftyFive() throws IOException {
        boolean[] mask = {false, true, true, false, false, true};
        Path file = dir.resolve("m.png");
        ImageWriter.writeMaskPng(mask, 3, 2, file, false);
        BufferedImage b = ImageIO.read(file.toFile());
        assertArrayEquals(new int[] {0, 255, 255, 0, 0, 255}, b.getRaster().getPixels(0, 0, 3, 2, (int[]) null));
        assertThrows(InvalidInputException.class, () -> ImageWriter.writeMaskPng(mask, 4, 2, dir.resolve("bad.png"), false));
    }

    @Test
    void sixteenBitTiffRoundsAndClampsRawValues() {
        float[] d = {0f, 1.4f, 40000.6f, 70000f, -3f, 65535f};
        Path file = dir.resolve("raw16.tif");
        ImageWriter.writeTiff16(new FloatImage(3, 2, 1, d, 16, "raw", null), file, false);
        FloatImage back = new IjImageLoader().load(file).get(0);
        assertEquals(16, back.bitDepth());
        assertArrayEquals(new float[] {0f, 1f, 40001f, 65535f, 0f, 65535f}, back.data());
    }
}
