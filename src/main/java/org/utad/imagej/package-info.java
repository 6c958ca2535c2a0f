/**
 * Room "imagej": the adapters between ImageJ / ImgLib2 and the core - ImagePlus and
 * RandomAccessibleInterval to and from {@link org.utad.core.FloatImage}, the ImageJ-backed
 * {@link org.utad.core.ImageLoader}, image file writers, and the demo-data generator.
 *
 * <p>May import ij, net.imglib2, org.utad.core (and org.utad.data's generators for demo data),
 * besides java.*, javax.imageio and java.awt.image. Nothing below this room may import it.
 */
package org.utad.imagej;
