package org.utad.core;

/**
 * A pixel source that passes every question to another one, for sources that change only part of
 * it: detection's view of an image with the model's channels overrides {@link #channels()} and
 * {@link #read}, and a source that watches what is read overrides {@link #read} alone.
 */
public abstract class ForwardingPixelSource implements PixelSource {
    private final PixelSource source;

    /**
     * @param source the source every call goes to unless overridden
     */
    protected ForwardingPixelSource(PixelSource source) {
        this.source = source;
    }

    /** @return the source calls go to */
    protected final PixelSource source() {
        return source;
    }

    @Override
    public int width() {
        return source.width();
    }

    @Override
    public int height() {
        return source.height();
    }

    @Override
    public int channels() {
        return source.channels();
    }

    @Override
    public int bitDepth() {
        return source.bitDepth();
    }

    @Override
    public String name() {
        return source.name();
    }

    @Override
    public Calibration calibration() {
        return source.calibration();
    }

    @Override
    public void read(int x, int y, int width, int height, float[] into) {
        source.read(x, y, width, height, into);
    }
}
