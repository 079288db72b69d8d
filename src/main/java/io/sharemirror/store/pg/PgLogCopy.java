package io.sharemirror.store.pg;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;

/**
 * A file hub's log, and each agent's last cursor, on the PostgreSQL hub a move made (ARCHITECTURE.md#moving-a-hub).
 * The rule: every entry keeps its number, {@code _sm_log_seq} goes on after the file's highest number ever given (the
 * AUTOINCREMENT mark, which pruning never lowers), and {@code _sm_meta.pruned} says which numbers pruning removed. So
 * a replica's cursor means the same on both hubs: what it has not pulled is past its cursor on the new hub as it was on
 * the file, and nothing it pulled comes again. Runs in the caller's transactions on both sides; the numbering trigger
 * ({@link PgCatalog}) leaves rows that come with a number alone.
 */
final class PgLogCopy {

    /** The log as both hubs hold it: its entries, the highest number given, and the highest pruning removed. */
    record Log(long entries, long head, long pruned) {
    }

    private static final String ENTRIES = "SELECT seq, tbl, pk, op, origin, ts, cols FROM _sm_log ORDER BY seq";
    private static final String NODES = "SELECT node, last_seq, last_seen FROM _sm_nodes ORDER BY node";
    private static final int BATCH = 1_000;

    private PgLogCopy() {
    }

    /** Copies the file's log and nodes into a PostgreSQL hub whose log is empty. */
    static Log copy(Connection file, Connection pg) throws SQLException {
        if (count(pg, "SELECT count(*) FROM _sm_log") > 0) {
            throw new SQLException("the PostgreSQL database already holds a ShareMirror log; a hub is moved into a"
                    + " database of its own (drop and create it again if it holds only an earlier attempt)", "55000");
        }
        long entries = copyRows(file, pg, ENTRIES, "INSERT INTO _sm_log(seq, tbl, pk, op, origin, ts, cols)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)");
        copyRows(file, pg, NODES, "INSERT INTO _sm_nodes(node, last_seq, last_seen) VALUES (?, ?, ?)");
        Log log = fileLog(file, entries);
        try (Statement s = pg.createStatement()) {
            if (log.head() > 0) {
                s.execute("SELECT setval('_sm_log_seq', " + log.head() + ")"); // nextval gives head + 1
            }
            s.executeUpdate("UPDATE _sm_meta SET pruned = " + log.pruned());
        }
        return log;
    }

    /**
     * Reads the log and nodes back from PostgreSQL and compares each entry with the file's.
     *
     * @throws SQLException naming the first entry that differs
     */
    static Log verify(Connection file, Connection pg) throws SQLException {
        long entries = compare(file, pg, ENTRIES, "log entry");
        compare(file, pg, NODES, "node");
        Log expected = fileLog(file, entries);
        long next;
        try (Statement s = pg.createStatement();
             ResultSet r = s.executeQuery("SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END"
                     + " FROM _sm_log_seq")) {
            r.next();
            next = r.getLong(1);
        }
        Log read = new Log(entries, next, count(pg, "SELECT pruned FROM _sm_meta"));
        if (!read.equals(expected)) {
            throw new SQLException("the PostgreSQL hub's log numbers on from " + read + ", the file's from "
                    + expected);
        }
        return read;
    }

    private static Log fileLog(Connection file, long entries) throws SQLException {
        long highest = count(file, "SELECT max(coalesce((SELECT max(seq) FROM _sm_log), 0),"
                + " coalesce((SELECT seq FROM sqlite_sequence WHERE name = '_sm_log'), 0))");
        long oldest = count(file, "SELECT coalesce(min(seq), 0) FROM _sm_log");
        return new Log(entries, highest, entries == 0 ? highest : oldest - 1);
    }

    private static long copyRows(Connection file, Connection pg, String select, String insert) throws SQLException {
        long n = 0;
        try (Statement s = file.createStatement(); ResultSet r = s.executeQuery(select);
             PreparedStatement into = pg.prepareStatement(insert)) {
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                for (int i = 1; i <= columns; i++) {
                    into.setObject(i, r.getObject(i));
                }
                into.addBatch();
                if (++n % BATCH == 0) {
                    into.executeBatch();
                }
            }
            into.executeBatch();
        }
        return n;
    }

    /** Both sides' rows of {@code select}, in order, compared value by value (as text); returns how many. */
    private static long compare(Connection file, Connection pg, String select, String what) throws SQLException {
        long n = 0;
        try (Statement fs = file.createStatement(); ResultSet f = fs.executeQuery(select);
             Statement ps = pg.createStatement(); ResultSet p = ps.executeQuery(select)) {
            int columns = f.getMetaData().getColumnCount();
            while (true) {
                boolean more = f.next();
                if (more != p.next()) {
                    throw new SQLException("the PostgreSQL hub has " + (more ? "fewer" : "more") + " " + what
                            + " rows than the file (" + n + " matched)");
                }
                if (!more) {
                    return n;
                }
                for (int i = 1; i <= columns; i++) {
                    if (!Objects.equals(f.getString(i), p.getString(i))) {
                        throw new SQLException(what + " " + f.getString(1) + " differs on the PostgreSQL hub: "
                                + f.getMetaData().getColumnName(i) + " is " + p.getString(i) + ", the file's "
                                + f.getString(i));
                    }
                }
                n++;
            }
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
