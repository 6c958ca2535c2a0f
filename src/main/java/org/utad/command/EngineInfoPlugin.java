package org.utad.command;

import ij.plugin.PlugIn;
import java.util.List;

/**
 * Plugins &gt; UTAD &gt; UTAD Engine Info (IJ1): the ImageJ 1.x twin of {@link EngineInfoCommand};
 * takes no options. Writes the engine, Java and OS description to the log.
 */
public class EngineInfoPlugin implements PlugIn {
    /** The menu label. */
    public static final String LABEL = "UTAD Engine Info (IJ1)";

    @Override
    public void run(String arg) {
        Ij1Runner.run(EngineInfoPlugin.class, LABEL, DialogHelp.ENGINE_INFO, List.of(),
                (o, log, progress, cancel) -> log.info(InfoJobs.engine()));
    }
}
