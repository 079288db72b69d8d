package io.sharemirror.ui.freedesktop;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;

/** A notification's image-data hint, (iiibiiay): width, height, rowstride, alpha, bits per sample, channels, RGBA. */
public final class ImageData extends Struct {
    @Position(0)
    public final int width;
    @Position(1)
    public final int height;
    @Position(2)
    public final int rowstride;
    @Position(3)
    public final boolean hasAlpha;
    @Position(4)
    public final int bitsPerSample;
    @Position(5)
    public final int channels;
    @Position(6)
    public final byte[] data;

    ImageData(Pixels pixels) {
        this.width = pixels.width();
        this.height = pixels.height();
        this.rowstride = pixels.width() * 4;
        this.hasAlpha = true;
        this.bitsPerSample = 8;
        this.channels = 4;
        this.data = pixels.rgba();
    }
}
