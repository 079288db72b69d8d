package io.sharemirror.store.pg;

import java.sql.SQLException;

/**
 * A SQLite value that a hub column's PostgreSQL type cannot give back exactly, refused instead of converted: it names
 * the column, the value's class and what the user can do. An SQLException (data exception) so that a push meets it
 * where it meets the server's own refusals.
 */
public final class PgValueRefused extends SQLException {

    private static final int SHOWN = 60;

    private final String column;

    PgValueRefused(String column, PgType type, SqliteValue value) {
        super(column + " is " + type.sql() + " on the PostgreSQL hub, which cannot give back this "
                + value.storageClass() + " exactly (" + shown(value) + "): write a value of the column's usual kind"
                + " there, or have the hub column remapped to tagged bytea, which keeps every SQLite class", "22000");
        this.column = column;
    }

    /** The column refused, as the caller named it (table.column). */
    public String column() {
        return column;
    }

    private static String shown(SqliteValue value) {
        String s = value.toString();
        return s.length() <= SHOWN ? s : s.substring(0, SHOWN) + "...";
    }
}
