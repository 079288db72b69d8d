package io.sharemirror.store;

import io.sharemirror.json.Json;
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
public final class ChangedColumns {

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
        String name = Json.write(column);
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
    public static String json(Collection<String> columns) {
        return columns == null ? null : Json.write(new TreeSet<>(columns));
    }

    /** The columns of a stored list; null for NULL and for anything that is not a JSON array of strings. */
    public static Set<String> parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return new LinkedHashSet<>(Json.readStrings(json));
        } catch (Json.MalformedJson e) {
            return null;
        }
    }
}
