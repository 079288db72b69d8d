package io.sharemirror.ui;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A macOS .icns: the magic "icns" and the file's length, then one element per image, each a four-letter type
 * and its length (both lengths include their 8-byte headers), then the data. Big-endian.
 */
final class IcnsFile {

    private static final int HEADER = 8;

    private IcnsFile() {
    }

    /** @param pngs PNG images by element type, e.g. "ic07" (128 px), "ic08" (256), "ic09" (512), "ic10" (1024) */
    static byte[] of(Map<String, byte[]> pngs) {
        int length = HEADER + pngs.values().stream().mapToInt(p -> HEADER + p.length).sum();
        ByteBuffer icns = ByteBuffer.allocate(length);
        icns.put(fourCharacterCode("icns")).putInt(length);
        for (Map.Entry<String, byte[]> png : pngs.entrySet()) {
            icns.put(fourCharacterCode(png.getKey())).putInt(HEADER + png.getValue().length).put(png.getValue());
        }
        return icns.array();
    }

    private static byte[] fourCharacterCode(String type) {
        if (!type.matches("[ -~]{4}")) {
            throw new IllegalArgumentException("an .icns type is four ASCII characters, like ic08, not '" + type + "'");
        }
        return type.getBytes(StandardCharsets.US_ASCII);
    }
}
