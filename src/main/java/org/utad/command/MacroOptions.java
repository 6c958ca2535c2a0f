package org.utad.command;

import ij.gui.GenericDialog;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.utad.core.InvalidInputException;

/**
 * The options of one ImageJ 1.x twin call, read from the macro options string (or from a dialog
 * when run from the menu) against the command's documented keys in {@link Options}.
 *
 * <p>The string is read as ImageJ writes it: {@code key=value}, {@code key=[value with spaces]}, and
 * bare {@code key} for a flag that is on. Unknown keys are reported as warnings (a typo would
 * otherwise be silently ignored), missing required keys fail with a message that names them, and
 * values are checked when read.
 */
public final class MacroOptions {
    private final Map<String, String> values;
    private final List<Options.Spec> specs;

    private MacroOptions(Map<String, String> values, List<Options.Spec> specs) {
        this.values = values;
        this.specs = specs;
    }

    /**
     * Reads a macro options string.
     *
     * @param options the string from {@code Macro.getOptions()}; null or blank means none given
     * @param specs   the command's options
     * @param command the command's label, for messages
     * @param log     receives a warning per unknown key
     * @return the options, with defaults for those not given
     * @throws InvalidInputException if a required key is missing or the string is malformed
     */
    public static MacroOptions parse(String options, List<Options.Spec> specs, String command, UserLog log) {
        Map<String, String> given = tokenize(options == null ? "" : options);
        Map<String, String> values = new LinkedHashMap<>();
        List<String> known = new ArrayList<>();
        for (Options.Spec s : specs) {
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
        return complete(values, specs, command);
    }

    /**
     * Asks for the options in an ImageJ dialog, one field per key (labelled with the key, so that the
     * macro recorder writes the same keys a macro must use).
     *
     * @param title the dialog's title
     * @param specs the command's options
     * @return the options, or null when the user cancelled
     * @throws InvalidInputException if a required option was left empty
     */
    public static MacroOptions ask(String title, List<Options.Spec> specs) {
        GenericDialog gd = new GenericDialog(title);
        for (Options.Spec s : specs) {
            switch (s.kind()) {
                case FILE:
                    gd.addFileField(s.key(), s.fallback());
                    break;
                case FOLDER:
                    gd.addDirectoryField(s.key(), s.fallback());
                    break;
                case CHOICE:
                    gd.addChoice(s.key(), s.choices().toArray(new String[0]), s.fallback());
                    break;
                case INT:
                case NUMBER:
                    gd.addStringField(s.key(), s.fallback(), 8);
                    break;
                case FLAG:
                    gd.addCheckbox(s.key(), Boolean.parseBoolean(s.fallback()));
                    break;
                default:
                    gd.addStringField(s.key(), s.fallback(), 30);
            }
            gd.addToSameRow();
            gd.addMessage(s.help());
        }
        gd.showDialog();
        if (gd.wasCanceled()) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Options.Spec s : specs) {
            String v;
            switch (s.kind()) {
                case CHOICE:
                    v = gd.getNextChoice();
                    break;
                case FLAG:
                    v = Boolean.toString(gd.getNextBoolean());
                    break;
                default:
                    v = gd.getNextString();
            }
            if (!v.isBlank()) {
                values.put(s.key(), v.trim());
            }
        }
        return complete(values, specs, title);
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
        String v = Options.word(text(key));
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
        String v = Options.word(text(key));
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

    private static MacroOptions complete(Map<String, String> values, List<Options.Spec> specs, String command) {
        List<String> missing = new ArrayList<>();
        for (Options.Spec s : specs) {
            if (s.required() && (!values.containsKey(s.key()) || values.get(s.key()).isBlank())) {
                missing.add(s.key() + " (" + s.help() + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidInputException(command + " needs the option" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing) + ". See docs/MACROS.md for every key.");
        }
        return new MacroOptions(values, specs);
    }

    private Options.Spec spec(String key) {
        for (Options.Spec s : specs) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("No option " + key + " in this command.");
    }
}
