package org.utad.command;

import ij.IJ;
import ij.gui.HTMLDialog;
import java.awt.GraphicsEnvironment;
import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/**
 * Plugins &gt; UTAD &gt; Help: shows the help of every UTAD command in one window (the pages behind the
 * twins' Help buttons, shipped inside the plugin jar), so a Fiji user finds what each command does,
 * what its fields mean and how to resume a stopped training without any file of the source tree.
 * It has no output, so Fiji opens no extra window with the page's source.
 */
@Plugin(type = Command.class, menuPath = "Plugins>UTAD>Help")
public class HelpCommand implements Command {
    /** The window's title. */
    static final String TITLE = "UTAD Help";

    @Override
    public void run() {
        if (GraphicsEnvironment.isHeadless()) {
            IJ.log(IjLog.PREFIX + "Help needs a screen; run Plugins > UTAD > Help in Fiji.");
            return;
        }
        new HTMLDialog(TITLE, DialogHelp.all(), false);
    }
}
