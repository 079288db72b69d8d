package io.sharemirror.ui;

import io.sharemirror.json.Json;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** The archive's row JSON (as Row.toJson writes it) as "column = value" lines for people. */
final class JsonLines {

    /** What marks the line of a column in conflict. */
    static final String MARK = "» ";

    private JsonLines() {
    }

    /** One line per column; "(deleted)" for a null row; the raw text if it is not a JSON object. */
    static List<String> of(String json) {
        return of(json, List.of());
    }

    /** {@link #of(String)}, the lines of the {@code marked} columns starting with {@link #MARK}, the others indented alike. */
    static List<String> of(String json, Collection<String> marked) {
        if (json == null) {
            return List.of("(the row was deleted)");
        }
        Object row;
        try {
            row = Json.read(json);
        } catch (Json.MalformedJson e) {
            return List.of(json);
        }
        if (!(row instanceof Map<?, ?> columns)) {
            return List.of(json);
        }
        return columns.entrySet().stream().map(c -> {
            String mark = marked.isEmpty() ? "" : marked.contains(c.getKey()) ? MARK : " ".repeat(MARK.length());
            return mark + c.getKey() + " = " + value(c.getValue());
        }).toList();
    }

    private static String value(Object v) {
        if (v instanceof String s) {
            return '"' + s + '"';
        }
        if (v instanceof byte[] b) {
            String hex = HexFormat.of().formatHex(b);
            return "BLOB of " + b.length + " bytes, x'" + (b.length > 32 ? hex.substring(0, 64) + "…" : hex) + "'";
        }
        return Json.write(v);
    }
}
