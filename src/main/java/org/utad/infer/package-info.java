/**
 * Room "infer": the detector (load a bundle, tile, run both stages, fuse residual maps, score,
 * threshold) and threshold calibration.
 *
 * <p>Allowed imports: {@code ai.djl, org.utad.config, org.utad.core, org.utad.data, org.utad.engine,
 * org.utad.io, org.utad.model} (of data, only its pure helpers such as resampling).
 */
package org.utad.infer;
