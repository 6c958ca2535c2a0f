package org.utad.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.utad.core.Calibration;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;

class ImagePlusAdapterTest {
    private static final int W = 7;
    private static final int H = 5;

    private static void calibrate(ImagePlus imp) {
        ij.measure.Calibration cal = imp.getCalibration();
        cal.pixelWidth = 0.65;
        cal.pixelHeight = 0.8;
        cal.setUnit("micron");
    }

    private static void assertCalibration(ImagePlus imp) {
        assertEquals(0.65, imp.getCalibration().pixelWidth, 1e-12);
        assertEquals(0.8, imp.getCalibration().pixelHeight, 1e-12);
        assertEquals("micron", imp.getCalibration().getUnit());
    }

    @Test
    void eightBitRoundTripKeepsRawValuesDepthCalibrationAndName() {
        Random r = new Random(1);
        byte[] px = new byte[W * H];
        r.nextBytes(px);
        px[0] = (byte) 255;
        ImagePlus imp = new ImagePlus("eight", new ByteProcessor(W, H, px.clone()));
        calibrate(imp);

        List<FloatImage> imgs = ImagePlusAdapter.toFloatImages(imp);
        assertEquals(1, imgs.size());
        FloatImage img = imgs.get(0);
        assertEquals(W, img.width());
        assertEquals(H, img.height());
        assertEquals(1, img.channels());
        assertEquals(8, img.bitDepth());
        assertEquals("eight", img.name());
        assertEquals(new Calibration(0.65, 0.8, "micron"), img.calibration());
        assertEquals(255f, img.get(0, 0, 0));
        for (int i = 0; i < px.length; i++) {
            assertEquals(px[i] & 0xff, img.data()[i]);
        }

        ImagePlus back = ImagePlusAdapter.toImagePlus(imgs, "back", img.bitDepth());
        assertEquals(8, back.getBitDepth());
        assertEquals(W, back.getWidth());
        assertEquals(H, back.getHeight());
        assertArrayEquals(px, (byte[]) back.getProcessor().getPixels());
        assertCalibration(back);
        assertEquals("eight", ImagePlusAdapter.toFloatImages(back).get(0).name());
    }

    @Test
    void sixteenBitRoundTripKeepsUnsignedValuesAbove32767() {
        Random r = new Random(2);
        short[] px = new short[W * H];
        for (int i = 0; i < px.length; i++) {
            px[i] = (short) r.nextInt(65536);
        }
        px[3] = (short) 65535;
        px[4] = (short) 40000;
        ImagePlus imp = new ImagePlus("sixteen", new ShortProcessor(W, H, px.clone(), null));
        calibrate(imp);

        FloatImage img = ImagePlusAdapter.toFloatImages(imp).get(0);
        assertEquals(16, img.bitDepth());
        assertEquals(65535f, img.data()[3]);
        assertEquals(40000f, img.data()[4]);
        for (int i = 0; i < px.length; i++) {
            assertEquals(px[i] & 0xffff, img.data()[i]);
        }

        ImagePlus back = ImagePlusAdapter.toImagePlus(List.of(img), "back", 16);
        assertEquals(16, back.getBitDepth());
        assertArrayEquals(px, (short[]) back.getProcessor().getPixels());
        assertCalibration(back);
    }

    @Test
    void thirtyTwoBitRoundTripKeepsNegativeAndFractionalValues() {
        Random r = new Random(3);
        float[] px = new float[W * H];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) (r.nextGaussian() * 1000);
        }
        px[0] = -3.25f;
        ImagePlus imp = new ImagePlus("float", new FloatProcessor(W, H, px.clone()));
        calibrate(imp);

        FloatImage img = ImagePlusAdapter.toFloatImages(imp).get(0);
        assertEquals(32, img.bitDepth());
        assertArrayEquals(px, img.data());

        ImagePlus back = ImagePlusAdapter.toImagePlus(List.of(img), "back");
        assertEquals(32, back.getBitDepth());
        assertEquals("back", back.getTitle());
        assertArrayEquals(px, (float[]) back.getProcessor().getPixels());
        assertCalibration(back);
    }

    @Test
    void rgbBecomesThreeEightBitChannelsAndComesBackAsRgb() {
        Random r = new Random(4);
        int[] px = new int[W * H];
        for (int i = 0; i < px.length; i++) {
            px[i] = 0xff000000 | r.nextInt(0x1000000);
        }
        px[1] = 0xff102030;
        ImagePlus imp = new ImagePlus("colour", new ColorProcessor(W, H, px.clone()));
        calibrate(imp);

        FloatImage img = ImagePlusAdapter.toFloatImages(imp).get(0);
        assertEquals(3, img.channels());
        assertEquals(8, img.bitDepth());
        assertEquals(0x10, img.get(1, 0, 0));
        assertEquals(0x20, img.get(1, 0, 1));
        assertEquals(0x30, img.get(1, 0, 2));

        ImagePlus back = ImagePlusAdapter.toImagePlus(List.of(img), "back");
        assertEquals(ImagePlus.COLOR_RGB, back.getType());
        assertArrayEquals(px, (int[]) back.getProcessor().getPixels());
        assertCalibration(back);
    }

    @Test
    void threeChannelFloatDataBecomesA32BitChannelHyperstack() {
        float[] data = new float[3 * W * H];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0.5f;
        }
        FloatImage img = new FloatImage(W, H, 3, data, 32, "maps", null);
        ImagePlus imp = ImagePlusAdapter.toImagePlus(List.of(img), "maps");
        assertEquals(32, imp.getBitDepth());
        assertEquals(3, imp.getNChannels());
        assertEquals(1, imp.getNSlices());

        List<FloatImage> back = ImagePlusAdapter.toFloatImages(imp);
        assertEquals(1, back.size());
        assertEquals(3, back.get(0).channels());
        assertArrayEquals(data, back.get(0).data());
        assertEquals("maps", back.get(0).name());
    }

    @Test
    void channelHyperstackGivesOneImagePerPositionNumberedByPosition() {
        ImageStack stack = new ImageStack(W, H);
        for (int plane = 0; plane < 6; plane++) {
            float[] px = new float[W * H];
            java.util.Arrays.fill(px, plane);
            stack.addSlice(null, new FloatProcessor(W, H, px));
        }
        ImagePlus imp = new ImagePlus("hyper", stack);
        imp.setDimensions(3, 2, 1);
        List<FloatImage> imgs = ImagePlusAdapter.toFloatImages(imp);
        assertEquals(2, imgs.size());
        assertEquals("hyper:slice 2", imgs.get(1).name());
        assertEquals(3, imgs.get(1).channels());
        assertEquals(3f, imgs.get(1).get(0, 0, 0));
        assertEquals(5f, imgs.get(1).get(W - 1, H - 1, 2));
    }

    @Test
    void stackGivesOneImagePerSliceNamedByLabelOrTitleAndSlice() {
        ImageStack stack = new ImageStack(W, H);
        Random r = new Random(5);
        short[][] planes = new short[3][W * H];
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < W * H; i++) {
                planes[s][i] = (short) r.nextInt(4096);
            }
            stack.addSlice(s == 1 ? null : "label" + s + "\nmore info", new ShortProcessor(W, H, planes[s].clone(), null));
        }
        ImagePlus imp = new ImagePlus("cells", stack);
        calibrate(imp);

        List<FloatImage> imgs = ImagePlusAdapter.toFloatImages(imp);
        assertEquals(3, imgs.size());
        assertEquals("label0", imgs.get(0).name());
        assertEquals("cells:slice 2", imgs.get(1).name());
        assertEquals("label2", imgs.get(2).name());
        for (int s = 0; s < 3; s++) {
            assertEquals(16, imgs.get(s).bitDepth());
            assertEquals(new Calibration(0.65, 0.8, "micron"), imgs.get(s).calibration());
            for (int i = 0; i < W * H; i++) {
                assertEquals(planes[s][i], imgs.get(s).data()[i]);
            }
        }

        ImagePlus back = ImagePlusAdapter.toImagePlus(imgs, "cells back", 16);
        assertEquals(3, back.getStackSize());
        assertEquals(16, back.getBitDepth());
        assertCalibration(back);
        for (int s = 0; s < 3; s++) {
            assertArrayEquals(planes[s], (short[]) back.getStack().getPixels(s + 1));
            assertEquals(imgs.get(s).name(), back.getStack().getSliceLabel(s + 1));
        }
        ImagePlus asFloat = ImagePlusAdapter.toImagePlus(imgs, "cells float");
        assertEquals(32, asFloat.getBitDepth());
        assertEquals(3, asFloat.getStackSize());
        assertEquals(planes[2][7], ((float[]) asFloat.getStack().getPixels(3))[7]);
    }

    @Test
    void narrowingRoundsAndClampsInsteadOfWrappingAround() {
        float[] data = {-5f, 0.4f, 0.6f, 254.5f, 300f, 70000f};
        FloatImage img = new FloatImage(6, 1, 1, data, 32, "x", null);
        short[] s16 = (short[]) ImagePlusAdapter.toImagePlus(List.of(img), "x", 16).getProcessor().getPixels();
        assertArrayEquals(new short[] {0, 0, 1, 255, 300, (short) 65535}, s16);
        byte[] s8 = (byte[]) ImagePlusAdapter.toImagePlus(List.of(img), "x", 8).getProcessor().getPixels();
        assertArrayEquals(new byte[] {0, 0, 1, (byte) 255, (byte) 255, (byte) 255}, s8);
    }

    @Test
    void uncalibratedImageStaysUncalibrated() {
        ImagePlus imp = new ImagePlus("plain", new ByteProcessor(W, H));
        FloatImage img = ImagePlusAdapter.toFloatImages(imp).get(0);
        assertFalse(img.calibration().isCalibrated());
        ImagePlus back = ImagePlusAdapter.toImagePlus(List.of(img), "plain");
        assertFalse(back.getCalibration().scaled());
    }

    @Test
    void emptyImagePlusAsSciJavaPassesForAMissingInputIsRejected() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ImagePlusAdapter.toFloatImages(new ImagePlus()));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        InvalidInputException n = assertThrows(InvalidInputException.class,
                () -> ImagePlusAdapter.toFloatImages(null));
        assertTrue(n.getMessage().contains("No image"), n.getMessage());
    }

    @Test
    void imagesOfDifferentSizesCannotBeStacked() {
        FloatImage a = new FloatImage(4, 4, 1, new float[16], 32, "a", null);
        FloatImage b = new FloatImage(5, 4, 1, new float[20], 32, "b", null);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ImagePlusAdapter.toImagePlus(List.of(a, b), "t"));
        assertTrue(e.getMessage().contains("'b' is 5x4x1"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> ImagePlusAdapter.toImagePlus(List.of(), "t"));
        assertThrows(InvalidInputException.class, () -> ImagePlusAdapter.toImagePlus(List.of(a), "t", 12));
    }
}
