package io.sharemirror.sync;

import java.util.ArrayList;
import java.util.List;

/** One row's identity: its table and its primary key as a JSON array (the rowid when no key is declared). */
public record Key(String table, String pk) {

    /** The key of an integer-keyed row. */
    public static Key ofInteger(String table, long key) {
        return new Key(table, "[" + key + "]");
    }

    /** For people: {@code supplier [10]}. */
    public String describe() {
        return table + " " + pk;
    }

    /** The integer of a single-integer key such as {@code [42]}; empty for any other key. */
    public java.util.OptionalLong integer() {
        if (pk.matches("\\[-?\\d{1,18}\\]")) {
            return java.util.OptionalLong.of(Long.parseLong(pk.substring(1, pk.length() - 1)));
        }
        return java.util.OptionalLong.empty();
    }

    /** This key with its element at {@code index} replaced by an integer, spelled as SQLite's json_set would. */
    public Key withElement(int index, long value) {
        List<String> elements = elements();
        elements.set(index, Long.toString(value));
        return new Key(table, "[" + String.join(",", elements) + "]");
    }

    /** The array's elements as JSON text; the key is minified JSON as SQLite's json_array writes it. */
    private List<String> elements() {
        List<String> elements = new ArrayList<>();
        int depth = 0;
        boolean inString = false;
        int start = 1;
        for (int i = 1; i < pk.length() - 1; i++) {
            char c = pk.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                elements.add(pk.substring(start, i));
                start = i + 1;
            }
        }
        elements.add(pk.substring(start, pk.length() - 1));
        return elements;
    }
}
