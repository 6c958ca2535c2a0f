package org.utad.command;

import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.macro.Interpreter;
import java.util.List;
import org.utad.config.OptionSpec;
import org.utad.core.CancellationToken;
import org.utad.core.InvalidInputException;
import org.utad.engine.Engines;

/**
 * The frame every ImageJ 1.x twin runs in: it points the thread's context class loader at the
 * plugin's own (ImageJ loads plugins through its own loader, and DJL's engine lookup and SciJava's
 * plugin index both search the context loader), reads the options from the macro (or a dialog when
 * run from the menu with a screen), runs the shared job and reports a failure once, a library
 * missing from the install included (ImageJ itself would swallow that error without a word).
 *
 * <p>A failure ends the calling macro: in a session with a screen the error dialog aborts it; in
 * command-line batch mode the message goes to the log (standard output) and the running macro is
 * stopped quietly; a dialog there would hang a job that nobody watches.
 */
final class Ij1Runner {
    /** Seconds between two step reports in the log. */
    private static final double LOG_INTERVAL_SECONDS = 5;

    /** The work of one twin. */
    @FunctionalInterface
    interface Work {
        /**
         * Does the work.
         *
         * @param options  the parsed options
         * @param log      where to write lines for the user
         * @param progress the progress adapter
         * @param cancel   the job's cancellation token
         */
        void run(MacroOptions options, UserLog log, FijiProgress progress, CancellationToken cancel);
    }

    private Ij1Runner() {
    }

    /**
     * Runs a twin.
     *
     * @param plugin the twin's class, whose loader becomes the context loader
     * @param title  the twin's menu label, for messages and the dialog
     * @param page   its help page ({@link DialogHelp}), also its name in the remembered dialog values
     * @param specs  its options
     * @param work   the work
     */
    static void run(Class<?> plugin, String title, String page, List<OptionSpec> specs, Work work) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(plugin.getClassLoader());
        UserLog log = new IjLog();
        boolean interactive = ErrorReporter.isInteractive();
        CancellationToken cancel = new CancellationToken();
        FijiProgress progress = null;
        try {
            Engines.offline();
            MacroOptions options = read(Macro.getOptions(), interactive, title, page, specs, log);
            if (options == null) {
                return;
            }
            progress = new FijiProgress(log, cancel, () -> false, LOG_INTERVAL_SECONDS);
            work.run(options, log, progress, cancel);
        } catch (RuntimeException | LinkageError e) {
            new ErrorReporter(log, interactive).report(title, e);
            if (!interactive) {
                stopMacro(e);
            }
        } finally {
            if (progress != null) {
                progress.done();
            }
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * Reads a twin's options: from the macro's options string when a macro called it (explicit, never
     * mixed with values remembered from the dialog), else from the dialog when someone can answer
     * it, else the defaults.
     *
     * @param macro       the macro's options, null when the twin was run from the menu
     * @param interactive whether a dialog may be shown
     * @param title       the twin's label
     * @param page        its help page and name in the remembered values
     * @param specs       its options
     * @param log         receives warnings about unknown keys
     * @return the options, or null when the user cancelled the dialog
     */
    static MacroOptions read(String macro, boolean interactive, String title, String page,
                             List<OptionSpec> specs, UserLog log) {
        if (macro == null && interactive && !specs.isEmpty()) {
            return MacroOptions.ask(title, page, specs);
        }
        return MacroOptions.parse(macro, specs, title, log);
    }

    /**
     * Stops the macro that called the twin without a dialog: ImageJ swallows exceptions thrown by a
     * plugin, and {@code Macro.abort()} only stops macros on ImageJ's own macro threads, not on the
     * main thread of {@code ImageJ -batch}; an interpreter told to ignore errors ends silently.
     *
     * @param e the failure, already reported
     */
    private static void stopMacro(Throwable e) {
        Interpreter macro = Interpreter.getInstance();
        if (macro != null) {
            macro.setIgnoreErrors(true);
            macro.abort(ErrorReporter.messageOf(e));
        }
    }

    /**
     * Finds the image a twin works on: the open image with the given title, else the current image.
     *
     * @param options the options
     * @param key     the key naming the image
     * @return the image
     * @throws InvalidInputException if the titled image is not open, or no image is open
     */
    static ImagePlus image(MacroOptions options, String key) {
        if (options.has(key)) {
            ImagePlus imp = WindowManager.getImage(options.text(key));
            if (imp == null) {
                throw new InvalidInputException("No open image is titled '" + options.text(key) + "'"
                        + (options.fromDialog() ? ": leave the field empty to use the current image." : "."));
            }
            return imp;
        }
        ImagePlus imp = WindowManager.getCurrentImage();
        if (imp == null) {
            throw new InvalidInputException(options.fromDialog()
                    ? "No image is open: open an image or stack first, or choose a folder of images."
                    : "No image is open: open one first, or give " + key + "=[title] or folder=[path] in the macro.");
        }
        return imp;
    }
}
