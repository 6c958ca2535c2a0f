package org.utad.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.gui.Roi;
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
 * their slice and are only ever appended to the manager; overlays keep grey where nothing is
 * anomalous; each stage's losses get their own panel.
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
    void overlayKeepsTheInputWhereTheMapIsZeroAndColoursWhereItIsHot() {
        float[] grey = new float[16];
        java.util.Arrays.fill(grey, 100);
        FloatImage in = new FloatImage(4, 4, 1, grey, 8, "in", new Calibration(2, 2, "um"));
        float[] heat = new float[16];
        heat[5] = 1;
        ImagePlus ov = HeatmapImages.overlay(List.of(in), List.of(in.withData(1, heat)), "ov", 1);
        int[] px = (int[]) ov.getProcessor().getPixels();
        assertEquals(0xff646464, px[0], "no heat: the input grey");
        assertNotEquals(px[0], px[5]);
        assertEquals(2, ov.getCalibration().pixelWidth, 0);
    }

    @Test
    void heatmapOfAnUncalibratedModelShowsZeroToMax() {
        float[] m = {0, 1, 2, 3};
        ImagePlus h = HeatmapImages.heatmap(List.of(FloatImage.of(2, 2, 1, m)), "h", false);
        assertEquals(3, h.getDisplayRangeMax(), 1e-6);
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
