package io.sharemirror.ui;

import io.sharemirror.json.Json;
import io.sharemirror.sync.RawText;
import io.sharemirror.sync.Row;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

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
        Row row;
        try {
            row = Row.fromJson(json);
        } catch (IllegalArgumentException notARow) {
            return List.of(json);
        }
        return row.columns().stream().map(c -> {
            String mark = marked.isEmpty() ? "" : marked.contains(c) ? MARK : " ".repeat(MARK.length());
            return mark + c + " = " + value(row.value(c));
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
        if (v instanceof RawText raw) {
            return "text of " + raw.bytes().length + " bytes that are not UTF-8, " + raw;
        }
        return Json.write(v);
    }
}
