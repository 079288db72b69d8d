package io.sharemirror.store;

import io.sharemirror.sync.Json;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The columns a change touched, as {@code _sm_pending.cols} and {@code _sm_log.cols} hold them: a JSON array of column
 * names, or NULL for the whole row. Capture computes it in SQL, the agent writes and reads it here; the hub's own
 * triggers leave it NULL, so a direct writer's change is the whole row. Anything else found there (written by someone
 * else) reads as the whole row: the safe answer.
 *
 * <p>Capture names a column only in {@code BEFORE UPDATE OF column} triggers, which note it in {@code
 * _sm_state.changing} for the AFTER UPDATE trigger to take. A trigger whose body named a column (to compare its old
 * and new values) would make SQLite refuse the application's {@code ALTER TABLE DROP COLUMN}; a column list is not
 * checked, so the trigger is left dangling, and capture repair replaces it. The price: a column the UPDATE sets to the
 * value it had counts as changed, and an {@code UPDATE OR IGNORE} that skipped a row after its notes leaves them for the
 * next update to count too: more columns, never fewer.
 */
final class ChangedColumns {

    private ChangedColumns() {
    }

    /**
     * The SQL expression, for the AFTER UPDATE capture trigger of {@code t}, of the columns the update set, as noted:
     * NULL when it changed the key (a new row at the key) or the table is a full-text one (whose edits are a delete and
     * an insert).
     */
    static String ofUpdate(TableInfo t) {
        if (t.fts() != null) {
            return "NULL";
        }
        return "CASE WHEN " + Sql.keyChanged(t.keyColumns()) + " THEN NULL ELSE (SELECT coalesce(changing, '[]') FROM"
                + " _sm_state) END";
    }

    /** The SQL expression of the list {@code notes} (a column list, or NULL for none yet) with {@code column} added. */
    static String noted(String notes, String column) {
        StringBuilder name = new StringBuilder();
        Json.string(name, column);
        return "CASE WHEN " + notes + " IS NULL THEN " + Sql.literal("[" + name + "]") + " ELSE substr(" + notes + ", 1,"
                + " length(" + notes + ") - 1) || " + Sql.literal("," + name + "]") + " END";
    }

    /**
     * The SQL expression of a queued key's columns once a new change {@code now} (a column list or NULL) meets those it
     * has, {@code before}: the union, NULL when either is the whole row. Only an edit of other columns than before
     * pays for the union.
     */
    static String accumulated(String before, String now) {
        return "CASE WHEN " + before + " IS NULL OR " + now + " IS NULL THEN NULL WHEN " + now + " = " + before
                + " OR " + now + " = '[]' THEN " + before + " WHEN " + before + " = '[]' THEN " + now
                + " ELSE (SELECT json_group_array(value) FROM (SELECT value FROM json_each(" + before + ") UNION"
                + " SELECT value FROM json_each(" + now + "))) END";
    }

    /** The JSON text of a column list, in name order; null (the whole row) stays null. */
    static String json(Collection<String> columns) {
        if (columns == null) {
            return null;
        }
        StringBuilder out = new StringBuilder("[");
        for (String column : new TreeSet<>(columns)) {
            if (out.length() > 1) {
                out.append(',');
            }
            Json.string(out, column);
        }
        return out.append(']').toString();
    }

    /** The columns of a stored list; null for NULL and for anything that is not a JSON array of strings. */
    static Set<String> parse(String json) {
        if (json == null) {
            return null;
        }
        Reader in = new Reader(json);
        Set<String> columns = new LinkedHashSet<>();
        if (!in.next('[')) {
            return null;
        }
        if (!in.next(']')) {
            do {
                String column = in.string();
                if (column == null) {
                    return null;
                }
                columns.add(column);
            } while (in.next(','));
            if (!in.next(']')) {
                return null;
            }
        }
        return in.atEnd() ? columns : null;
    }

    /** Reads JSON text one token at a time; each method returns null or false where the text is not what it wants. */
    private static final class Reader {
        private final String text;
        private int at;

        Reader(String text) {
            this.text = text;
        }

        boolean next(char c) {
            skipSpace();
            if (at < text.length() && text.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        boolean atEnd() {
            skipSpace();
            return at == text.length();
        }

        String string() {
            if (!next('"')) {
                return null;
            }
            StringBuilder out = new StringBuilder();
            while (at < text.length()) {
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (at >= text.length()) {
                    return null;
                }
                char escaped = text.charAt(at++);
                switch (escaped) {
                    case '"', '\\', '/' -> out.append(escaped);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (at + 4 > text.length()) {
                            return null;
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        } catch (NumberFormatException e) {
                            return null;
                        }
                        at += 4;
                    }
                    default -> {
                        return null;
                    }
                }
            }
            return null;
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
    }
}
