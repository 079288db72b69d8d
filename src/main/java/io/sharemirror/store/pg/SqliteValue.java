package io.sharemirror.store.pg;

import io.sharemirror.sync.RawText;
import io.sharemirror.sync.Row;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * One SQLite value exactly as a database file holds it: its storage class and its bytes. Text is kept as the file's
 * bytes (UTF-8), not as a Java string, since a string cannot hold invalid UTF-8 (sqlite-jdbc's getString puts U+FFFD
 * in its place); a REAL keeps its sign of zero, which {@code quote()} does not show.
 */
public final class SqliteValue {

    /** SQLite's storage classes, as {@code typeof()} names them. */
    public enum StorageClass {
        NULL, INTEGER, REAL, TEXT, BLOB
    }

    public static final SqliteValue NULL = new SqliteValue(StorageClass.NULL, 0, null);

    private final StorageClass storageClass;
    private final long bits;
    private final byte[] bytes;

    private SqliteValue(StorageClass storageClass, long bits, byte[] bytes) {
        this.storageClass = storageClass;
        this.bits = bits;
        this.bytes = bytes;
    }

    public static SqliteValue integer(long value) {
        return new SqliteValue(StorageClass.INTEGER, value, null);
    }

    /** A REAL; SQLite stores no NaN (it binds NaN as NULL), so neither does this. */
    public static SqliteValue real(double value) {
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("SQLite stores no NaN: it binds NaN as NULL");
        }
        return new SqliteValue(StorageClass.REAL, Double.doubleToRawLongBits(value), null);
    }

    /** A TEXT, as the bytes of a UTF-8 database (valid UTF-8 or not, NUL characters included). */
    public static SqliteValue text(byte[] utf8) {
        return new SqliteValue(StorageClass.TEXT, 0, utf8.clone());
    }

    public static SqliteValue blob(byte[] value) {
        return new SqliteValue(StorageClass.BLOB, 0, value.clone());
    }

    /**
     * The value from what SQLite says of it: {@code typeof(c)}, the value as sqlite-jdbc reads it (for INTEGER and
     * REAL) and {@code CAST(c AS BLOB)} (the bytes of TEXT and BLOB).
     */
    public static SqliteValue of(String typeOf, Object value, byte[] bytes) {
        return switch (StorageClass.valueOf(typeOf.toUpperCase(Locale.ROOT))) {
            case NULL -> NULL;
            case INTEGER -> integer(((Number) value).longValue());
            case REAL -> real(((Number) value).doubleValue());
            case TEXT -> text(bytes);
            case BLOB -> blob(bytes);
        };
    }

    /**
     * A row's value as {@link io.sharemirror.sync.Row} carries it (what sqlite-jdbc reads: Long or Integer, Double,
     * String, byte[], {@link RawText} for TEXT that is not UTF-8, null).
     */
    public static SqliteValue ofRowValue(Object value) {
        if (value == null) {
            return NULL;
        } else if (value instanceof Long || value instanceof Integer) {
            return integer(((Number) value).longValue());
        } else if (value instanceof Double d) {
            return real(d);
        } else if (value instanceof String text) {
            return text(text.getBytes(StandardCharsets.UTF_8));
        } else if (value instanceof RawText raw) {
            return text(raw.bytes());
        } else if (value instanceof byte[] blob) {
            return blob(blob);
        }
        throw new IllegalArgumentException("not a row value: " + value.getClass().getName());
    }

    /** This value as a {@link io.sharemirror.sync.Row} carries it: the inverse of {@link #ofRowValue}. */
    public Object rowValue() {
        return switch (storageClass) {
            case NULL -> null;
            case INTEGER -> bits;
            case REAL -> real();
            case TEXT -> utf8OrRaw(bytes);
            case BLOB -> bytes.clone();
        };
    }

    private static Object utf8OrRaw(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new RawText(bytes);
        }
    }

    public StorageClass storageClass() {
        return storageClass;
    }

    public long integer() {
        expect(StorageClass.INTEGER);
        return bits;
    }

    public double real() {
        expect(StorageClass.REAL);
        return Double.longBitsToDouble(bits);
    }

    /** The bytes of a TEXT or a BLOB. */
    public byte[] bytes() {
        if (bytes == null) {
            throw new IllegalStateException("a " + storageClass + " has no bytes");
        }
        return bytes.clone();
    }

    /** The value in an SQL literal's shape, for messages; a REAL keeps its sign of zero and shows Inf as such. */
    @Override
    public String toString() {
        return switch (storageClass) {
            case NULL -> "NULL";
            case INTEGER -> Long.toString(bits);
            case REAL -> Double.toString(real());
            case TEXT -> "TEXT " + Row.literal(bytes);
            case BLOB -> Row.literal(bytes);
        };
    }

    /** Same class and same bytes: -0.0 is not 0.0, an empty TEXT is not an empty BLOB. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SqliteValue other && storageClass == other.storageClass && bits == other.bits
                && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(storageClass, bits, bytes == null ? null : ByteBuffer.wrap(bytes));
    }

    private void expect(StorageClass wanted) {
        if (storageClass != wanted) {
            throw new IllegalStateException("a " + storageClass + " is no " + wanted);
        }
    }
}
