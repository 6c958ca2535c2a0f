package org.utad.command;

import ij.plugin.PlugIn;
import org.utad.api.Evaluate;
import org.utad.config.UserOptions;

/**
 * Plugins &gt; UTAD &gt; Evaluate UTAD (IJ1): the ImageJ 1.x twin of {@link EvaluateCommand},
 * with the keys of {@link UserOptions#EVALUATE}. Writes the summary to the log and, with a screen and outside
 * batch mode, shows the metrics table and the figures.
 */
public class EvaluatePlugin implements PlugIn {
    /** The menu label. */
    public static final String LABEL = "Evaluate UTAD (IJ1)";

    @Override
    public void run(String arg) {
        Ij1Runner.run(EvaluatePlugin.class, LABEL, DialogHelp.EVALUATE, UserOptions.EVALUATE,
                (o, log, progress, cancel) -> {
                    Evaluate.Summary s = EvaluateJob.run(o.file(UserOptions.MODEL), o.file(UserOptions.DATA),
                            o.file(UserOptions.OUTPUT), o.choice(UserOptions.METHOD),
                            o.choice(UserOptions.CONVERSION), o.choice(UserOptions.DEVICE),
                            o.text(UserOptions.SETTINGS), o.flag(UserOptions.OVERWRITE), progress, cancel);
                    log.info(s.text());
                    EvaluateJob.show(s);
                });
    }
}
