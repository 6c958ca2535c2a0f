package org.utad.imagej;

import ij.gui.Roi;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.utad.core.ConnectedComponents;

/**
 * Turns the anomalous regions that detection found into ImageJ selections, and hands them to the
 * ROI Manager without disturbing what the user already has there.
 *
 * <p>Each region becomes a rectangle around it (its bounding box), named {@code "slice:region"}
 * (both 1-based) so it can be told apart from the user's own ROIs and from other slices' regions,
 * and tied to its slice so that it shows on that slice only.
 */
public final class AnomalyRois {
    private AnomalyRois() {
    }

    /**
     * Builds the selections of one slice's regions.
     *
     * @param regions the regions, in the order detection numbered them
     * @param slice   the 1-based slice (stack position) they belong to
     * @return one named rectangle per region, positioned on the slice
     */
    public static List<Roi> of(List<ConnectedComponents.Region> regions, int slice) {
        List<Roi> out = new ArrayList<>(regions.size());
        for (int k = 0; k < regions.size(); k++) {
            ConnectedComponents.Region r = regions.get(k);
            Roi roi = new Roi(r.x(), r.y(), r.width(), r.height());
            roi.setName(name(slice, k + 1));
            roi.setPosition(slice);
            roi.setProperty("utad_peak", String.format(Locale.ROOT, "%.6g", r.peak()));
            roi.setProperty("utad_area", Integer.toString(r.area()));
            out.add(roi);
        }
        return out;
    }

    /**
     * The name of a region's selection.
     *
     * @param slice  1-based slice
     * @param region 1-based region number within the slice
     * @return {@code "slice:region"}
     */
    public static String name(int slice, int region) {
        return slice + ":" + region;
    }

    /**
     * Adds selections one by one to a sink (normally the ROI Manager's add method). The sink is only
     * ever appended to: this class has no way to reset or clear it, by design.
     *
     * @param rois the selections
     * @param sink receives each selection in order
     * @return how many were added
     */
    public static int addAll(List<Roi> rois, Consumer<Roi> sink) {
        for (Roi roi : rois) {
            sink.accept(roi);
        }
        return rois.size();
    }
}
