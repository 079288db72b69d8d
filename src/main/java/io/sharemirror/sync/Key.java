package io.sharemirror.sync;

import io.sharemirror.json.Json;
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
        List<String> elements = new ArrayList<>(Json.elementTexts(pk));
        elements.set(index, Long.toString(value));
        return new Key(table, "[" + String.join(",", elements) + "]");
    }
}
