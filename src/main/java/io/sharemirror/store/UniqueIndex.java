package io.sharemirror.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A UNIQUE constraint of a table other than its primary key: the expression of each of its columns as written (with
 * any COLLATE, without ASC or DESC), and the WHERE clause of a partial index. For a CREATE UNIQUE INDEX they are read
 * back from its text in sqlite_master, which keeps it as the application wrote it; quoted names, strings and comments
 * may hold any character, so it is read token by token, never searched for words.
 *
 * @param where the partial index's condition, or null
 */
public record UniqueIndex(String name, List<String> items, String where) {

    public UniqueIndex {
        items = List.copyOf(items);
    }

    /** Reads {@code CREATE UNIQUE INDEX [IF NOT EXISTS] name ON table (item, ...) [WHERE condition]}. */
    static UniqueIndex parse(String name, String sql) {
        Scanner s = new Scanner(sql);
        while (!s.atEnd() && !s.word().equalsIgnoreCase("ON")) {
            s.skipToken();
        }
        s.skipToken(); // ON
        s.skipToken(); // the table's name
        s.skipSpace();
        if (s.atEnd() || s.peek() != '(') {
            throw new IllegalArgumentException("not an index definition: " + sql);
        }
        List<String> items = new ArrayList<>();
        int start = s.pos + 1;
        int depth = 0;
        while (!s.atEnd()) {
            char c = s.peek();
            if (c == '(') {
                depth++;
            } else if (c == ')' || (c == ',' && depth == 1)) {
                if (c == ')' && --depth > 0) {
                    s.skipToken();
                    continue;
                }
                items.add(withoutOrder(sql.substring(start, s.pos).trim()));
                start = s.pos + 1;
                if (c == ')') {
                    s.pos++;
                    break;
                }
            }
            s.skipToken();
        }
        s.skipSpace();
        String where = null;
        if (!s.atEnd() && s.word().equalsIgnoreCase("WHERE")) {
            where = sql.substring(s.pos + "WHERE".length()).trim();
            if (where.endsWith(";")) {
                where = where.substring(0, where.length() - 1).trim();
            }
        }
        return new UniqueIndex(name, items, where);
    }

    /** An index column without its sort order, which does not change what is unique. */
    private static String withoutOrder(String item) {
        String upper = item.toUpperCase(Locale.ROOT);
        for (String order : List.of(" ASC", " DESC")) {
            if (upper.endsWith(order)) {
                return item.substring(0, item.length() - order.length()).trim();
            }
        }
        return item;
    }

    /** Walks SQL text one token at a time: a quoted name or string, a comment, a word, or one other character. */
    private static final class Scanner {
        final String sql;
        int pos;

        Scanner(String sql) {
            this.sql = sql;
        }

        boolean atEnd() {
            skipSpace();
            return pos >= sql.length();
        }

        char peek() {
            return sql.charAt(pos);
        }

        /** The word at the current position, or "" when it is not a word. */
        String word() {
            int end = pos;
            while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
                end++;
            }
            return sql.substring(pos, end);
        }

        void skipSpace() {
            while (pos < sql.length()) {
                char c = sql.charAt(pos);
                if (Character.isWhitespace(c)) {
                    pos++;
                } else if (sql.startsWith("--", pos)) {
                    int eol = sql.indexOf('\n', pos);
                    pos = eol < 0 ? sql.length() : eol + 1;
                } else if (sql.startsWith("/*", pos)) {
                    int end = sql.indexOf("*/", pos + 2);
                    pos = end < 0 ? sql.length() : end + 2;
                } else {
                    return;
                }
            }
        }

        void skipToken() {
            skipSpace();
            if (pos >= sql.length()) {
                return;
            }
            char c = sql.charAt(pos);
            char close = switch (c) {
                case '\'', '"', '`' -> c;
                case '[' -> ']';
                default -> 0;
            };
            if (close != 0) {
                pos++;
                while (pos < sql.length()) {
                    if (sql.charAt(pos) == close) {
                        if (close != ']' && pos + 1 < sql.length() && sql.charAt(pos + 1) == close) {
                            pos += 2; // a doubled quote inside the quotes
                            continue;
                        }
                        pos++;
                        return;
                    }
                    pos++;
                }
                return;
            }
            int end = pos + word().length();
            pos = end > pos ? end : pos + 1;
        }
    }
}
