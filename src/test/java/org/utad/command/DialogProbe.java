package org.utad.command;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.Prefs;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.gui.HTMLDialog;
import ij.macro.Interpreter;
import ij.plugin.frame.Recorder;
import ij.plugin.PlugIn;
import java.awt.Button;
import java.awt.Checkbox;
import java.awt.Choice;
import java.awt.Component;
import java.awt.Container;
import java.awt.Dialog;
import java.awt.EventQueue;
import java.awt.FileDialog;
import java.awt.GraphicsEnvironment;
import java.awt.Label;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.TextField;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.awt.event.ActionListener;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import javax.swing.JEditorPane;
import javax.swing.JFileChooser;
import org.utad.api.Evaluate;
import org.utad.imagej.EvaluationFiguresTest;
import org.utad.imagej.EvaluationWindows;

/**
 * Drives the twins' real dialogs on a screen (a virtual one in tests) the way a user would, and
 * prints what it sees as {@code FACT key=value} lines for {@link DialogsGuiTest} to judge: where
 * every component of each dialog lies, what the Help button shows, which chooser the model field of
 * training opens, what the training dialog holds after a failed run, which windows an evaluation
 * opens, and the Help menu entry's window.
 *
 * <p>Run as its own JVM (AWT cannot gain a display inside the test JVM, which runs headless), with
 * one argument: a scratch folder.
 */
final class DialogProbe {
    private static final long WAIT_MILLIS = 20_000;
    /** Positions of training's fields among the dialog's text fields (images, folder, model, ...). */
    private static final int MODEL_FIELD = 2;
    private static final int ITERATIONS1_FIELD = 4;

    private DialogProbe() {
    }

    /**
     * Runs every probe and prints the facts (or the stack trace of the probe that failed, for the
     * test to show), then exits.
     *
     * @param args the scratch folder
     */
    public static void main(String[] args) {
        File scratch = new File(args[0]);
        try {
            new ImageJ(ImageJ.NO_SHOW);
            Prefs.useJFileChooser = true;
            fact("headless", GraphicsEnvironment.isHeadless());
            layout("train", new TrainPlugin(), TrainPlugin.LABEL);
            layout("detect", new DetectPlugin(), DetectPlugin.LABEL);
            layout("evaluate", new EvaluatePlugin(), EvaluatePlugin.LABEL);
            layout("model_info", new ModelInfoPlugin(), ModelInfoPlugin.LABEL);
            help();
            saveChooser(new File(scratch, "chosen"));
            memory(new File(scratch, "remembered.utad"));
            evaluation(scratch.toPath());
            new HelpCommand().run();
            HTMLDialog all = (HTMLDialog) await(w -> w instanceof HTMLDialog && HelpCommand.TITLE.equals(((Dialog) w)
                    .getTitle()));
            fact("help_menu.lists_evaluate", find(all, JEditorPane.class).getText().contains("Evaluate UTAD"));
            fact("done", true);
        } catch (Throwable t) {
            t.printStackTrace(System.out);
        } finally {
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
    }

    /** Opens a twin's dialog, reports its geometry and buttons, and cancels it. */
    private static void layout(String name, PlugIn plugin, String title) throws Exception {
        Thread run = start(plugin);
        GenericDialog gd = (GenericDialog) await(w -> w instanceof GenericDialog && title.equals(((Dialog) w).getTitle()));
        List<String> outside = new ArrayList<>();
        List<String> squeezed = new ArrayList<>();
        EventQueue.invokeAndWait(() -> inspect(gd, gd, outside, squeezed));
        Rectangle screen = gd.getGraphicsConfiguration().getBounds();
        fact(name + ".size", gd.getWidth() + "x" + gd.getHeight());
        fact(name + ".on_screen", screen.contains(gd.getBounds()));
        fact(name + ".outside", outside.isEmpty() ? "none" : String.join(";", outside));
        fact(name + ".squeezed", squeezed.isEmpty() ? "none" : String.join(";", squeezed));
        fact(name + ".help_button", button(gd, "Help") != null);
        press(gd, gd.getButtons()[1]);
        run.join(WAIT_MILLIS);
        fact(name + ".closed", !run.isAlive());
    }

    /** Walks the components and notes those outside the dialog or narrower than they need. */
    private static void inspect(Window dialog, Container c, List<String> outside, List<String> squeezed) {
        Point origin = dialog.getLocationOnScreen();
        for (Component k : c.getComponents()) {
            if (!k.isVisible()) {
                continue;
            }
            Point p = k.getLocationOnScreen();
            Rectangle r = new Rectangle(p.x - origin.x, p.y - origin.y, k.getWidth(), k.getHeight());
            String what = describe(k);
            if (r.x < 0 || r.y < 0 || r.x + r.width > dialog.getWidth() || r.y + r.height > dialog.getHeight()) {
                outside.add(what + "@" + r.x + "," + r.y + "," + r.width + "x" + r.height);
            }
            boolean leaf = k instanceof Label || k instanceof TextField || k instanceof Button
                    || k instanceof Checkbox || k instanceof Choice;
            if (leaf && k.getWidth() + 1 < k.getPreferredSize().width) {
                squeezed.add(what + " " + k.getWidth() + "<" + k.getPreferredSize().width);
            }
            if (k instanceof Container) {
                inspect(dialog, (Container) k, outside, squeezed);
            }
        }
    }

    /** Presses Help in the training dialog and reports what the help window says. */
    private static void help() throws Exception {
        Thread run = start(new TrainPlugin());
        GenericDialog gd = (GenericDialog) await(w -> w instanceof GenericDialog
                && TrainPlugin.LABEL.equals(((Dialog) w).getTitle()));
        Button help = button(gd, "Help");
        EventQueue.invokeLater(() -> fire(help));
        HTMLDialog shown = (HTMLDialog) await(w -> w instanceof HTMLDialog);
        AtomicReference<String> text = new AtomicReference<>("");
        EventQueue.invokeAndWait(() -> text.set(find(shown, JEditorPane.class).getText()));
        String t = text.get().replaceAll("\\s+", " ");
        fact("help.title", shown.getTitle());
        fact("help.mentions_resume", t.contains("resume"));
        fact("help.lists_iterations1", t.contains("iterations1"));
        fact("help.mentions_macros_md", t.contains("MACROS.md"));
        EventQueue.invokeAndWait(shown::dispose);
        press(gd, gd.getButtons()[1]);
        run.join(WAIT_MILLIS);
    }

    /** Presses the model field's chooser button in the training dialog and reports the chooser. */
    private static void saveChooser(File target) throws Exception {
        Thread run = start(new TrainPlugin());
        GenericDialog gd = (GenericDialog) await(w -> w instanceof GenericDialog
                && TrainPlugin.LABEL.equals(((Dialog) w).getTitle()));
        Button choose = button(gd, MacroOptions.SAVE_BUTTON);
        fact("chooser.button", choose != null);
        Recorder.record = true;
        Recorder.setCommand(TrainPlugin.LABEL);
        EventQueue.invokeLater(() -> fire(choose));
        Window w = await(x -> x instanceof FileDialog || find(x, JFileChooser.class) != null);
        if (w instanceof FileDialog) {
            fact("chooser.type", ((FileDialog) w).getMode() == FileDialog.SAVE ? "save" : "open");
            return;
        }
        JFileChooser chooser = find(w, JFileChooser.class);
        fact("chooser.type", chooser.getDialogType() == JFileChooser.SAVE_DIALOG ? "save"
                : chooser.getDialogType() == JFileChooser.OPEN_DIALOG ? "open" : "custom");
        EventQueue.invokeAndWait(() -> {
            chooser.setSelectedFile(target);
            chooser.approveSelection();
        });
        long end = System.currentTimeMillis() + WAIT_MILLIS;
        TextField model = field(gd, MODEL_FIELD);
        while (!model.getText().endsWith(".utad") && System.currentTimeMillis() < end) {
            Thread.sleep(50);
        }
        fact("chooser.model_field", model.getText());
        fact("chooser.recorded", Recorder.getCommandOptions());
        Recorder.record = false;
        press(gd, gd.getButtons()[1]);
        run.join(WAIT_MILLIS);
    }

    /**
     * Fills the training dialog, presses OK with no image open (so the run fails), and reopens it:
     * reports the error the user got and the values the dialog came back with.
     */
    private static void memory(File model) throws Exception {
        Thread run = start(new TrainPlugin());
        GenericDialog gd = (GenericDialog) await(w -> w instanceof GenericDialog
                && TrainPlugin.LABEL.equals(((Dialog) w).getTitle()));
        EventQueue.invokeAndWait(() -> {
            field(gd, MODEL_FIELD).setText(model.getPath());
            field(gd, ITERATIONS1_FIELD).setText("55");
            ((Choice) gd.getChoices().get(0)).select("balanced");
            ((Checkbox) gd.getCheckboxes().get(0)).setState(true);
        });
        press(gd, gd.getButtons()[0]);
        Window error = await(w -> w instanceof Dialog && !(w instanceof GenericDialog) && w.isShowing()
                && TrainPlugin.LABEL.equals(((Dialog) w).getTitle()));
        EventQueue.invokeAndWait(error::dispose);
        run.join(WAIT_MILLIS);
        String log = IJ.getLog() == null ? "" : IJ.getLog();
        String last = log.lines().filter(l -> l.contains("Error")).reduce("", (a, b) -> b);
        fact("memory.error", last);

        Thread again = start(new TrainPlugin());
        GenericDialog reopened = (GenericDialog) await(w -> w instanceof GenericDialog && w != gd
                && TrainPlugin.LABEL.equals(((Dialog) w).getTitle()));
        fact("memory.model", field(reopened, MODEL_FIELD).getText());
        fact("memory.iterations1", field(reopened, ITERATIONS1_FIELD).getText());
        fact("memory.preset", ((Choice) reopened.getChoices().get(0)).getSelectedItem());
        fact("memory.overwrite", ((Checkbox) reopened.getCheckboxes().get(0)).getState());
        press(reopened, reopened.getButtons()[1]);
        again.join(WAIT_MILLIS);
    }

    /** Shows an evaluation as Evaluate does on a screen, and in batch mode, and reports the windows. */
    private static void evaluation(Path scratch) throws Exception {
        Path data = scratch.resolve("labelled");
        EvaluationFiguresTest.writeDataset(data);
        Evaluate.Summary s = EvaluationFiguresTest.evaluate(data, scratch.resolve("evaluation"),
                EvaluationFiguresTest::selfScore, false);
        Interpreter.batchMode = true;
        fact("evaluate_batch.figures", EvaluateJob.show(s).size());
        Interpreter.batchMode = false;
        int before = WindowManager.getImageCount();
        List<ImagePlus> shown = EvaluateJob.show(s);
        Thread.sleep(500);
        fact("evaluate_screen.figures", shown.size());
        fact("evaluate_screen.windows", WindowManager.getImageCount() - before);
        fact("evaluate_screen.visible", shown.stream().allMatch(i -> i.getWindow() != null && i.getWindow().isShowing()));
        fact("evaluate_screen.table", WindowManager.getWindow(EvaluationWindows.TABLE_TITLE) != null);
    }

    private static Thread start(PlugIn plugin) {
        Thread t = new Thread(() -> plugin.run(""), "probe-" + plugin.getClass().getSimpleName());
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Window await(Predicate<Window> which) throws InterruptedException {
        long end = System.currentTimeMillis() + WAIT_MILLIS;
        while (System.currentTimeMillis() < end) {
            for (Window w : Window.getWindows()) {
                if (w.isShowing() && which.test(w)) {
                    Thread.sleep(300);
                    return w;
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("No such window appeared within " + WAIT_MILLIS + " ms");
    }

    private static TextField field(GenericDialog gd, int index) {
        return (TextField) gd.getStringFields().get(index);
    }

    private static Button button(Container c, String label) {
        for (Component k : c.getComponents()) {
            if (k instanceof Button && label.equals(((Button) k).getLabel())) {
                return (Button) k;
            }
            if (k instanceof Container) {
                Button b = button((Container) k, label);
                if (b != null) {
                    return b;
                }
            }
        }
        return null;
    }

    private static <T> T find(Container c, Class<T> type) {
        for (Component k : c.getComponents()) {
            if (type.isInstance(k)) {
                return type.cast(k);
            }
            if (k instanceof Container) {
                T t = find((Container) k, type);
                if (t != null) {
                    return t;
                }
            }
        }
        return null;
    }

    private static void press(GenericDialog gd, Button b) throws Exception {
        EventQueue.invokeAndWait(() -> gd.actionPerformed(new ActionEvent(b, ActionEvent.ACTION_PERFORMED,
                b.getLabel())));
    }

    private static void fire(Button b) {
        for (ActionListener l : b.getActionListeners()) {
            l.actionPerformed(new ActionEvent(b, ActionEvent.ACTION_PERFORMED, b.getLabel()));
        }
    }

    private static String describe(Component k) {
        String label = k instanceof Label ? ((Label) k).getText() : k instanceof Button ? ((Button) k).getLabel()
                : k instanceof Checkbox ? ((Checkbox) k).getLabel() : "";
        return k.getClass().getSimpleName() + (label == null || label.isEmpty() ? "" : "[" + label + "]");
    }

    private static void fact(String key, Object value) {
        System.out.println("FACT " + key + "=" + String.valueOf(value).replace('\n', ' '));
        System.out.flush();
    }
}
