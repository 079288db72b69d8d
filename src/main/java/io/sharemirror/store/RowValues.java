package io.sharemirror.store;

import io.sharemirror.sync.RawText;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A row's values out of and into SQL, the one place that knows TEXT may hold bytes that are not UTF-8: sqlite-jdbc
 * decodes TEXT as UTF-8 and replaces bad bytes with U+FFFD, so such text is read as {@link RawText} and written back
 * as TEXT with its own bytes. Every statement that carries a row's values uses {@link #placeholder} for each value.
 */
public final class RowValues {

    private static final char REPLACEMENT = '\uFFFD';

    private RowValues() {
    }

    /** Long/Integer, Double, String, byte[], null, or RawText for TEXT that is not valid UTF-8. */
    public static Object read(ResultSet r, int column) throws SQLException {
        Object value = r.getObject(column);
        // Only a decoded U+FFFD can hide bad bytes, so valid text costs one scan and no second read.
        if (value instanceof String text && text.indexOf(REPLACEMENT) >= 0) {
            byte[] bytes = r.getBytes(column);
            if (!Arrays.equals(bytes, text.getBytes(StandardCharsets.UTF_8))) {
                return new RawText(bytes);
            }
        }
        return value;
    }

    /** {@code ?}, or for raw text a parameter that turns the bytes bound there into TEXT. */
    static String placeholder(Object value) {
        return value instanceof RawText ? "CAST(? AS TEXT)" : "?";
    }

    /** {@link #placeholder} of each value, comma-separated. */
    public static String placeholders(List<Object> values) {
        return values.stream().map(RowValues::placeholder).collect(Collectors.joining(","));
    }

    /** Binds the values to parameters 1..n, raw text as its bytes (its placeholder casts them back to TEXT). */
    public static void bind(PreparedStatement s, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            s.setObject(i + 1, value instanceof RawText raw ? raw.bytes() : value);
        }
    }
}
