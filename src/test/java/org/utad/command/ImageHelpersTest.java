package org.utad.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.Roi;
import ij.gui.TextRoi;
import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.utad.core.Calibration;
import org.utad.core.ConnectedComponents;
import org.utad.core.FloatImage;
import org.utad.imagej.AnomalyRois;
import org.utad.imagej.HeatmapImages;
import org.utad.imagej.LossPlot;
import org.utad.train.HistoryPoint;

/**
 * The image-building helpers behind Detect and Train, headless: ROIs are named slice:region, sit on
 * their slice and are only ever appended to the manager; overlays keep grey far below the
 * threshold and heatmaps state their scale; each stage's losses get their own panel.
 */
class ImageHelpersTest {
    @Test
    void regionsBecomeNamedRoisOnTheirSliceAndAreAppendedNeverReplacingTheUsersRois() {
        List<ConnectedComponents.Region> regions = List.of(
                new ConnectedComponents.Region(1, 2, 3, 4, 5, 12, 0.9f, 4, 5),
                new ConnectedComponents.Region(2, 10, 11, 2, 2, 4, 0.7f, 11, 12));
        List<Roi> rois = AnomalyRois.of(regions, 3);
        assertEquals("3:1", rois.get(0).getName());
        assertEquals("3:2", rois.get(1).getName());
        assertEquals(3, rois.get(0).getPosition());
        assertEquals(new Rectangle(2, 3, 4, 5), rois.get(0).getBounds());

        List<Roi> manager = new ArrayList<>();
        Roi users = new Roi(0, 0, 1, 1);
        users.setName("mine");
        manager.add(users);
        assertEquals(2, AnomalyRois.addAll(rois, manager::add));
        assertEquals(3, manager.size());
        assertEquals("mine", manager.get(0).getName());
    }

    @Test
    void overlayLeavesWhatIsFarBelowTheThresholdUntintedAndColoursWhatNearsOrPassesIt() {
        int w = 64;
        int h = 48;
        float[] grey = new float[w * h];
        java.util.Arrays.fill(grey, 100);
        FloatImage in = new FloatImage(w, h, 1, grey, 8, "in", new Calibration(2, 2, "um"));
        double threshold = 0.2;
        float[] heat = new float[w * h];
        java.util.Arrays.fill(heat, (float) (0.45 * threshold));
        heat[5] = 0;
        heat[w * 30 + 10] = (float) threshold;
        heat[w * 30 + 20] = (float) (2 * threshold);
        ImagePlus ov = HeatmapImages.overlay(List.of(in), List.of(in.withData(1, heat)), "ov", 2 * threshold,
                threshold, "scale\n");
        int[] px = (int[]) ov.getProcessor().getPixels();
        int plain = 0xff646464;
        assertEquals(plain, px[5], "no heat: the input grey");
        assertEquals(plain, px[w * 40 + 5], "below half the threshold: still the input grey, not a tint");
        assertNotEquals(plain, px[w * 30 + 10], "at the threshold the heat shows");
        assertTrue(distance(px[w * 30 + 20], plain) > distance(px[w * 30 + 10], plain),
                "hotter pixels are more opaque");
        assertEquals(2, ov.getCalibration().pixelWidth, 0);
        assertTrue(((String) ov.getProperty("Info")).startsWith("scale"), "the caller's scale text is kept");
    }

    @Test
    void heatmapShowsItsScaleWithACalibrationBarTheInfoAndProperties() {
        float[] m = new float[64 * 48];
        m[100] = 3;
        String info = "UTAD anomaly map, test scale\n";
        ImagePlus h = HeatmapImages.heatmap(List.of(FloatImage.of(64, 48, 1, m)), "h", 0.8, 0.4, info);
        assertEquals(0.8, h.getDisplayRangeMax(), 1e-6, "ImageJ keeps display ranges as floats");
        assertEquals(3, h.getProcessor().getf(100), 0, "the values themselves are kept, not rescaled");
        assertEquals(info, h.getProperty("Info"));
        assertEquals(0.4, h.getNumericProp(HeatmapImages.PIXEL_THRESHOLD_PROPERTY), 1e-9);
        assertEquals(0.8, h.getNumericProp(HeatmapImages.DISPLAY_MAX_PROPERTY), 1e-9);
        assertTrue(barLabels(h).contains("0.400"), "a small image names at least the threshold: " + barLabels(h));
        ImagePlus large = HeatmapImages.heatmap(List.of(FloatImage.of(256, 192, 1, new float[256 * 192])), "l", 0.8,
                0.4, info);
        assertTrue(barLabels(large).containsAll(List.of("0.800", "threshold 0.400", "0")), barLabels(large).toString());

        ImagePlus none = HeatmapImages.heatmap(List.of(FloatImage.of(64, 48, 1, m)), "n", 3, Double.NaN, info);
        assertTrue(Double.isNaN(none.getNumericProp(HeatmapImages.PIXEL_THRESHOLD_PROPERTY)));
        assertEquals(3, HeatmapImages.largest(List.of(FloatImage.of(64, 48, 1, m))), 0);
    }

    /** The labels of a heatmap's calibration bar, after checking that the bar and they lie inside the image. */
    private static List<String> barLabels(ImagePlus imp) {
        List<String> texts = new ArrayList<>();
        boolean bar = false;
        for (Roi r : imp.getOverlay().toArray()) {
            bar |= r instanceof ImageRoi;
            if (r instanceof TextRoi) {
                texts.add(((TextRoi) r).getText().trim());
            }
            assertTrue(new Rectangle(0, 0, imp.getWidth(), imp.getHeight()).contains(r.getBounds()),
                    r + " lies outside the image");
        }
        assertTrue(bar, "no colour bar");
        return texts;
    }

    private static double distance(int a, int b) {
        double dr = (a >> 16 & 0xff) - (b >> 16 & 0xff);
        double dg = (a >> 8 & 0xff) - (b >> 8 & 0xff);
        double db = (a & 0xff) - (b & 0xff);
        return Math.sqrt(dr * dr + dg * dg + db * db);
    }

    @Test
    void eachStageGetsItsOwnPanelSoStageTwosScaleCannotFlattenStageOne() {
        List<HistoryPoint> history = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            history.add(new HistoryPoint(1, i, Map.of("recon", 0.02 - 0.0002 * i), i % 10 == 0 ? 0.015 : Double.NaN));
        }
        for (int i = 1; i <= 30; i++) {
            history.add(new HistoryPoint(2, i, Map.of("recon", 100.0 - i), Double.NaN));
        }
        List<LossPlot.Panel> panels = TrainJob.panels(history);
        assertEquals(2, panels.size());
        assertEquals(50, panels.get(0).series().get(0).x().length);
        assertEquals(5, panels.get(0).series().get(1).x().length, "validation only where measured");
        assertEquals(1, panels.get(1).series().get(0).x()[0], 0, "stage 2 counts its own iterations");

        ImagePlus plot = LossPlot.image("losses", panels);
        int half = plot.getHeight() / 2;
        int top = 0;
        int bottom = 0;
        for (int y = 0; y < plot.getHeight(); y++) {
            for (int x = 0; x < plot.getWidth(); x++) {
                int c = plot.getProcessor().getPixel(x, y);
                if ((c & 0xff) > 180 && (c >> 16 & 0xff) < 90 && (c >> 8 & 0xff) < 90) {
                    if (y < half) {
                        top++;
                    } else {
                        bottom++;
                    }
                    break;
                }
            }
        }
        assertTrue(top > 0.4 * half, "stage 1's curve spans only " + top + " of " + half + " rows");
        assertTrue(bottom > 0.4 * half, "stage 2's curve spans only " + bottom + " of " + half + " rows");
    }
}
