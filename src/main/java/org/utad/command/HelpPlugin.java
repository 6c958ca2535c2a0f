package org.utad.command;

import ij.plugin.PlugIn;

/**
 * Plugins &gt; UTAD &gt; UTAD Help (IJ1): the ImageJ 1.x twin of {@link HelpCommand}, so that a plain
 * ImageJ, which does not load SciJava commands, has the help of every UTAD command in its menu too.
 */
public class HelpPlugin implements PlugIn {
    /** The menu label. */
    public static final String LABEL = "UTAD Help (IJ1)";

    @Override
    public void run(String arg) {
        new HelpCommand().run();
    }
}
