/**
 * Room "data": reading folders of images through an injected loader, normalisation, resampling,
 * patch sampling, augmentation and seeded batching, plus the synthetic images the tests use.
 *
 * <p>May import core, config and ai.djl.ndarray; never ImageJ.
 */
package org.utad.data;
