package io.sharemirror.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the hub's log ({@link HubLog}) and a replica's capture ({@link ReplicaCapture}) share: the shape of their
 * change triggers, SQLite's clock as both stamp it, and the reads and writes of {@code sqlite_master} that install
 * them. All DDL is idempotent; trigger bodies must run on any SQLite a direct writer or third-party program may use
 * (3.35+), so they use only julianday, json_array/json_object, hex and UPSERT.
 */
final class Instrumentation {

    /** LIKE pattern of ShareMirror's own object names. */
    static final String OWN = "\\_sm\\_%";

    /**
     * Milliseconds since the epoch, computed inside SQLite so every writer stamps the same way. Rounded, not cut:
     * julianday is a double, and half the time the product lands a hair under the true millisecond.
     */
    static final String NOW_MS = "CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)";

    private Instrumentation() {
    }

    /** Builds a statement body from the key expression and the operation letter (I, U or D). */
    interface Body {
        String of(String keyExpression, String op);
    }

    /** Four triggers per table: insert, update (new key), key change (old key, as a delete), delete. */
    static List<String> changeTriggers(TableInfo t, String prefix, String when, Body body) {
        String table = Sql.ident(t.triggerTable());
        String newKey = Sql.keyJson("NEW.", t.triggerKey(), t.keyCollations());
        String oldKey = Sql.keyJson("OLD.", t.triggerKey(), t.keyCollations());
        return List.of(
                trigger(prefix + "i_" + t.name(), "AFTER INSERT ON " + table + " " + when, body.of(newKey, "I")),
                trigger(prefix + "u_" + t.name(), "AFTER UPDATE ON " + table + " " + when, body.of(newKey, "U")),
                trigger(prefix + "k_" + t.name(), "AFTER UPDATE ON " + table + " " + when + " AND ("
                        + Sql.keyChanged(t.triggerKey()) + ")", body.of(oldKey, "D")),
                trigger(prefix + "d_" + t.name(), "AFTER DELETE ON " + table + " " + when, body.of(oldKey, "D")));
    }

    static String trigger(String name, String event, String body) {
        return "CREATE TRIGGER " + Sql.ident(name) + " " + event + " BEGIN " + body + " END";
    }

    static boolean hasColumn(Connection c, String table, String column) throws SQLException {
        try (var s = c.prepareStatement("SELECT count(*) FROM pragma_table_info(?) WHERE name = ?")) {
            s.setString(1, table);
            s.setString(2, column);
            try (var r = s.executeQuery()) {
                r.next();
                return r.getInt(1) > 0;
            }
        }
    }

    /**
     * The statements that make the triggers in {@code c} exactly the wanted ones: each that is missing is created,
     * each whose stored SQL differs (made by an older version, or by someone else under our name) is made again.
     * Nothing when they are all there, so its emptiness also says whether they are.
     */
    static List<String> triggersToMake(Connection c, Collection<String> wanted) throws SQLException {
        Map<String, String> stored = new HashMap<>();
        try (var s = c.prepareStatement("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'");
             var r = s.executeQuery()) {
            while (r.next()) {
                stored.put(r.getString(1), r.getString(2));
            }
        }
        List<String> ddl = new ArrayList<>();
        for (String create : wanted) {
            String name = quotedNameAt(create, "CREATE TRIGGER ".length());
            if (!create.equals(stored.get(name))) {
                if (stored.containsKey(name)) {
                    ddl.add("DROP TRIGGER " + Sql.ident(name));
                }
                ddl.add(create);
            }
        }
        return ddl;
    }

    /** The identifier {@link Sql#ident} quoted at {@code start} of {@code sql}, unquoted. */
    private static String quotedNameAt(String sql, int start) {
        StringBuilder name = new StringBuilder();
        for (int i = start + 1; ; i++) {
            char c = sql.charAt(i);
            if (c == '"') {
                if (sql.charAt(i + 1) != '"') {
                    return name.toString();
                }
                i++;
            }
            name.append(c);
        }
    }

    /** Names of schema objects of one type matching a LIKE pattern (with {@code \} as escape). */
    static List<String> names(Connection c, String type, String likePattern) throws SQLException {
        List<String> names = new ArrayList<>();
        try (var s = c.prepareStatement("SELECT name FROM sqlite_master WHERE type = ? AND name LIKE ? ESCAPE '\\'")) {
            s.setString(1, type);
            s.setString(2, likePattern);
            try (var r = s.executeQuery()) {
                while (r.next()) {
                    names.add(r.getString(1));
                }
            }
        }
        return names;
    }

    static void execute(Connection c, List<String> statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
