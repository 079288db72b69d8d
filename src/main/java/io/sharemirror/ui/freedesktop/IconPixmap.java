package io.sharemirror.ui.freedesktop;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;

/** One size of an icon on the wire, (iiay): width, height, ARGB32 in network byte order. */
public final class IconPixmap extends Struct {
    @Position(0)
    public final int width;
    @Position(1)
    public final int height;
    @Position(2)
    public final byte[] data;

    IconPixmap(Pixels pixels) {
        this.width = pixels.width();
        this.height = pixels.height();
        this.data = pixels.argbBigEndian();
    }
}
