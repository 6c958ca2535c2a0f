/**
 * Room "config": the immutable, versioned UTAD configuration, its presets and its JSON form, and
 * the vocabulary of user-facing options ({@link org.utad.config.UserOptions}, the one list of
 * names, defaults, choices and help that the Fiji commands, macros and the CLI share).
 *
 * <p>Allowed imports: {@code com.google.gson, org.utad.core}.
 */
package org.utad.config;
