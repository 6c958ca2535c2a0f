/**
 * Room "cli": the headless command-line entry point over the same facades as the Fiji commands,
 * with documented exit codes and progress on the console.
 *
 * <p>Allowed imports: {@code ai.djl, com.google.gson, org.utad.api, org.utad.config, org.utad.core,
 * org.utad.data, org.utad.engine, org.utad.imagej, org.utad.infer, org.utad.io, org.utad.metrics,
 * org.utad.model, org.utad.train}: the facade and the ImageJ adapters for reading and writing image
 * files, plus the networks, training and detection internals that the developer benchmarks
 * ({@code Benchmarks}, {@code PeerBenchmark}) time directly, and JSON for the PyTorch peer's answer. Never the
 * commands, nor ImageJ or SciJava themselves.
 */
package org.utad.cli;
