/**
 * Room "imagej": the adapters between ImageJ / ImgLib2 and the core - ImagePlus and
 * RandomAccessibleInterval to and from {@link org.utad.core.FloatImage}, the ImageJ-backed
 * {@link org.utad.core.ImageLoader}, image file writers, and the demo-data generator.
 *
 * <p>Allowed imports: {@code ij, java.awt, javax.imageio, net.imglib2, org.utad.api, org.utad.core,
 * org.utad.data, org.utad.infer.HeatmapScale, org.utad.metrics}: the adapters implement the facade's
 * ports (such as {@code EvaluationFigures}) and draw what it returns, but never reach the networks,
 * the trainer or the engine. Only the front ends (command, cli) may import this room.
 */
package org.utad.imagej;
