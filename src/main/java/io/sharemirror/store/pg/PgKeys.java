package io.sharemirror.store.pg;

import io.sharemirror.json.Json;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hub table's key on PostgreSQL, spelled exactly as SQLite's {@code Sql.keyJson} spells it on every replica: one
 * generator makes the expression the capture trigger logs and the one reads select, and the Java side parses a key's
 * text back into the typed values a lookup binds. Keys are compared under SQLite's collations: NOCASE folds ASCII A-Z
 * only ({@code _sm_nocase}), RTRIM drops trailing spaces; the unique key index is over the same expressions, so
 * lookups use it.
 */
public final class PgKeys {

    private static final Pattern HEX = Pattern.compile("\\{\"\\$hex\":\"((?:[0-9A-F]{2})*)\"\\}");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

    private PgKeys() {
    }

    /** What a column is compared by under a SQLite collation; {@code column} is a quoted name or expression. */
    public static String compared(String column, String collation) {
        return switch (collation.toUpperCase(Locale.ROOT)) {
            case "NOCASE" -> "_sm_nocase(" + column + ")";
            case "RTRIM" -> "rtrim(" + column + ", ' ')";
            default -> column;
        };
    }

    /** The key's compared expressions, comma-separated: the key index's columns and an upsert's ON CONFLICT target. */
    public static String keyExpressions(PgTable t) {
        List<String> expressions = new ArrayList<>();
        for (int i = 0; i < t.info().keyColumns().size(); i++) {
            expressions.add(keyExpression(t, "", i));
        }
        return String.join(", ", expressions);
    }

    /** {@code e1 = ? AND e2 = ?}: a row by its key, with {@link #bind} filling the parameters. */
    public static String matches(PgTable t, String prefix) {
        List<String> conditions = new ArrayList<>();
        for (int i = 0; i < t.info().keyColumns().size(); i++) {
            conditions.add(keyExpression(t, prefix, i) + " = ?");
        }
        return String.join(" AND ", conditions);
    }

    /**
     * The SQL expression of a row's key text, {@code '[' || e1 || ',' || e2 || ']'}, its columns read with
     * {@code prefix} ({@code NEW.}, {@code OLD.}, a table alias and dot, or nothing).
     */
    public static String keyText(PgTable t, String prefix) {
        StringBuilder text = new StringBuilder("'['");
        for (int i = 0; i < t.info().keyColumns().size(); i++) {
            String column = t.info().keyColumns().get(i);
            String value = prefix + t.quotedColumn(column);
            String element = switch (t.type(column)) {
                case BIGINT -> value + "::text";
                case TEXT -> "to_json(" + keyExpression(t, prefix, i) + ")::text";
                case BYTEA -> "'{\"$hex\":\"' || upper(encode(" + value + ", 'hex')) || '\"}'";
                default -> throw new IllegalArgumentException(refusal(t, column));
            };
            text.append(i == 0 ? " || " : " || ',' || ").append(element);
        }
        return text.append(" || ']'").toString();
    }

    /**
     * The typed values (Long, String as compared, byte[]) of a key's text, or empty when the text is not a key of
     * this table as SQLite spells it: such a key names no row here, as {@code Sql.matchesKey} would find none for it.
     */
    public static Optional<List<Object>> values(PgTable t, String pk) {
        List<String> elements;
        try {
            elements = Json.elementTexts(pk);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        List<String> keyColumns = t.info().keyColumns();
        if (elements.size() != keyColumns.size() || !pk.equals("[" + String.join(",", elements) + "]")) {
            return Optional.empty();
        }
        List<Object> values = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            Object value = value(t.type(keyColumns.get(i)), t.info().keyCollations().get(i), elements.get(i));
            if (value == null) {
                return Optional.empty();
            }
            values.add(value);
        }
        return Optional.of(values);
    }

    /** Binds key values from {@link #values} at {@code from}, {@code from + 1}, ...; returns the next index. */
    public static int bind(PreparedStatement s, int from, List<Object> values) throws SQLException {
        int i = from;
        for (Object v : values) {
            s.setObject(i++, v);
        }
        return i;
    }

    /** The text SQLite's json_quote writes for a string: only {@code "}, {@code \} and controls escaped. */
    public static String sqliteQuote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Throws when a key column's type cannot be spelled as SQLite spells keys (phase 1: bigint, text, bytea). */
    static void refuseUnspellable(PgTable t) throws SQLException {
        for (String column : t.info().keyColumns()) {
            PgType type = t.type(column);
            if (type != PgType.BIGINT && type != PgType.TEXT && type != PgType.BYTEA) {
                throw new SQLException(refusal(t, column), "0A000");
            }
        }
    }

    private static String refusal(PgTable t, String column) {
        return "the key column " + t.name() + "." + column + " would be " + t.type(column).sql() + " (" + t.type(column)
                + ") on the PostgreSQL hub, where only INTEGER, TEXT and BLOB keys are spelled as SQLite spells them;"
                + " give the table a key of one of those types, or keep it on a file hub";
    }

    private static String keyExpression(PgTable t, String prefix, int i) {
        String column = t.info().keyColumns().get(i);
        return compared(prefix + t.quotedColumn(column), t.info().keyCollations().get(i));
    }

    /** One element's value, or null when SQLite would never spell it so for this column. */
    private static Object value(PgType type, String collation, String element) {
        switch (type) {
            case BIGINT -> {
                if (!INTEGER.matcher(element).matches()) {
                    return null;
                }
                try {
                    long v = Long.parseLong(element);
                    return Long.toString(v).equals(element) ? v : null;
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            case TEXT -> {
                if (!element.startsWith("\"") || !(readJson(element) instanceof String text)
                        || !sqliteQuote(text).equals(element) || !folded(text, collation).equals(text)) {
                    return null;
                }
                return text;
            }
            case BYTEA -> {
                Matcher m = HEX.matcher(element);
                return m.matches() ? HexFormat.of().parseHex(m.group(1)) : null;
            }
            default -> {
                return null;
            }
        }
    }

    /** A collation's fold applied in Java, to tell a folded key text from one no key has. */
    private static String folded(String text, String collation) {
        return switch (collation.toUpperCase(Locale.ROOT)) {
            case "NOCASE" -> foldAscii(text);
            case "RTRIM" -> text.replaceFirst(" +$", "");
            default -> text;
        };
    }

    private static String foldAscii(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return out.toString();
    }

    private static Object readJson(String text) {
        try {
            return Json.read(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
