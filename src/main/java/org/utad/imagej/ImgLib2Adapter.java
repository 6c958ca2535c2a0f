package org.utad.imagej;

import java.util.Objects;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.utad.core.Calibration;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;

/**
 * Converts between ImgLib2 images and the core {@link FloatImage}, for SciJava commands and scripts
 * that hand over a {@link RandomAccessibleInterval}.
 *
 * <p>Written by hand because imglib2-ij is not available to this build. Axis order follows ImgLib2:
 * dimension 0 is x, 1 is y, and an optional dimension 2 is the channel axis (size 1 or 3). That
 * flat iteration order (x fastest, then y, then channel) is exactly the planar layout of a core
 * image, so conversion is a single pass. Values are copied raw, never normalised.
 */
public final class ImgLib2Adapter {
    private ImgLib2Adapter() {
    }

    /**
     * Copies an ImgLib2 image into an uncalibrated core image.
     *
     * @param rai  a 2D image, or a 3D image whose third axis is channels of size 1 or 3
     * @param name the name of the result
     * @return the core image; bit depth 8 for unsigned byte, 16 for unsigned short, else 32
     * @throws InvalidInputException if the image is null, has another dimensionality or channel
     *                               count, or is too large for one array
     */
    public static FloatImage toFloatImage(RandomAccessibleInterval<? extends RealType<?>> rai, String name) {
        return toFloatImage(rai, name, Calibration.NONE);
    }

    /**
     * Copies an ImgLib2 image into a core image with the given calibration, since an ImgLib2 image
     * carries no pixel size of its own.
     *
     * @param rai         a 2D image, or a 3D image whose third axis is channels of size 1 or 3
     * @param name        the name of the result
     * @param calibration the spatial calibration to attach; null for none
     * @return the core image; bit depth 8 for unsigned byte, 16 for unsigned short, else 32
     * @throws InvalidInputException if the image is null, has another dimensionality or channel
     *                               count, or is too large for one array
     */
    public static FloatImage toFloatImage(RandomAccessibleInterval<? extends RealType<?>> rai, String name,
                                          Calibration calibration) {
        if (rai == null) {
            throw new InvalidInputException("No image was given: select an image as input.");
        }
        int nd = rai.numDimensions();
        if (nd != 2 && nd != 3) {
            throw new InvalidInputException("Image '" + name + "' has " + nd
                    + " dimensions; expected 2 (x, y) or 3 (x, y, channel).");
        }
        long w = rai.dimension(0);
        long h = rai.dimension(1);
        long c = nd == 3 ? rai.dimension(2) : 1;
        if (c != 1 && c != 3) {
            throw new InvalidInputException("Image '" + name + "' has " + c
                    + " channels on its third axis; expected 1 (grey) or 3 (RGB).");
        }
        if (w < 1 || h < 1) {
            throw new InvalidInputException("Image '" + name + "' is empty (" + w + "x" + h + ").");
        }
        if (w * h * c > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException("Image '" + name + "' is too large (" + w + "x" + h + "x" + c
                    + " samples) to convert in one piece; crop or tile it first.");
        }
        float[] data = new float[(int) (w * h * c)];
        Cursor<? extends RealType<?>> cursor = Views.flatIterable(rai).cursor();
        int i = 0;
        while (cursor.hasNext()) {
            data[i++] = cursor.next().getRealFloat();
        }
        RealType<?> type = rai.getType();
        int bitDepth = type instanceof UnsignedByteType ? 8 : type instanceof UnsignedShortType ? 16 : 32;
        return new FloatImage((int) w, (int) h, (int) c, data, bitDepth, name, calibration);
    }

    /**
     * Copies a core image into a new float ArrayImg: 2D (x, y) for one channel, 3D (x, y, channel)
     * otherwise. The samples are copied so that the result can be modified freely.
     *
     * @param image the core image
     * @return an array image of float samples with the image's values
     */
    public static ArrayImg<FloatType, FloatArray> toImg(FloatImage image) {
        Objects.requireNonNull(image, "image");
        float[] copy = image.data().clone();
        if (image.channels() == 1) {
            return ArrayImgs.floats(copy, image.width(), image.height());
        }
        return ArrayImgs.floats(copy, image.width(), image.height(), image.channels());
    }
}
