package io.sharemirror.store;

import io.sharemirror.sync.SchemaObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The schema a replica and its hub last agreed on, kept in the replica's {@code _sm_agreed}: each application object's
 * type, name, table and SQL, and its root page on each side (a RENAME keeps it). What a side changed since is what
 * differs from it ({@link SchemaMerge}).
 */
final class AgreedSchema {

    static final String TABLE = "CREATE TABLE IF NOT EXISTS _sm_agreed(type TEXT NOT NULL, name TEXT NOT NULL,"
            + " tbl TEXT NOT NULL, sql TEXT NOT NULL, local_root INTEGER NOT NULL, hub_root INTEGER NOT NULL,"
            + " PRIMARY KEY(type, name)) WITHOUT ROWID";

    /**
     * The agreed objects by key, each with its root page in the replica, and their root pages on the hub; the
     * application's schema number both held ({@code PRAGMA user_version}), null before it was first recorded.
     */
    record Agreed(Map<String, SchemaObject> defs, Map<String, Long> hubRoots, Long userVersion) {

        boolean isEmpty() {
            return defs.isEmpty();
        }
    }

    private AgreedSchema() {
    }

    static Agreed read(Connection replica) throws SQLException {
        Map<String, SchemaObject> defs = new TreeMap<>();
        Map<String, Long> hubRoots = new HashMap<>();
        try (Statement s = replica.createStatement();
             ResultSet r = s.executeQuery("SELECT type, name, tbl, sql, local_root, hub_root FROM _sm_agreed")) {
            while (r.next()) {
                SchemaObject d = new SchemaObject(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getLong(5));
                defs.put(d.key(), d);
                hubRoots.put(d.key(), r.getLong(6));
            }
        }
        return new Agreed(defs, hubRoots, agreedUserVersion(replica));
    }

    private static Long agreedUserVersion(Connection replica) throws SQLException {
        try (Statement s = replica.createStatement();
             ResultSet r = s.executeQuery("SELECT agreed_user_version FROM _sm_state")) {
            if (!r.next()) {
                return null;
            }
            long number = r.getLong(1);
            return r.wasNull() ? null : number;
        }
    }

    /**
     * Records as agreed every object both sides now hold alike; for one they still hold differently (a change refused
     * and reported, a table the hub dropped and the replica kept) the last agreement stays, so the difference is still
     * seen as that side's change, not taken for one made on the other. {@code userVersion}: the schema number both
     * sides now hold. In the caller's transaction.
     */
    static void record(Connection replica, Map<String, SchemaObject> local, Map<String, SchemaObject> hub,
                       Agreed before, long userVersion)
            throws SQLException {
        try (Statement s = replica.createStatement()) {
            s.execute("DELETE FROM _sm_agreed");
            s.execute("UPDATE _sm_state SET agreed_user_version = " + userVersion);
        }
        Set<String> keys = new TreeSet<>(before.defs().keySet());
        keys.addAll(local.keySet());
        try (PreparedStatement add = replica.prepareStatement("INSERT INTO _sm_agreed VALUES(?, ?, ?, ?, ?, ?)")) {
            for (String key : keys) {
                SchemaObject l = local.get(key);
                SchemaObject h = hub.get(key);
                if (SchemaMerge.same(l, h)) {
                    if (l != null) {
                        insert(add, l, h.root());
                    }
                } else if (before.defs().containsKey(key)) {
                    insert(add, before.defs().get(key), before.hubRoots().getOrDefault(key, 0L));
                }
            }
        }
    }

    /**
     * Whether the replica's application objects and schema number are exactly the agreed ones: nothing changed here
     * since.
     */
    static boolean holds(Connection replica, java.util.function.Predicate<String> mirrored) throws SQLException {
        Agreed last = read(replica);
        Map<String, SchemaObject> agreed = last.defs();
        Map<String, SchemaObject> local = SchemaObjects.read(replica, mirrored);
        return Long.valueOf(UserVersion.of(replica)).equals(last.userVersion())
                && local.keySet().equals(agreed.keySet())
                && local.values().stream().allMatch(d -> SchemaMerge.same(d, agreed.get(d.key())));
    }

    private static void insert(PreparedStatement add, SchemaObject d, long hubRoot) throws SQLException {
        add.setString(1, d.type());
        add.setString(2, d.name());
        add.setString(3, d.table());
        add.setString(4, d.sql());
        add.setLong(5, d.root());
        add.setLong(6, hubRoot);
        add.executeUpdate();
    }
}
