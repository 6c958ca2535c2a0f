package org.utad.install;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.Menus;
import ij.WindowManager;
import ij.measure.ResultsTable;
import ij.plugin.FolderOpener;
import java.awt.Button;
import java.awt.Component;
import java.awt.Container;
import java.awt.Dialog;
import java.awt.EventQueue;
import java.awt.Frame;
import java.awt.Menu;
import java.awt.MenuBar;
import java.awt.MenuItem;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.awt.event.ActionListener;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Drives a real ImageJ 1.x session the way a user does, for {@code InstallIT}: it starts ImageJ with
 * its window (not in batch mode), runs UTAD's commands by their menu labels, answers or photographs
 * the dialogs they open, and writes what a user would see (the Plugins &gt; UTAD menu, the Log, the
 * open windows, the results table) into a report that the test reads. Screenshots come from the X
 * display through {@link Robot}, so they show what was really on screen.
 *
 * <p>It runs in the ImageJ JVM next to ij.jar, not in the plugin's class loader, so it may use only
 * ImageJ and the JDK: the plugin is reached through ImageJ's menus alone, as a user reaches it.
 * Its settings are system properties {@code utad.session.*}, see {@link #main}.
 */
public final class ImageJSession {
    /** Seconds to wait for a dialog or window to appear. */
    private static final int WAIT_SECONDS = 60;
    private static final String TRAIN = "Train UTAD (IJ1)";
    private static final String DETECT = "Detect UTAD (IJ1)";
    private static final String ENGINE = "UTAD Engine Info (IJ1)";
    private static final String EVALUATE = "Evaluate UTAD (IJ1)";
    private static final String TABLE = "UTAD Results";

    private final List<String> report = new ArrayList<>();
    private final Path reportFile;
    private final Path shots;

    private ImageJSession(Path reportFile, Path shots) {
        this.reportFile = reportFile;
        this.shots = shots;
    }

    /**
     * Starts ImageJ and runs one flow, then exits the JVM (0 when the flow ran to its end, 1 when
     * the driver itself failed; the report says what happened either way).
     *
     * <p>System properties: {@code utad.session.report} the report file; {@code utad.session.flow}
     * "full" (menu, Engine Info, the Train dialog, Train, Detect, Evaluate) or "engine" (Engine Info
     * only, answering an error dialog if one opens); {@code utad.session.shots} a folder for
     * screenshots, or empty for none; for "full": {@code .train} a folder of normal images,
     * {@code .image} an image to examine, {@code .model} the model file to write, {@code .train_options}
     * the Train options beyond images and model, {@code .eval} a dataset for Evaluate (empty: skip).
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        ImageJSession s = new ImageJSession(Path.of(System.getProperty("utad.session.report")),
                System.getProperty("utad.session.shots", "").isEmpty() ? null
                        : Path.of(System.getProperty("utad.session.shots")));
        int code = 0;
        try {
            s.start();
            if ("engine".equals(System.getProperty("utad.session.flow"))) {
                s.engineInfoAnsweringErrors();
            } else {
                s.full();
            }
            s.note("done");
        } catch (Throwable e) {
            StringWriter w = new StringWriter();
            e.printStackTrace(new PrintWriter(w));
            s.note("driver-error " + w.toString().replace('\n', '|'));
            code = 1;
        }
        s.finish();
        System.exit(code);
    }

    private void start() throws Exception {
        new ImageJ();
        waitFor(() -> IJ.getInstance() != null && IJ.getInstance().isShowing() && Menus.getCommands() != null,
                "the ImageJ window");
        IJ.getInstance().setLocation(0, 0);
        note("menu " + String.join("|", utadMenu()));
        note("command " + TRAIN + " = " + Menus.getCommands().get(TRAIN));
    }

    /** The labels of the items of Plugins &gt; UTAD, submenus marked with a trailing '&gt;'. */
    private static List<String> utadMenu() {
        List<String> out = new ArrayList<>();
        MenuBar bar = Menus.getMenuBar();
        for (int i = 0; i < bar.getMenuCount(); i++) {
            Menu m = bar.getMenu(i);
            if (!"Plugins".equals(m.getLabel())) {
                continue;
            }
            for (int j = 0; j < m.getItemCount(); j++) {
                MenuItem item = m.getItem(j);
                if (item instanceof Menu utad && "UTAD".equals(item.getLabel())) {
                    for (int k = 0; k < utad.getItemCount(); k++) {
                        MenuItem sub = utad.getItem(k);
                        out.add(sub.getLabel() + (sub instanceof Menu ? ">" : ""));
                    }
                }
            }
        }
        return out;
    }

    private void full() throws Exception {
        IJ.run(ENGINE);
        note("engine-done");

        IJ.doCommand(TRAIN);
        Dialog dialog = waitForDialog(TRAIN);
        note("dialog " + TRAIN + " size=" + dialog.getWidth() + "x" + dialog.getHeight());
        shoot(dialog.getBounds(), "dialog.png");
        press(dialog, "Cancel");
        waitFor(() -> !dialog.isShowing(), "the closing of the Train dialog");
        note("dialog-closed " + !dialog.isShowing());

        ImagePlus normals = FolderOpener.open(System.getProperty("utad.session.train"));
        normals.setTitle("normals");
        normals.show();
        moveTo(normals.getWindow(), 900, 0);
        String model = System.getProperty("utad.session.model");
        long t0 = System.nanoTime();
        IJ.run(normals, TRAIN, "images=normals model=[" + model + "] "
                + System.getProperty("utad.session.train_options"));
        note("train-seconds " + (System.nanoTime() - t0) / 1e9);
        note("model-exists " + Files.isRegularFile(Path.of(model)));
        ImagePlus losses = WindowManager.getImage("UTAD losses - " + Path.of(model).getFileName());
        note("loss-plot " + (losses != null));
        if (losses != null) {
            placeAndShoot(losses, 0, 110, "loss-plot.png");
        }

        ImagePlus input = IJ.openImage(System.getProperty("utad.session.image"));
        input.show();
        t0 = System.nanoTime();
        IJ.run(input, DETECT, "image=[" + input.getTitle() + "] model=[" + model + "] device=cpu masks add_rois");
        note("detect-seconds " + (System.nanoTime() - t0) / 1e9);
        note("images " + String.join("|", titles(WindowManager.getImageTitles())));
        note("windows " + String.join("|", titles(WindowManager.getNonImageTitles())));
        ResultsTable rt = ResultsTable.getResultsTable(TABLE);
        if (rt != null) {
            note("table rows=" + rt.size() + " headings=" + String.join("|", rt.getHeadings())
                    + " label=" + (rt.size() > 0 ? rt.getLabel(0) : "") + " verdict="
                    + (rt.size() > 0 ? rt.getStringValue("verdict", 0) : ""));
        }
        String stem = input.getTitle().replaceFirst("\\.[^.]+$", "");
        shootDetection(input, WindowManager.getImage(stem + "_overlay"), WindowManager.getImage(stem + "_heatmap"));

        String eval = System.getProperty("utad.session.eval", "");
        if (!eval.isEmpty()) {
            Set<String> before = new LinkedHashSet<>(titles(WindowManager.getImageTitles()));
            IJ.run(EVALUATE, "model=[" + model + "] data=[" + eval + "] output=[" + Path.of(eval).resolveSibling(
                    "evaluation") + "]");
            List<String> added = new ArrayList<>();
            for (String t : titles(WindowManager.getImageTitles())) {
                if (!before.contains(t)) {
                    added.add(t);
                }
            }
            note("evaluate-windows " + String.join("|", added));
            if (!added.isEmpty()) {
                placeAndShoot(WindowManager.getImage(added.get(0)), 0, 110, "evaluation.png");
            }
        }
    }

    /**
     * Runs Engine Info from the menu; if it answers with an error dialog (an incomplete install),
     * records and photographs the dialog and presses OK, as a user would.
     */
    private void engineInfoAnsweringErrors() throws Exception {
        IJ.doCommand(ENGINE);
        long end = System.nanoTime() + WAIT_SECONDS * 1_000_000_000L;
        while (System.nanoTime() < end && !finished(ENGINE)) {
            Dialog d = findDialog(ENGINE);
            if (d != null) {
                Thread.sleep(500);
                note("error-dialog " + ENGINE + " size=" + d.getWidth() + "x" + d.getHeight());
                shoot(d.getBounds(), "missing-library.png");
                press(d, "OK");
                waitFor(() -> !d.isShowing(), "the closing of the error dialog");
            }
            Thread.sleep(100);
        }
        note("engine-done " + finished(ENGINE));
    }

    /**
     * Tells whether a command started from the menu has ended: ImageJ runs it on a thread named
     * after it, which is gone once the command returns.
     */
    private static boolean finished(String command) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().contains(command)) {
                return false;
            }
        }
        return true;
    }

    /** Lays the input, overlay, heatmap, results table and Log out side by side and photographs them. */
    private void shootDetection(ImagePlus input, ImagePlus overlay, ImagePlus heatmap) throws Exception {
        int x = 0;
        Rectangle all = new Rectangle(0, 0, 0, 0);
        for (ImagePlus imp : new ImagePlus[] {input, overlay, heatmap}) {
            if (imp == null || imp.getWindow() == null) {
                continue;
            }
            IJ.run(imp, "Set... ", "zoom=200");
            Window w = imp.getWindow();
            moveTo(w, x, 110);
            x += w.getWidth() + 4;
            all = all.union(w.getBounds());
        }
        Frame table = WindowManager.getFrame(TABLE);
        if (table != null) {
            moveTo(table, 0, all.y + all.height + 4);
            table.setSize(Math.max(all.width, 520), 130);
            all = all.union(table.getBounds());
        }
        all = all.union(IJ.getInstance().getBounds());
        shoot(all, "detection.png");
    }

    private void placeAndShoot(ImagePlus imp, int x, int y, String name) throws Exception {
        moveTo(imp.getWindow(), x, y);
        shoot(imp.getWindow().getBounds(), name);
    }

    private static void moveTo(Window w, int x, int y) throws Exception {
        EventQueue.invokeAndWait(() -> {
            w.setLocation(x, y);
            w.toFront();
        });
    }

    private void shoot(Rectangle r, String name) throws Exception {
        if (shots == null) {
            return;
        }
        Thread.sleep(700);
        EventQueue.invokeAndWait(() -> {
        });
        BufferedImage img = new Robot().createScreenCapture(r);
        Files.createDirectories(shots);
        ImageIO.write(img, "png", shots.resolve(name).toFile());
        note("shot " + name + " " + img.getWidth() + "x" + img.getHeight());
    }

    /** Presses a dialog's button by calling its listeners on the event thread, as a click does. */
    private static void press(Dialog d, String label) throws Exception {
        Button b = findButton(d, label);
        if (b == null) {
            throw new IllegalStateException("no '" + label + "' button in the dialog " + d.getTitle());
        }
        EventQueue.invokeAndWait(() -> {
            for (ActionListener l : b.getActionListeners()) {
                l.actionPerformed(new ActionEvent(b, ActionEvent.ACTION_PERFORMED, label));
            }
        });
    }

    private static Button findButton(Container c, String label) {
        for (Component child : c.getComponents()) {
            if (child instanceof Button b && b.getLabel() != null && label.equals(b.getLabel().trim())) {
                return b;
            }
            if (child instanceof Container inner) {
                Button b = findButton(inner, label);
                if (b != null) {
                    return b;
                }
            }
        }
        return null;
    }

    private static Dialog waitForDialog(String title) throws InterruptedException {
        long end = System.nanoTime() + WAIT_SECONDS * 1_000_000_000L;
        while (System.nanoTime() < end) {
            Dialog d = findDialog(title);
            if (d != null) {
                Thread.sleep(500);
                return d;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no dialog titled '" + title + "' appeared in " + WAIT_SECONDS + " s");
    }

    private static Dialog findDialog(String title) {
        for (Window w : Window.getWindows()) {
            if (w instanceof Dialog d && d.isShowing() && title.equals(d.getTitle())) {
                return d;
            }
        }
        return null;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        long end = System.nanoTime() + WAIT_SECONDS * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException(what + " did not appear in " + WAIT_SECONDS + " s");
            }
            Thread.sleep(100);
        }
    }

    private static List<String> titles(String[] titles) {
        return titles == null ? List.of() : Arrays.asList(titles);
    }

    private void note(String line) {
        report.add(line);
    }

    /** Writes the report, the Log's text last, between "log-begin" and "log-end". */
    private void finish() {
        List<String> out = new ArrayList<>(report);
        out.add("log-begin");
        String log = IJ.getLog();
        out.add(log == null ? "" : log.stripTrailing());
        out.add("log-end");
        try {
            Files.write(reportFile, out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            e.printStackTrace();
        }
    }
}
