/**
 * Room "core": value types shared by every other room - the plain {@link org.utad.core.FloatImage},
 * progress events, the cancellation token and the domain exceptions.
 *
 * <p>Allowed imports: nothing beyond java.*, so that everything else can depend on it without
 * pulling in ImageJ, SciJava or DJL.
 */
package org.utad.core;
