package org.utad.config;

/**
 * The check that the configuration builders share: every setting of a section is named when the
 * section is built, so that no weight or size silently falls back to zero.
 */
final class Required {
    private Required() {
    }

    /**
     * Returns a builder's value, or says which setting was left out.
     *
     * @param value the value, null while unset
     * @param key   the setting's dotted JSON key, for the message
     * @param <T>   the value's type
     * @return the value
     * @throws IllegalStateException naming the key if the value was never set
     */
    static <T> T value(T value, String key) {
        if (value == null) {
            throw new IllegalStateException(key + " was not set: name every setting of a section when building it,"
                    + " or start from an existing one with toBuilder()");
        }
        return value;
    }
}
