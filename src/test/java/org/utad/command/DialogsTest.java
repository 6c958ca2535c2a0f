package org.utad.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.Prefs;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;
import org.scijava.service.Service;
import org.utad.config.OptionSpec;
import org.utad.config.UserOptions;
import org.utad.core.CancelledException;
import org.utad.core.InvalidInputException;

/**
 * What the twins' dialogs rest on, checked without a screen: the help shipped in the jar, the
 * remembered values (and that a macro never sees them), messages in macro language for macros, a
 * cancel reported as what it is, and the word when no region was found. The dialogs themselves are
 * checked on a virtual screen by {@link DialogsGuiTest}.
 */
class DialogsTest {
    private static final List<String> PAGES = List.of(DialogHelp.TRAIN, DialogHelp.DETECT, DialogHelp.EVALUATE,
            DialogHelp.MODEL_INFO, DialogHelp.ENGINE_INFO);

    @AfterEach
    void forget() {
        for (OptionSpec s : UserOptions.TRAIN) {
            Prefs.set(DialogMemory.key(DialogHelp.TRAIN, s.key()), null);
        }
    }

    @Test
    void everyHelpPageShipsInTheJarAndListsEveryKeyOfItsCommand() {
        Map<String, List<OptionSpec>> specs = Map.of(DialogHelp.TRAIN, UserOptions.TRAIN, DialogHelp.DETECT,
                UserOptions.DETECT, DialogHelp.EVALUATE, UserOptions.EVALUATE, DialogHelp.MODEL_INFO,
                UserOptions.INFO, DialogHelp.ENGINE_INFO, List.of());
        for (String page : PAGES) {
            String html = DialogHelp.html(page, specs.get(page));
            assertTrue(html.startsWith("<html>"), "GenericDialog.addHelp shows HTML only when it starts so");
            assertFalse(html.contains(DialogHelp.OPTIONS), page + ": placeholder left");
            assertFalse(html.contains("MACROS.md"), page + ": points at a file users do not have");
            for (OptionSpec s : specs.get(page)) {
                assertEquals(s.inFiji(), html.contains("<code>" + s.key() + "</code>"),
                        page + (s.inFiji() ? " lacks " : " lists the command line's ") + s.key());
            }
        }
        assertTrue(DialogHelp.html(DialogHelp.TRAIN, UserOptions.TRAIN).contains("resume"));
    }

    @Test
    void theHelpMenuEntryHoldsEveryPageAndRunsHeadless() throws Exception {
        String html = DialogHelp.all();
        for (String title : List.of("Train UTAD", "Detect UTAD", "Evaluate UTAD", "UTAD Model Info",
                "UTAD Engine Info")) {
            assertTrue(html.contains("<h2>" + title + "</h2>"), title + " missing");
        }
        assertTrue(html.startsWith("<html>") && !html.contains(DialogHelp.OPTIONS));
        Context context = new Context(CommandService.class);
        try {
            assertTrue(context.service(CommandService.class).run(HelpCommand.class, true).get().getOutputs().isEmpty(),
                    "no output, so Fiji opens no window with the page's source");
        } finally {
            context.dispose();
        }
    }

    @Test
    void everyFieldOfTheFijiDialogsCarriesTheSameHelpAsTheTwinAsItsTooltip() {
        Map<Class<?>, List<OptionSpec>> commands = Map.of(TrainModelCommand.class, UserOptions.TRAIN,
                DetectAnomaliesCommand.class, UserOptions.DETECT, EvaluateCommand.class, UserOptions.EVALUATE,
                ModelInfoCommand.class, UserOptions.INFO);
        commands.forEach((type, all) -> {
            List<OptionSpec> specs = UserOptions.fiji(all);
            int checked = 0;
            for (ModuleItem<?> item : new CommandInfo(type.getName()).inputs()) {
                if (Service.class.isAssignableFrom(item.getType()) || Context.class.equals(item.getType())) {
                    continue;
                }
                OptionSpec spec = specs.stream().filter(s -> s.key().equals(item.getName())).findFirst()
                        .orElseThrow(() -> new AssertionError(type.getSimpleName() + "." + item.getName()
                                + " is no documented key"));
                assertEquals(spec.help(), item.getDescription(), type.getSimpleName() + "." + item.getName());
                checked++;
            }
            assertEquals(specs.size(), checked, type.getSimpleName() + ": one field per key");
        });
    }

    @Test
    void dialogValuesAreRememberedButAMacroReadsOnlyWhatItSays() {
        DialogMemory.remember(DialogHelp.TRAIN, UserOptions.TRAIN, Map.of("model", "/data/last.utad", "preset",
                "balanced", "iterations1", "77", "overwrite", "true", "resume", "true"));
        OptionSpec model = spec("model");
        assertEquals("/data/last.utad", DialogMemory.initial(DialogHelp.TRAIN, model));
        assertEquals("77", DialogMemory.initial(DialogHelp.TRAIN, spec("iterations1")));
        assertEquals("false", DialogMemory.initial(DialogHelp.TRAIN, spec("overwrite")),
                "a one-off switch must be asked for every time");
        assertEquals("false", DialogMemory.initial(DialogHelp.TRAIN, spec("resume")));

        MacroOptions o = Ij1Runner.read("model=/m.utad", true, TrainPlugin.LABEL, DialogHelp.TRAIN,
                UserOptions.TRAIN, new MacroOptionsTest.Recorder());
        assertFalse(o.fromDialog());
        assertEquals("fast", o.choice("preset"), "a macro gets the documented default, not the remembered value");
        assertEquals(0, o.integer("iterations1"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Ij1Runner.read("", true,
                TrainPlugin.LABEL, DialogHelp.TRAIN, UserOptions.TRAIN, new MacroOptionsTest.Recorder()));
        assertTrue(e.getMessage().contains("model=[...]") && e.getMessage().contains("Help"), e.getMessage());
        assertFalse(e.getMessage().contains("MACROS.md"), e.getMessage());
    }

    @Test
    void aStopTheUserAskedForIsNoErrorAndSaysHowToGoOn() {
        MacroOptionsTest.Recorder log = new MacroOptionsTest.Recorder();
        new ErrorReporter(log, false).report(TrainPlugin.LABEL, new CancelledException("Training stopped in stage 1"
                + " at iteration 3; the checkpoint m.utad.checkpoint keeps that state. To continue, train again with"
                + " resume on."));
        assertEquals(1, log.lines.size());
        String line = log.lines.get(0);
        assertTrue(line.startsWith("info " + TrainPlugin.LABEL + " stopped, as you asked."), line);
        assertTrue(line.contains("resume"), line);
        assertFalse(line.toLowerCase().contains("error"), line);
    }

    /** A command whose work is stopped by its user, as Esc stops a training. */
    public static final class StoppedCommand extends UtadCommand {
        @Override
        public void run() {
            execute("Stopped", (log, progress, cancel) -> {
                throw new CancelledException("Training stopped in stage 1 at iteration 2; train again with resume.");
            });
        }
    }

    @Test
    void aStoppedSciJavaCommandEndsStoppedNotFailed() {
        Context context = new Context(CommandService.class);
        try {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> context.service(CommandService.class).run(StoppedCommand.class, true).get());
            Throwable cause = e.getCause();
            while (cause != null && !(cause instanceof CancelledException)) {
                cause = cause.getCause();
            }
            assertTrue(cause != null && cause.getMessage().startsWith("Training stopped"), String.valueOf(e));
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertFalse(String.valueOf(t.getMessage()).contains("failed"), "reported as a failure: " + t);
            }
        } finally {
            context.dispose();
        }
    }

    @Test
    void askingForRegionsWhenThereAreNoneSaysSo() {
        MacroOptionsTest.Recorder log = new MacroOptionsTest.Recorder();
        assertEquals(0, DetectJob.addToRoiManager(List.of(), log));
        assertEquals(List.of("info No anomalous region was found, so nothing was added to the ROI Manager."),
                log.lines);
    }

    private static OptionSpec spec(String key) {
        return UserOptions.TRAIN.stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
    }
}
