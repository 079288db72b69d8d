package io.sharemirror.ui.freedesktop;

/**
 * An image as the desktop protocols carry it: width, height and one ARGB int per pixel, row by row. Rendered by the
 * UI (which owns the icons), sent by this package in whichever byte order each protocol wants.
 */
public record Pixels(int width, int height, int[] argb) {

    public Pixels {
        if (argb.length != width * height) {
            throw new IllegalArgumentException(width + "x" + height + " needs " + width * height + " pixels, not "
                    + argb.length);
        }
    }

    /** ARGB32 in network byte order: StatusNotifierItem's IconPixmap. */
    byte[] argbBigEndian() {
        byte[] out = new byte[argb.length * 4];
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            out[4 * i] = (byte) (p >>> 24);
            out[4 * i + 1] = (byte) (p >>> 16);
            out[4 * i + 2] = (byte) (p >>> 8);
            out[4 * i + 3] = (byte) p;
        }
        return out;
    }

    /** RGBA bytes, not premultiplied: a notification's image-data hint. */
    byte[] rgba() {
        byte[] out = new byte[argb.length * 4];
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            out[4 * i] = (byte) (p >>> 16);
            out[4 * i + 1] = (byte) (p >>> 8);
            out[4 * i + 2] = (byte) p;
            out[4 * i + 3] = (byte) (p >>> 24);
        }
        return out;
    }
}
