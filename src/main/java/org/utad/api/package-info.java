/**
 * Room "api": the facade of user-level jobs (train, detect, recalibrate, evaluate) that the Fiji
 * commands, the macro twins, the CLI and the tests all call.
 *
 * <p>May import every ImageJ-free room; never ImageJ, SciJava or AWT.
 */
package org.utad.api;
