/**
 * Room "train": the two training stages of UTAD (losses, generator and discriminator steps,
 * schedules), checkpoints with resume, and the loss history.
 *
 * <p>May import core, config, engine, model, data and io; never ImageJ.
 */
package org.utad.train;
