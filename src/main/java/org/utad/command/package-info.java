/**
 * Room "command": thin SciJava commands (menu Plugins &gt; UTAD) and their ImageJ 1.x twins (the
 * same menu, labelled "(IJ1)", for plain ImageJ and its macros), plus the few pieces both share: the
 * macro option parser (over the option vocabulary of {@code config.UserOptions}), the Fiji progress adapter, the error reporter
 * and the train and detect jobs that turn user settings into one facade call and its outputs into
 * images and tables.
 *
 * <p>Allowed imports: {@code ij, java.awt, org.scijava, org.utad.api, org.utad.config, org.utad.core,
 * org.utad.data, org.utad.engine, org.utad.imagej, org.utad.infer, org.utad.io,
 * org.utad.train.HistoryPoint}: the facade, the types it hands out (the {@code Detector} session that
 * {@code Utad.open} returns, its options and results, the loss history of a training summary) and
 * the ImageJ adapters; never the networks (org.utad.model) or the trainer. No other room may import
 * this one. Code reached from the ImageJ 1.x twins must not load SciJava classes, since plain
 * ImageJ does not ship them.
 */
package org.utad.command;
