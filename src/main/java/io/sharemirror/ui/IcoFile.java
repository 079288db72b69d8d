package io.sharemirror.ui;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.SortedMap;

/**
 * A Windows .ico whose images are stored as PNG (read by Windows Vista and later): a 6-byte header, one
 * 16-byte directory entry per image, then the images. All numbers little-endian.
 */
final class IcoFile {

    private static final int HEADER = 6;
    private static final int ENTRY = 16;

    private IcoFile() {
    }

    /** @param pngs square PNG images by edge length in pixels, 1 to 256 */
    static byte[] of(SortedMap<Integer, byte[]> pngs) {
        int length = HEADER + ENTRY * pngs.size() + pngs.values().stream().mapToInt(p -> p.length).sum();
        ByteBuffer ico = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        ico.putShort((short) 0).putShort((short) 1).putShort((short) pngs.size()); // reserved, type 1 = icon, count
        int offset = HEADER + ENTRY * pngs.size();
        for (Map.Entry<Integer, byte[]> png : pngs.entrySet()) {
            int size = png.getKey();
            if (size < 1 || size > 256) {
                throw new IllegalArgumentException("an .ico image is 1 to 256 pixels wide, not " + size);
            }
            byte edge = (byte) (size == 256 ? 0 : size); // one byte: 0 stands for 256
            ico.put(edge).put(edge).put((byte) 0).put((byte) 0); // width, height, no palette, reserved
            ico.putShort((short) 1).putShort((short) 32);      // colour planes, bits per pixel
            ico.putInt(png.getValue().length).putInt(offset);
            offset += png.getValue().length;
        }
        pngs.values().forEach(ico::put);
        return ico.array();
    }
}
