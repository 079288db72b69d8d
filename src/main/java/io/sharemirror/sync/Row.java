package io.sharemirror.sync;

import io.sharemirror.json.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A row's values by column name. Values are what SQLite stores: Long, Double, String, byte[] or null
 * (Integer is widened to Long so equal rows compare equal), and {@link RawText} for TEXT that is not valid UTF-8.
 */
public record Row(List<String> columns, List<Object> values) {

    public Row {
        columns = List.copyOf(columns);
        values = Collections.unmodifiableList(new ArrayList<>(values.stream()
                .map(v -> v instanceof Integer i ? (Object) i.longValue() : v).toList()));
        if (columns.size() != values.size()) {
            throw new IllegalArgumentException(columns.size() + " columns but " + values.size() + " values");
        }
    }

    public boolean sameValues(Row other) {
        if (other == null || !columns.equals(other.columns)) {
            return false;
        }
        for (int i = 0; i < values.size(); i++) {
            if (!same(values.get(i), other.values.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The value of a column, which the row must have. */
    public Object value(String column) {
        int at = columns.indexOf(column);
        if (at < 0) {
            throw new IllegalArgumentException("no column " + column + " in " + columns);
        }
        return values.get(at);
    }

    /** The row with only these of its columns. */
    public Row only(Collection<String> wanted) {
        List<String> kept = columns.stream().filter(wanted::contains).toList();
        return new Row(kept, kept.stream().map(this::value).toList());
    }

    /** The columns both rows have whose values differ, in this row's order. */
    public List<String> differingColumns(Row other) {
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            int at = other.columns.indexOf(columns.get(i));
            if (at >= 0 && !same(values.get(i), other.values.get(at))) {
                differing.add(columns.get(i));
            }
        }
        return differing;
    }

    /** Whether each column both rows have holds the same value in both (the two sides' columns may differ). */
    public boolean agreesWith(Row other) {
        return differingColumns(other).isEmpty();
    }

    private static boolean same(Object a, Object b) {
        return a instanceof byte[] x && b instanceof byte[] y ? Arrays.equals(x, y) : Objects.equals(a, b);
    }

    /** The one name of the JSON object that stands for {@link RawText}, as {"$hex": ...} stands for a BLOB. */
    static final String RAW_TEXT = "$text";

    /**
     * A value as SQL would spell it, for people: 'text' (quotes doubled), 42, 1.5, NULL, X'00ff', and
     * CAST(X'436166e9' AS TEXT) for text that is not UTF-8.
     */
    public static String literal(Object v) {
        if (v == null) {
            return "NULL";
        } else if (v instanceof byte[] b) {
            return "X'" + java.util.HexFormat.of().formatHex(b) + "'";
        } else if (v instanceof String text) {
            return "'" + text.replace("'", "''") + "'";
        }
        return v.toString();
    }

    /**
     * The row as a JSON object; BLOBs become {"$hex": "..."} so the text stays valid JSON, and text that is not UTF-8
     * becomes {"$text": "..."}, its bytes in hex, since a JSON string cannot hold them.
     */
    public String toJson() {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            row.put(columns.get(i), values.get(i) instanceof RawText raw ? Map.of(RAW_TEXT, raw.hex()) : values.get(i));
        }
        return Json.write(row);
    }

    /** The row {@link #toJson} wrote; an IllegalArgumentException if the text is not a row's JSON. */
    public static Row fromJson(String json) {
        if (!(Json.read(json) instanceof Map<?, ?> row)) {
            throw new IllegalArgumentException("not a row's JSON: " + json);
        }
        List<Object> values = new ArrayList<>();
        for (Object v : row.values()) {
            if (v instanceof Map<?, ?> object && object.size() == 1 && object.get(RAW_TEXT) instanceof String hex) {
                values.add(RawText.ofHex(hex));
            } else if (v instanceof Map || v instanceof List || v instanceof Boolean) {
                throw new IllegalArgumentException("not a row's JSON: " + json);
            } else {
                values.add(v);
            }
        }
        return new Row(row.keySet().stream().map(String.class::cast).toList(), values);
    }
}
