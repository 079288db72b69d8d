package io.sharemirror.sync;

import java.util.Locale;

/**
 * One of the application's schema objects (a table, index, view or trigger), as the schema sync compares and
 * reproduces it on the other side ({@link HubSchema}).
 *
 * @param type {@code table}, {@code index}, {@code view} or {@code trigger}
 * @param table the table it belongs to (a table's is its own name)
 * @param sql its definition, in SQLite's dialect: the replica is SQLite, so a hub of another kind translates
 * @param root what stays the same when the table is renamed and not when it is dropped and made again (SQLite's root
 *             page), which tells the two apart; 0 for views and triggers, and where a hub has no such thing
 */
public record SchemaObject(String type, String name, String table, String sql, long root) {

    /** What names an object on both sides: its type and name, names compared as SQLite does, case-blind. */
    public static String key(String type, String name) {
        return type + " " + name.toLowerCase(Locale.ROOT);
    }

    public String key() {
        return key(type, name);
    }

    public boolean isTable() {
        return type.equals("table");
    }
}
