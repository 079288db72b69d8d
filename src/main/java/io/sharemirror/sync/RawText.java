package io.sharemirror.sync;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A TEXT value whose bytes are not valid UTF-8, such as a legacy program's ANSI code page. A Java String cannot hold
 * it (decoding replaces each bad byte with U+FFFD), so it travels as its bytes and is written back as TEXT with exactly
 * those bytes. Valid text, U+FFFD included, stays a String. Equal when the bytes are.
 */
public final class RawText {

    private final byte[] bytes;

    public RawText(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** The bytes as lower-case hex, as the JSON archive stores them. */
    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** The text {@link #hex} wrote, in either case. */
    public static RawText ofHex(String hex) {
        return new RawText(HexFormat.of().parseHex(hex));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RawText t && Arrays.equals(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** As SQL would spell it, so a person sees it is text made from these bytes. */
    @Override
    public String toString() {
        return "CAST(X'" + hex() + "' AS TEXT)";
    }
}
