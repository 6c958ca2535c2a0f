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
import org.utad.core.PixelSource;
import org.utad.core.SourceView;

/**
 * Converts between ImgLib2 images and the core {@link FloatImage}, for SciJava commands and scripts
 * that hand over a {@link RandomAccessibleInterval}.
 *
 * <p>Written by hand because imglib2-ij is not available to this build. Axis order follows ImgLib2:
 * dimension 0 is x, 1 is y, and an optional dimension 2 is the channel axis (size 1 or 3). That
 * flat iteration order (x fastest, then y, then channel) is exactly the planar layout of a core
 * image, so conversion is a single pass. Values are copied raw, never normalised.
 *
 * <p>{@link #source} does not copy: it hands detection a {@link PixelSource} that reads the
 * rectangles detection asks for, so a script can detect on an image larger than the memory.
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
        long[] whc = dimensions(rai, name);
        if (whc[0] * whc[1] * whc[2] > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException("Image '" + name + "' is too large (" + whc[0] + "x" + whc[1] + "x"
                    + whc[2] + " samples) to convert in one piece; crop or tile it first.");
        }
        return view(rai, name, calibration).readAll();
    }

    /**
     * An ImgLib2 image as a pixel source for detection, which reads only the rectangles it needs (in
     * patch mode, its tiles) instead of copying the image: this is how a script hands a large, lazily
     * computed or virtual image to {@code Detector.detect(PixelSource, DetectOptions)}. The image
     * must stay readable, and unchanged, while detection runs.
     *
     * @param rai  a 2D image, or a 3D image whose third axis is channels of size 1 or 3; its minimum
     *             corner is the source's (0, 0)
     * @param name the name of the maps that detection returns
     * @return the source; bit depth 8 for unsigned byte, 16 for unsigned short, else 32
     * @throws InvalidInputException if the image is null, has another dimensionality or channel
     *                               count, or is too large for one anomaly map
     */
    public static PixelSource source(RandomAccessibleInterval<? extends RealType<?>> rai, String name) {
        return source(rai, name, Calibration.NONE);
    }

    /**
     * An ImgLib2 image as a pixel source with a spatial calibration, which the maps that detection
     * returns then carry.
     *
     * @param rai         a 2D image, or a 3D image whose third axis is channels of size 1 or 3
     * @param name        the name of the maps that detection returns
     * @param calibration the spatial calibration; null for none
     * @return the source, reading rectangles on demand
     * @throws InvalidInputException if the image is null, has another dimensionality or channel
     *                               count, or is too large for one anomaly map
     * @see #source(RandomAccessibleInterval, String)
     */
    public static PixelSource source(RandomAccessibleInterval<? extends RealType<?>> rai, String name,
                                     Calibration calibration) {
        long[] whc = dimensions(rai, name);
        if (whc[0] * whc[1] > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException("Image '" + name + "' is too large (" + whc[0] + "x" + whc[1]
                    + " pixels) for one anomaly map; crop it into parts first.");
        }
        return view(rai, name, calibration);
    }

    /** Checks the axes of an image and returns its width, height and channels. */
    private static long[] dimensions(RandomAccessibleInterval<? extends RealType<?>> rai, String name) {
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
        return new long[] {w, h, c};
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

    /**
     * A source that reads rectangles of an ImgLib2 image through views, in ImgLib2's flat order (x
     * fastest, then y, then channel), which is the planar layout of the core.
     *
     * @param rai         the image, already checked to be 2D, or 3D with 1 or 3 channels on its third axis
     * @param name        its name, {@code "image"} when null
     * @param calibration its calibration, none when null
     * @return the source, with its sizes and the bit depth its sample type stands for
     */
    private static SourceView view(RandomAccessibleInterval<? extends RealType<?>> rai, String name,
            Calibration calibration) {
        RealType<?> type = rai.getType();
        return new SourceView((int) rai.dimension(0), (int) rai.dimension(1),
                rai.numDimensions() == 3 ? (int) rai.dimension(2) : 1,
                type instanceof UnsignedByteType ? 8 : type instanceof UnsignedShortType ? 16 : 32,
                name == null ? "image" : name, calibration == null ? Calibration.NONE : calibration,
                (x, y, w, h, into) -> read(rai, x, y, w, h, into));
    }

    private static void read(RandomAccessibleInterval<? extends RealType<?>> rai, int x, int y, int w, int h,
            float[] into) {
        int nd = rai.numDimensions();
        long[] min = new long[nd];
        long[] max = new long[nd];
        min[0] = rai.min(0) + x;
        max[0] = min[0] + w - 1;
        min[1] = rai.min(1) + y;
        max[1] = min[1] + h - 1;
        if (nd == 3) {
            min[2] = rai.min(2);
            max[2] = rai.max(2);
        }
        Cursor<? extends RealType<?>> cursor = Views.flatIterable(Views.interval(rai, min, max)).cursor();
        int i = 0;
        while (cursor.hasNext()) {
            into[i++] = cursor.next().getRealFloat();
        }
    }
}
