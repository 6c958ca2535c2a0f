package org.utad.command;

import ij.plugin.PlugIn;
import org.utad.config.UserOptions;

/**
 * Plugins &gt; UTAD &gt; UTAD Model Info (IJ1): the ImageJ 1.x twin of {@link ModelInfoCommand};
 * key {@code model}. Writes the description to the log.
 */
public class ModelInfoPlugin implements PlugIn {
    /** The menu label. */
    public static final String LABEL = "UTAD Model Info (IJ1)";

    @Override
    public void run(String arg) {
        Ij1Runner.run(ModelInfoPlugin.class, LABEL, DialogHelp.MODEL_INFO, UserOptions.INFO,
                (o, log, progress, cancel) -> log.info(InfoJobs.model(o.file(UserOptions.MODEL))));
    }
}
