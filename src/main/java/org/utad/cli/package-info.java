/**
 * Room "cli": the headless command-line entry point over the same facades as the Fiji commands,
 * with documented exit codes and progress on the console, and the demo on the bundled data.
 *
 * <p>Allowed imports: {@code org.utad.api, org.utad.config, org.utad.core, org.utad.data,
 * org.utad.engine, org.utad.imagej, org.utad.infer, org.utad.io}: the facade, the types it hands
 * out (the {@code Detector} session and its options, the model's manifest, the device choice), and
 * the ImageJ adapters for reading and writing image files. Never the networks or the trainer (the
 * developer benchmarks that time those directly live in {@code org.utad.bench}), never the
 * commands, nor ImageJ or SciJava themselves.
 */
package org.utad.cli;
