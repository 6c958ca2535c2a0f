/**
 * Room "infer": the detector (load a bundle, tile, run both stages, fuse residual maps, score,
 * threshold) and threshold calibration.
 *
 * <p>May import core, config, engine, model, io and data's pure helpers (resampling).
 */
package org.utad.infer;
