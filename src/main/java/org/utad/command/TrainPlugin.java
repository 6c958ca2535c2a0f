package org.utad.command;

import ij.plugin.PlugIn;
import org.utad.config.UserOptions;

/**
 * Plugins &gt; UTAD &gt; Train UTAD (IJ1): the ImageJ 1.x twin of {@link TrainModelCommand},
 * for macros in plain ImageJ, with the keys of {@link UserOptions#TRAIN}. The loss plot is shown as an
 * image and the summary goes to the log.
 */
public class TrainPlugin implements PlugIn {
    /** The menu label. */
    public static final String LABEL = "Train UTAD (IJ1)";

    @Override
    public void run(String arg) {
        Ij1Runner.run(TrainPlugin.class, LABEL, DialogHelp.TRAIN, UserOptions.TRAIN, (o, log, progress, cancel) -> {
            boolean folder = o.has(UserOptions.FOLDER);
            TrainJob.Result r = TrainJob.run(
                    TrainJob.request(o, folder ? null : Ij1Runner.image(o, UserOptions.IMAGES)), log, progress, cancel);
            r.lossPlot().show();
        });
    }
}
