package org.utad.command;

import java.io.File;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.utad.api.Evaluate;

/**
 * Plugins &gt; UTAD &gt; Evaluate: measures a model on a labelled dataset in the MVTec-AD layout
 * (image AUROC, pixel AUROC, AUPRO, F1) and writes the tables and figures to a folder, so users can
 * check a model on their own annotated data before trusting it; with a screen it also shows the
 * metrics table and the figures.
 */
@Plugin(type = Command.class, menuPath = "Plugins>UTAD>Evaluate")
public class EvaluateCommand extends UtadCommand {
    @Parameter(label = "Model file", style = FileWidget.OPEN_STYLE, description = Options.HELP_MODEL_EVALUATE)
    private File model = new File("");

    @Parameter(label = "Dataset folder (MVTec-AD layout)", style = FileWidget.DIRECTORY_STYLE,
            description = Options.HELP_DATA)
    private File data = new File("");

    @Parameter(label = "Output folder", style = FileWidget.DIRECTORY_STYLE, description = Options.HELP_OUTPUT_EVALUATE)
    private File output = new File("");

    @Parameter(label = "Method", choices = {"utad", "baseline", "expert"}, description = Options.HELP_METHOD)
    private String method = Options.METHOD_UTAD;

    @Parameter(label = "Colour conversion", choices = {"none", "auto"}, description = Options.HELP_CONVERSION)
    private String conversion = Options.CONVERSION_NONE;

    @Parameter(label = "Device", choices = {"auto", "cpu", "gpu"}, description = Options.HELP_DEVICE)
    private String device = Options.DEVICE_AUTO;

    @Parameter(label = "Overwrite existing tables", persist = false, description = Options.HELP_OVERWRITE_EVALUATE)
    private boolean overwrite;

    @Parameter(label = "Detection settings (detect.key=value ...)", required = false, persist = false,
            description = Options.HELP_SETTINGS_DETECT)
    private String settings = "";

    @Parameter(type = ItemIO.OUTPUT, label = "Evaluation")
    private String summary;

    @Override
    public void run() {
        execute("Evaluate", (log, progress, cancel) -> {
            Evaluate.Summary s = EvaluateJob.run(model, data, output, method, conversion, device, settings, overwrite,
                    progress, cancel);
            summary = s.text();
            log.info(summary);
            EvaluateJob.show(s);
        });
    }
}
