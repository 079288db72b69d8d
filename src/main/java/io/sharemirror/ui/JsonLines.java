package io.sharemirror.ui;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads the archive's row JSON (a flat object of strings, numbers, null and {"$hex": ...} BLOBs, as
 * Row.toJson writes it) into "column = value" lines for people.
 */
final class JsonLines {

    /** What marks the line of a column in conflict. */
    static final String MARK = "» ";

    private final String json;
    private final Collection<String> marked;
    private int at;

    private JsonLines(String json, Collection<String> marked) {
        this.json = json;
        this.marked = marked;
    }

    /** One line per column; "(deleted)" for a null row; the raw text if it is not the expected shape. */
    static List<String> of(String json) {
        return of(json, List.of());
    }

    /** {@link #of(String)}, the lines of the {@code marked} columns starting with {@link #MARK}, the others indented alike. */
    static List<String> of(String json, Collection<String> marked) {
        if (json == null) {
            return List.of("(the row was deleted)");
        }
        try {
            return new JsonLines(json, marked).object();
        } catch (RuntimeException e) {
            return List.of(json);
        }
    }

    private List<String> object() {
        List<String> lines = new ArrayList<>();
        expect('{');
        skipSpace();
        if (peek() == '}') {
            return lines;
        }
        do {
            skipSpace();
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            String mark = marked.isEmpty() ? "" : marked.contains(key) ? MARK : " ".repeat(MARK.length());
            lines.add(mark + key + " = " + value());
            skipSpace();
        } while (next() == ',');
        return lines;
    }

    private String value() {
        char c = peek();
        if (c == '"') {
            return '"' + string() + '"';
        }
        if (c == '{') {
            expect('{');
            skipSpace();
            string(); // "$hex"
            skipSpace();
            expect(':');
            skipSpace();
            String hex = string();
            skipSpace();
            expect('}');
            return "BLOB of " + hex.length() / 2 + " bytes, x'" + (hex.length() > 64 ? hex.substring(0, 64) + "…" : hex) + "'";
        }
        int start = at;
        while (at < json.length() && ",}".indexOf(json.charAt(at)) < 0) {
            at++;
        }
        return json.substring(start, at).trim();
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        for (char c = next(); c != '"'; c = next()) {
            if (c == '\\') {
                char e = next();
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(json.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> out.append(e);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private void skipSpace() {
        while (at < json.length() && Character.isWhitespace(json.charAt(at))) {
            at++;
        }
    }

    private char peek() {
        return json.charAt(at);
    }

    private char next() {
        return json.charAt(at++);
    }

    private void expect(char c) {
        if (next() != c) {
            throw new IllegalArgumentException("expected " + c + " at " + (at - 1));
        }
    }
}
