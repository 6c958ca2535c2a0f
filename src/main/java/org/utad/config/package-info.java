/**
 * Room "config": the immutable, versioned UTAD configuration, its presets and its JSON form.
 *
 * <p>Allowed imports: {@code com.google.gson, org.utad.core}. Option names live here once and are
 * read by commands, macros and the CLI alike.
 */
package org.utad.config;
