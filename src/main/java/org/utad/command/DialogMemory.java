package org.utad.command;

import ij.Prefs;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.utad.config.OptionSpec;
import org.utad.config.UserOptions;

/**
 * Remembers what a user last entered in a twin's dialog, in ImageJ's preferences (kept across
 * sessions in IJ_Prefs.txt), so that after a cancelled or failed run the dialog reopens as it was
 * left instead of blank. Only the interactive dialog reads and writes it: a macro call is read from
 * its own options string alone, so a macro replays exactly what it says whatever was typed before.
 *
 * <p>Not remembered: the one-off switches {@code overwrite} and {@code resume}, which would act on
 * the next run without being asked for, the title of an open image (the window is gone next time)
 * and a cluster shard.
 */
final class DialogMemory {
    /** The prefix of every key in ImageJ's preferences. */
    static final String PREFIX = "utad.dialog.";
    private static final Set<String> FORGOTTEN = Set.of(UserOptions.OVERWRITE, UserOptions.RESUME, UserOptions.IMAGE,
            UserOptions.IMAGES, UserOptions.SHARD);

    private DialogMemory() {
    }

    /**
     * @param spec an option
     * @return whether its last value is remembered
     */
    static boolean remembers(OptionSpec spec) {
        return !FORGOTTEN.contains(spec.key());
    }

    /**
     * The value a dialog field starts with: the last one entered in this command's dialog, else the
     * option's default.
     *
     * @param page the command's name in the preferences (its help page name)
     * @param spec the option
     * @return the initial text ("true"/"false" for flags)
     */
    static String initial(String page, OptionSpec spec) {
        return remembers(spec) ? Prefs.get(key(page, spec.key()), spec.fallback()) : spec.fallback();
    }

    /**
     * Stores what the user entered, before the run starts, so that an error or a cancel later on
     * does not lose it.
     *
     * @param page   the command's name in the preferences
     * @param specs  the command's options
     * @param values key to the text entered (blank for an emptied field)
     */
    static void remember(String page, List<OptionSpec> specs, Map<String, String> values) {
        for (OptionSpec s : specs) {
            if (remembers(s) && values.containsKey(s.key())) {
                Prefs.set(key(page, s.key()), values.get(s.key()));
            }
        }
    }

    /**
     * @param page   the command's name
     * @param option the option's key
     * @return the preferences key
     */
    static String key(String page, String option) {
        return PREFIX + page + "." + option;
    }
}
