/**
 * Room "train": the two training stages of UTAD (losses, generator and discriminator steps,
 * schedules), checkpoints with resume, and the loss history.
 *
 * <p>Allowed imports: {@code ai.djl, com.google.gson, org.utad.config, org.utad.core, org.utad.data,
 * org.utad.engine, org.utad.io, org.utad.model}; never ImageJ.
 */
package org.utad.train;
