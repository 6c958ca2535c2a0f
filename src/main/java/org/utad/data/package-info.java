/**
 * Room "data": reading folders of images through an injected loader, normalisation, resampling,
 * patch sampling, augmentation and seeded batching, plus the synthetic images the tests use.
 *
 * <p>Allowed imports: {@code ai.djl.ndarray, org.utad.config, org.utad.core}; never ImageJ.
 */
package org.utad.data;
