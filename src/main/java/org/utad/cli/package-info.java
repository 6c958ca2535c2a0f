/**
 * Room "cli": the headless command-line entry point over the same facades as the Fiji commands,
 * with documented exit codes and progress on the console.
 *
 * <p>May import every room, and the ImageJ adapters for reading and writing image files.
 */
package org.utad.cli;
