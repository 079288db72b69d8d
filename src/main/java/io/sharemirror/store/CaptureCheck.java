package io.sharemirror.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps every mirrored table of a replica captured. A schema change made on the replica can silently stop capture: a
 * table rebuilt the way SQLite documents it (new table, copy, drop, rename) loses its triggers with the old table; a
 * RENAME TABLE leaves triggers that queue the old name; a changed key makes them queue the wrong key. Run whenever the
 * replica's schema cookie moved, it compares the capture triggers with what {@link ReplicaCapture#triggers}
 * makes for each table now, replaces what is missing or wrong in one local transaction, and marks each such table in
 * {@code _sm_uncaptured}: writes made to it meanwhile were not queued, so the next push compares it with the hub
 * ({@link CaptureRecovery}). The mark is stored, so a restart does not forget it.
 */
final class CaptureCheck {

    private CaptureCheck() {
    }

    /**
     * Repairs capture; returns the tables whose capture was missing or wrong, now marked for recovery. A table without
     * a key that was made anew gets its empty index back too ({@link RowidGuard}).
     */
    static List<String> repair(Connection c, Map<String, TableInfo> tables) throws SQLException {
        Instrumentation.execute(c, RowidGuard.keepIndexes(tables.values()));
        Map<String, String> expected = new HashMap<>();
        Map<String, String> tableOf = new HashMap<>();
        for (TableInfo t : tables.values()) {
            for (String ddl : ReplicaCapture.triggers(t)) {
                // SQLite stores CREATE TRIGGER IF NOT EXISTS x as CREATE TRIGGER x.
                String stored = ddl.replace("CREATE TRIGGER IF NOT EXISTS ", "CREATE TRIGGER ");
                String name = SqlTokens.of(stored).get(2).text();
                expected.put(name, stored);
                tableOf.put(name, t.name());
            }
        }
        Map<String, String> present = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                + " AND name LIKE '\\_sm\\_c%' ESCAPE '\\'");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                present.put(r.getString(1), r.getString(2));
            }
        }
        Set<String> broken = new TreeSet<>();
        List<String> ddl = new ArrayList<>();
        for (var p : present.entrySet()) {
            if (!p.getValue().equals(expected.get(p.getKey()))) {
                ddl.add("DROP TRIGGER " + Sql.ident(p.getKey()));
            }
        }
        for (var e : expected.entrySet()) {
            if (!e.getValue().equals(present.get(e.getKey()))) {
                ddl.add(e.getValue());
                broken.add(tableOf.get(e.getKey()));
            }
        }
        if (ddl.isEmpty()) {
            return List.of();
        }
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                Instrumentation.execute(c, ddl);
                try (PreparedStatement mark = c.prepareStatement("INSERT INTO _sm_uncaptured(tbl, missed) VALUES(?, 1)"
                        + " ON CONFLICT(tbl) DO UPDATE SET missed = 1")) {
                    for (String table : broken) {
                        mark.setString(1, table);
                        mark.executeUpdate();
                    }
                }
                s.execute("COMMIT");
            } catch (SQLException e) {
                RowIo.rollbackQuietly(c);
                throw e;
            }
        }
        return List.copyOf(broken);
    }

    /** The tables marked for recovery, each with whether capture missed writes there (else: a pushed change). */
    static Map<String, Boolean> marked(Connection c) throws SQLException {
        Map<String, Boolean> tables = new java.util.TreeMap<>();
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT tbl, missed FROM _sm_uncaptured ORDER BY tbl")) {
            while (r.next()) {
                tables.put(r.getString(1), r.getInt(2) == 1);
            }
        }
        return tables;
    }
}
