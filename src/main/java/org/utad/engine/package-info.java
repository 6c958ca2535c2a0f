/**
 * Room "engine": the single place that starts DJL (offline by default), picks the device and
 * explains native-library problems.
 *
 * <p>May import core and ai.djl.
 */
package org.utad.engine;
