/**
 * Room "command": thin SciJava commands (menu Plugins &gt; UTAD) and their ImageJ 1.x twins (the
 * same menu, labelled "(IJ1)", for plain ImageJ and its macros), plus the few pieces both share: the
 * option keys and defaults, the macro option parser, the Fiji progress adapter, the error reporter
 * and the train and detect jobs that turn user settings into one facade call and its outputs into
 * images and tables.
 *
 * <p>May import org.scijava, ij, and every room of the plugin except the model internals
 * (org.utad.model). Nothing else may import this room. Code reached from the ImageJ 1.x twins must
 * not load SciJava classes, since plain ImageJ does not ship them.
 */
package org.utad.command;
