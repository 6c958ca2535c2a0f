package org.utad.command;

import java.io.File;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.utad.config.UserOptions;

/**
 * Plugins &gt; UTAD &gt; Model Info: writes a model file's description to the log and returns it, so
 * a user can check what a model expects before running it.
 */
@Plugin(type = Command.class, menuPath = "Plugins>UTAD>Model Info")
public class ModelInfoCommand extends UtadCommand {
    @Parameter(label = "Model file", style = FileWidget.OPEN_STYLE, description = UserOptions.HELP_MODEL_INFO)
    private File model;

    @Parameter(type = ItemIO.OUTPUT, label = "Model description")
    private String info;

    @Override
    public void run() {
        execute("Model Info", (log, progress, cancel) -> {
            info = InfoJobs.model(model);
            log.info(info);
        });
    }
}
