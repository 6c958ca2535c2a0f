package org.utad.core;

/**
 * Reads the words users type for a setting (in dialogs, macros and on the command line) as enum
 * constants, the same way for every setting: case and surrounding spaces do not matter.
 */
public final class Words {
    private Words() {
    }

    /**
     * Finds the constant whose name matches a user's word.
     *
     * @param values the enum's constants
     * @param text   the user's word
     * @param error  the message when no constant matches; it should name the accepted words
     * @param <E>    the enum type
     * @return the matching constant
     * @throws IllegalArgumentException with {@code error} if none matches
     */
    public static <E extends Enum<E>> E parse(E[] values, String text, String error) {
        for (E e : values) {
            if (e.name().equalsIgnoreCase(text.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException(error);
    }
}
