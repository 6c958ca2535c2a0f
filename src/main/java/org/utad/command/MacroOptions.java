package org.utad.command;

import ij.gui.GenericDialog;
import ij.io.SaveDialog;
import ij.plugin.frame.Recorder;
import java.awt.Button;
import java.awt.Component;
import java.awt.TextField;
import java.awt.event.ActionListener;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.utad.config.OptionSpec;
import org.utad.config.UserOptions;
import org.utad.core.InvalidInputException;

/**
 * The options of one ImageJ 1.x twin call, read from the macro options string (or from a dialog
 * when run from the menu) against the command's keys in {@link UserOptions}: those of its options
 * that Fiji offers ({@link OptionSpec#inFiji()}); options of the command line only are unknown here.
 *
 * <p>The string is read as ImageJ writes it: {@code key=value}, {@code key=[value with spaces]}, and
 * bare {@code key} for a flag that is on. Unknown keys are reported as warnings (a typo would
 * otherwise be silently ignored), missing required keys fail with a message that names them, and
 * values are checked when read.
 */
public final class MacroOptions {
    /** The label of the button that opens a Save chooser next to a file the command writes. */
    static final String SAVE_BUTTON = "Save as...";
    /** The extension of model files, added by the Save chooser when the user leaves it out. */
    static final String MODEL_EXTENSION = ".utad";
    private static final int PATH_COLUMNS = 30;
    private final Map<String, String> values;
    private final List<OptionSpec> specs;
    private final boolean fromDialog;

    private MacroOptions(Map<String, String> values, List<OptionSpec> specs, boolean fromDialog) {
        this.values = values;
        this.specs = specs;
        this.fromDialog = fromDialog;
    }

    /**
     * Reads a macro options string.
     *
     * @param options the string from {@code Macro.getOptions()}; null or blank means none given
     * @param all     the command's options, of every front end
     * @param command the command's label, for messages
     * @param log     receives a warning per unknown key
     * @return the options, with defaults for those not given
     * @throws InvalidInputException if a required key is missing or the string is malformed
     */
    public static MacroOptions parse(String options, List<OptionSpec> all, String command, UserLog log) {
        List<OptionSpec> specs = UserOptions.fiji(all);
        Map<String, String> given = tokenize(options == null ? "" : options);
        Map<String, String> values = new LinkedHashMap<>();
        List<String> known = new ArrayList<>();
        for (OptionSpec s : specs) {
            known.add(s.key());
        }
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (!known.contains(e.getKey())) {
                log.warn(command + ": unknown option '" + e.getKey() + "' ignored; known options are "
                        + String.join(", ", known) + ".");
            } else {
                values.put(e.getKey(), e.getValue());
            }
        }
        return complete(values, specs, command, false);
    }

    /**
     * Asks for the options in an ImageJ dialog, one field per key (labelled with the key, so that the
     * macro recorder writes the same keys a macro must use), prefilled with the values last entered
     * in this dialog ({@link DialogMemory}). The dialog has a Help button that shows the command's
     * help page and a table of its keys ({@link DialogHelp}); a file the command writes gets a Save
     * chooser, since an Open chooser refuses a file that does not exist yet.
     *
     * @param title the dialog's title
     * @param page  the command's help page, also its name in the remembered values
     * @param all   the command's options, of every front end (the dialog shows Fiji's)
     * @return the options, or null when the user cancelled
     * @throws InvalidInputException if a required option was left empty (the entered values are
     *                               remembered first, so the dialog reopens as it was)
     */
    public static MacroOptions ask(String title, String page, List<OptionSpec> all) {
        List<OptionSpec> specs = UserOptions.fiji(all);
        GenericDialog gd = new GenericDialog(title);
        gd.addMessage("Each field name is also its macro key. Help explains every field.");
        for (OptionSpec s : specs) {
            String initial = DialogMemory.initial(page, s);
            switch (s.type()) {
                case FILE:
                    gd.addFileField(s.key(), initial, PATH_COLUMNS);
                    break;
                case NEW_FILE:
                    gd.addFileField(s.key(), initial, PATH_COLUMNS);
                    useSaveChooser(gd, s);
                    break;
                case FOLDER:
                    gd.addDirectoryField(s.key(), initial, PATH_COLUMNS);
                    break;
                case CHOICE:
                    gd.addChoice(s.key(), s.choices().toArray(new String[0]),
                            s.choices().contains(initial) ? initial : s.fallback());
                    break;
                case INT:
                case NUMBER:
                    gd.addStringField(s.key(), initial, 8);
                    break;
                case FLAG:
                    gd.addCheckbox(s.key(), Boolean.parseBoolean(initial));
                    break;
                default:
                    gd.addStringField(s.key(), initial, PATH_COLUMNS);
            }
        }
        gd.addHelp(DialogHelp.html(page, specs));
        gd.showDialog();
        if (gd.wasCanceled()) {
            return null;
        }
        Map<String, String> entered = new LinkedHashMap<>();
        for (OptionSpec s : specs) {
            switch (s.type()) {
                case CHOICE:
                    entered.put(s.key(), gd.getNextChoice());
                    break;
                case FLAG:
                    entered.put(s.key(), Boolean.toString(gd.getNextBoolean()));
                    break;
                default:
                    entered.put(s.key(), gd.getNextString().trim());
            }
        }
        DialogMemory.remember(page, specs, entered);
        Map<String, String> values = new LinkedHashMap<>();
        entered.forEach((k, v) -> {
            if (!v.isBlank()) {
                values.put(k, v);
            }
        });
        return complete(values, specs, title, true);
    }

    /**
     * Turns the Browse button of the file field just added into a Save chooser button. The field
     * keeps ImageJ's own layout (text and button in one panel, which fits the dialog), only the
     * chooser changes. Headless there is no button, and nothing to change.
     *
     * @param gd   the dialog
     * @param spec the option of that field
     */
    private static void useSaveChooser(GenericDialog gd, OptionSpec spec) {
        TextField field = (TextField) gd.getStringFields().lastElement();
        for (Component c : field.getParent().getComponents()) {
            if (c instanceof Button) {
                Button b = (Button) c;
                for (ActionListener l : b.getActionListeners()) {
                    b.removeActionListener(l);
                }
                b.setLabel(SAVE_BUTTON);
                b.addActionListener(e -> chooseNewFile(spec, field));
            }
        }
    }

    /**
     * Lets the user pick a file to write with the platform's Save chooser (ImageJ's
     * {@link SaveDialog}, which also asks before replacing a file) and puts the path into the field.
     * The chooser's own path recording is switched off (ImageJ switches it back on at the first
     * {@code getFileName}, hence one call): the macro recorder gets the path from the field, under
     * its key, and a second, unknown key would only draw a warning on replay.
     *
     * @param spec  the option
     * @param field its text field
     */
    private static void chooseNewFile(OptionSpec spec, TextField field) {
        File current = new File(field.getText().trim());
        String dir = current.getParent() == null ? null : current.getParent() + File.separator;
        String name = current.getName().isBlank() ? "normal" + MODEL_EXTENSION : current.getName();
        Recorder.disablePathRecording();
        SaveDialog sd = new SaveDialog("Write the " + spec.key() + " to", dir, name, MODEL_EXTENSION);
        String chosen = sd.getFileName();
        if (chosen != null) {
            field.setText(new File(sd.getDirectory(), chosen).getPath());
        }
    }

    /**
     * Tells whether a path option was left empty, which the commands read as "not given" (SciJava
     * file parameters default to an empty path so that macro replay never opens a chooser).
     *
     * @param f a file or folder option, possibly null
     * @return true when null or an empty path
     */
    public static boolean isUnset(File f) {
        return f == null || f.getPath().isBlank();
    }

    /** @return whether these options were entered in the dialog rather than given by a macro */
    public boolean fromDialog() {
        return fromDialog;
    }

    /**
     * @param key a key of the command
     * @return its text, the default when not given ("" when it has none)
     */
    public String text(String key) {
        return values.getOrDefault(key, spec(key).fallback());
    }

    /**
     * @param key a key of the command
     * @return whether the option was given (with any value)
     */
    public boolean has(String key) {
        return values.containsKey(key) && !values.get(key).isBlank();
    }

    /**
     * @param key a path option
     * @return the path, or an empty path when not given (read as "unset" by the jobs)
     */
    public File file(String key) {
        return new File(text(key));
    }

    /**
     * @param key a flag
     * @return true when given bare, or as {@code =true}
     * @throws IllegalArgumentException for a value other than true or false
     */
    public boolean flag(String key) {
        String v = UserOptions.word(text(key));
        if (v.equals("true") || v.isEmpty() && values.containsKey(key)) {
            return true;
        }
        if (v.equals("false") || v.isEmpty()) {
            return false;
        }
        throw new IllegalArgumentException("Option " + key + " is a flag: write it alone, or " + key
                + "=true / " + key + "=false, not '" + text(key) + "'.");
    }

    /**
     * @param key an integer option
     * @return its value
     * @throws IllegalArgumentException naming the key when it is not an integer
     */
    public long integer(String key) {
        try {
            return Long.parseLong(text(key).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Option " + key + " takes a whole number, got '" + text(key) + "'.", e);
        }
    }

    /**
     * @param key a number option
     * @return its value
     * @throws IllegalArgumentException naming the key when it is not a number
     */
    public double number(String key) {
        try {
            return Double.parseDouble(text(key).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Option " + key + " takes a number, got '" + text(key) + "'.", e);
        }
    }

    /**
     * @param key a choice option
     * @return the chosen word in lower case
     * @throws IllegalArgumentException listing the choices when the word is not one of them
     */
    public String choice(String key) {
        String v = UserOptions.word(text(key));
        if (!spec(key).choices().contains(v)) {
            throw new IllegalArgumentException("Option " + key + " takes one of " + spec(key).choices() + ", got '"
                    + text(key) + "'.");
        }
        return v;
    }

    /**
     * Splits an ImageJ options string into keys and values.
     *
     * @param options the string
     * @return key (lower case) to value ("" for a bare flag), in order
     * @throws InvalidInputException for an unclosed bracket
     */
    static Map<String, String> tokenize(String options) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = options.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(options.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && options.charAt(i) != '=' && !Character.isWhitespace(options.charAt(i))) {
                i++;
            }
            if (i == start) {
                break;
            }
            String key = options.substring(start, i).toLowerCase(Locale.ROOT);
            String value = "";
            if (i < n && options.charAt(i) == '=') {
                i++;
                if (i < n && options.charAt(i) == '[') {
                    int close = options.indexOf(']', i + 1);
                    if (close < 0) {
                        throw new InvalidInputException("Option " + key + " opens a '[' that is never closed.");
                    }
                    value = options.substring(i + 1, close);
                    i = close + 1;
                } else {
                    int s = i;
                    while (i < n && !Character.isWhitespace(options.charAt(i))) {
                        i++;
                    }
                    value = options.substring(s, i);
                }
            }
            out.put(key, value);
        }
        return out;
    }

    /**
     * Checks the required options and builds the result. A missing option is named the way the user
     * gave the others: as a field to fill in for the dialog, as {@code key=...} for a macro (whose
     * keys the dialog's Help button lists; the docs folder is not part of an install).
     */
    private static MacroOptions complete(Map<String, String> values, List<OptionSpec> specs, String command,
                                         boolean fromDialog) {
        List<String> missing = new ArrayList<>();
        for (OptionSpec s : specs) {
            if (s.required() && (!values.containsKey(s.key()) || values.get(s.key()).isBlank())) {
                missing.add(fromDialog ? s.key() + " (" + s.help() + ")" : s.example() + " (" + s.help() + ")");
            }
        }
        if (!missing.isEmpty()) {
            String list = String.join(", ", missing);
            throw new InvalidInputException(fromDialog
                    ? "Please fill in " + list + "."
                    : command + " needs the option" + (missing.size() > 1 ? "s " : " ") + list + " in the macro,"
                    + " e.g. run(\"" + command + "\", \"" + String.join(" ", examples(specs)) + "\"). The Help"
                    + " button of its dialog (run it from the Plugins menu) lists every key.");
        }
        return new MacroOptions(values, specs, fromDialog);
    }

    private static List<String> examples(List<OptionSpec> specs) {
        List<String> out = new ArrayList<>();
        for (OptionSpec s : specs) {
            if (s.required()) {
                out.add(s.example());
            }
        }
        return out;
    }

    private OptionSpec spec(String key) {
        for (OptionSpec s : specs) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("No option " + key + " in this command.");
    }
}
