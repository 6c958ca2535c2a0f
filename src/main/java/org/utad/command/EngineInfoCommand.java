package org.utad.command;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins &gt; UTAD &gt; Engine Info: writes which DJL/PyTorch engine and device are in use, and the
 * Java and OS facts that matter for it, to the log, for checking an installation.
 */
@Plugin(type = Command.class, menuPath = "Plugins>UTAD>Engine Info")
public class EngineInfoCommand extends UtadCommand {
    @Parameter(type = ItemIO.OUTPUT, label = "Engine description")
    private String info;

    @Override
    public void run() {
        execute("Engine Info", (log, progress, cancel) -> {
            info = InfoJobs.engine();
            log.info(info);
        });
    }
}
