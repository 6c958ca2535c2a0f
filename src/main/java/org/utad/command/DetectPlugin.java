package org.utad.command;

import ij.ImagePlus;
import ij.plugin.PlugIn;
import org.utad.config.UserOptions;

/**
 * Plugins &gt; UTAD &gt; Detect UTAD (IJ1): the ImageJ 1.x twin of {@link DetectAnomaliesCommand},
 * with the keys of {@link UserOptions#DETECT}. Image input shows the overlay, mask and intermediate
 * stacks and then the heatmap, which is thus the current image when the macro continues; folder
 * input writes into the output folder. Both show the "UTAD Results" table.
 */
public class DetectPlugin implements PlugIn {
    /** The menu label. */
    public static final String LABEL = "Detect UTAD (IJ1)";

    @Override
    public void run(String arg) {
        Ij1Runner.run(DetectPlugin.class, LABEL, DialogHelp.DETECT, UserOptions.DETECT, (o, log, progress, cancel) -> {
            boolean folder = o.has(UserOptions.FOLDER);
            DetectJob.Request request = DetectJob.request(o, folder ? null : Ij1Runner.image(o, UserOptions.IMAGE));
            DetectJob.Result r = DetectJob.run(request, log, progress, cancel);
            for (ImagePlus imp : new ImagePlus[] {r.overlay(), r.mask(), r.impression(), r.expert(), r.variance(),
                    r.heatmap()}) {
                if (imp != null) {
                    imp.show();
                }
            }
            DetectJob.show(r.table());
            if (request.addRois()) {
                DetectJob.addToRoiManager(r.rois(), log);
            }
        });
    }
}
