package org.utad.config;

import java.util.List;

/**
 * One user-facing option of a command (train, detect, evaluate, info), as {@link UserOptions} lists
 * it: the one description from which the Fiji dialogs, the macro parser, the dialogs' help, the
 * command line and docs/MACROS.md take a setting's name, default, choices and meaning, so that they
 * cannot drift apart.
 *
 * @param key      the lower_snake_case name: the macro key, the SciJava field and {@code --key} on the
 *                 command line
 * @param type     what it takes
 * @param fallback its default as text ("" for none, "false" for a flag)
 * @param required whether a call must give it
 * @param choices  the accepted words of a {@link Type#CHOICE}, else empty
 * @param help     one line for dialogs, tooltips and docs
 * @param where    the front ends that offer it
 * @param aliases  older command-line spellings that still work (without the leading {@code --})
 */
public record OptionSpec(String key, Type type, String fallback, boolean required, List<String> choices,
                         String help, Where where, List<String> aliases) {

    /** The kinds of value an option takes, which decide how dialogs show it and parsers read it. */
    public enum Type {
        /** A free text. */
        TEXT,
        /** The path of an existing file to read. */
        FILE,
        /** The path of a file the command writes (the dialog offers a Save chooser for it). */
        NEW_FILE,
        /** A folder path. */
        FOLDER,
        /** One of a fixed list of words. */
        CHOICE,
        /** An integer. */
        INT,
        /** A decimal number. */
        NUMBER,
        /** A flag: present (or {@code =true}) means on. */
        FLAG
    }

    /** The front ends that offer an option: some only make sense on open images, some only in a terminal. */
    public enum Where {
        /** The Fiji commands, their macro twins and {@code bin/utad}. */
        EVERYWHERE,
        /** Only Fiji and macros (open images, windows, the ROI Manager). */
        FIJI,
        /** Only {@code bin/utad}. */
        CLI
    }

    /** @throws IllegalArgumentException if a choice lacks words or its default is not one of them */
    public OptionSpec {
        choices = List.copyOf(choices);
        aliases = List.copyOf(aliases);
        if (type == Type.CHOICE && !choices.contains(fallback)) {
            throw new IllegalArgumentException("Option " + key + ": default '" + fallback + "' is not one of "
                    + choices);
        }
    }

    /**
     * An option that every front end offers and that has no older spelling.
     *
     * @param key      the name
     * @param type     what it takes
     * @param fallback its default as text
     * @param required whether a call must give it
     * @param choices  the accepted words of a choice, else empty
     * @param help     one line for dialogs and docs
     * @return the option
     */
    public static OptionSpec of(String key, Type type, String fallback, boolean required, List<String> choices,
                                String help) {
        return new OptionSpec(key, type, fallback, required, choices, help, Where.EVERYWHERE, List.of());
    }

    /**
     * @param w the front ends that offer it
     * @return a copy offered only there
     */
    public OptionSpec only(Where w) {
        return new OptionSpec(key, type, fallback, required, choices, help, w, aliases);
    }

    /**
     * @param names older command-line spellings that keep working
     * @return a copy that accepts them
     */
    public OptionSpec alias(String... names) {
        return new OptionSpec(key, type, fallback, required, choices, help, where, List.of(names));
    }

    /** @return whether the Fiji commands and macros offer it */
    public boolean inFiji() {
        return where != Where.CLI;
    }

    /** @return whether {@code bin/utad} offers it */
    public boolean inCli() {
        return where != Where.FIJI;
    }

    /** @return "key=..." as a user would write it in a macro */
    public String example() {
        return type == Type.FLAG ? key : key + "=" + (fallback.isEmpty() ? "[...]" : fallback);
    }
}
