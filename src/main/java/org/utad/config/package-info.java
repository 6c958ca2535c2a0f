/**
 * Room "config": the immutable, versioned UTAD configuration, its presets and its JSON form.
 *
 * <p>May import core and Gson. Option names live here once and are read by commands, macros and
 * the CLI alike.
 */
package org.utad.config;
