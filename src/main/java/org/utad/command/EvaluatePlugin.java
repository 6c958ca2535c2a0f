package org.utad.command;

import ij.plugin.PlugIn;
import org.utad.api.Evaluate;

/**
 * Plugins &gt; UTAD &gt; Evaluate UTAD (IJ1): the ImageJ 1.x twin of {@link EvaluateCommand};
 * keys {@code model}, {@code data}, {@code output}, {@code method}, {@code conversion},
 * {@code device}, {@code overwrite}. Writes the summary to the log and, with a screen and outside
 * batch mode, shows the metrics table and the figures.
 */
public class EvaluatePlugin implements PlugIn {
    /** The menu label. */
    public static final String LABEL = "Evaluate UTAD (IJ1)";

    @Override
    public void run(String arg) {
        Ij1Runner.run(EvaluatePlugin.class, LABEL, DialogHelp.EVALUATE, Options.EVALUATE,
                (o, log, progress, cancel) -> {
                    Evaluate.Summary s = EvaluateJob.run(o.file(Options.MODEL), o.file(Options.DATA),
                            o.file(Options.OUTPUT), o.choice(Options.METHOD), o.choice(Options.CONVERSION),
                            o.choice(Options.DEVICE), o.text(Options.SETTINGS), o.flag(Options.OVERWRITE), progress,
                            cancel);
                    log.info(s.text());
                    EvaluateJob.show(s);
                });
    }
}
