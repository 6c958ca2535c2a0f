/**
 * Room "api": the facade of user-level jobs (train, detect, recalibrate, evaluate) that the Fiji
 * commands, the macro twins, the CLI and the tests all call.
 *
 * <p>Allowed imports: {@code ai.djl, org.utad.config, org.utad.core, org.utad.data, org.utad.engine,
 * org.utad.infer, org.utad.io, org.utad.metrics, org.utad.train}: every ImageJ-free room; never
 * ImageJ, SciJava or AWT.
 */
package org.utad.api;
