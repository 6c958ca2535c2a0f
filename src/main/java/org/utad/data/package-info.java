/**
 * Room "data": reading images into core images (through an injected
 * {@link org.utad.core.ImageLoader}), normalisation, patch sampling, augmentation and batching, all
 * seeded; also the synthetic test and demo images.
 *
 * <p>May import core, config and ai.djl.ndarray. Never ImageJ, SciJava or AWT: file decoding is the
 * loader's job, so that this room runs the same in Fiji, on the command line and in tests.
 */
package org.utad.data;
