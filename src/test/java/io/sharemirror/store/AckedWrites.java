package io.sharemirror.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The rows a fault test's applications committed to the replicas of a {@link Cluster}, in table {@link #TABLE}, each
 * key written by one node only: a write is acknowledged when its local COMMIT returned, and then it must end up on
 * the hub and on every replica exactly as written ("no loss", ARCHITECTURE.md#tests). Safe to use from several threads: an
 * application thread may write while the test drives the agents.
 */
public final class AckedWrites {

    public static final String TABLE = "item";
    /** The table the writes go to; make the hub with it. */
    public static final String DDL = "CREATE TABLE " + TABLE + "(uid TEXT PRIMARY KEY, note TEXT NOT NULL)";

    /** uid to the note last acknowledged for it. */
    private final Map<String, String> acked = new LinkedHashMap<>();
    private int writes;
    private long next;

    /** Inserts {@code count} new rows on {@code node} in one local transaction; acknowledged once it returns. */
    public void insert(Cluster.Node node, int count) throws SQLException {
        Map<String, String> rows = new LinkedHashMap<>();
        synchronized (this) {
            for (int i = 0; i < count; i++) {
                long n = ++next;
                rows.put(writer(node) + "-" + n, "note " + n);
            }
        }
        StringJoiner values = new StringJoiner(",");
        rows.forEach((uid, note) -> values.add("('" + uid + "','" + note + "')"));
        node.exec("INSERT INTO " + TABLE + "(uid, note) VALUES" + values);
        acknowledge(rows);
    }

    /**
     * Changes the note of up to {@code count} rows this node inserted earlier, in one local transaction. Only one
     * thread may write through a node, so that its writes are acknowledged in the order they were made.
     */
    public void update(Cluster.Node node, int count) throws SQLException {
        String prefix = writer(node) + "-";
        List<String> own;
        String note;
        synchronized (this) {
            own = acked.keySet().stream().filter(uid -> uid.startsWith(prefix)).limit(count).toList();
            note = "edit " + (++next);
        }
        if (own.isEmpty()) {
            return;
        }
        node.exec("UPDATE " + TABLE + " SET note = '" + note + "' WHERE uid IN ('" + String.join("','", own) + "')");
        Map<String, String> rows = new LinkedHashMap<>();
        own.forEach(uid -> rows.put(uid, note));
        acknowledge(rows);
    }

    /** A node's name in the keys it writes: its cache folder's, with the cluster's (two clusters may share a hub). */
    private static String writer(Cluster.Node node) {
        Path cache = node.replica().getParent();
        return cache.getParent().getFileName() + "." + cache.getFileName();
    }

    private synchronized void acknowledge(Map<String, String> rows) {
        acked.putAll(rows);
        writes += rows.size();
    }

    /** The rows {@code node} has pending, uid to note: the batch its next push must apply fully or not at all. */
    public static Map<String, String> pendingBatch(Cluster.Node node) throws SQLException {
        Map<String, String> batch = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + node.replica()); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT i.uid, i.note FROM " + TABLE + " i JOIN _sm_pending p"
                     + " ON p.tbl = '" + TABLE + "' AND p.pk = json_array(i.uid)")) {
            while (r.next()) {
                batch.put(r.getString(1), r.getString(2));
            }
        }
        return batch;
    }

    /**
     * What is wrong with a push of {@code batch} by {@code node} that may have been cut: null when the hub holds all of
     * it as written, or none of it and the node still has all of it pending. A fresh reader rolls back a hot journal.
     */
    public static String halfDone(Path hub, Cluster.Node node, Map<String, String> batch) throws SQLException {
        int onHub = 0;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + hub); Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
            try (ResultSet r = s.executeQuery("SELECT uid, note FROM " + TABLE)) {
                while (r.next()) {
                    onHub += r.getString(2).equals(batch.get(r.getString(1))) ? 1 : 0;
                }
            }
        }
        if (onHub == batch.size()) {
            return null;
        }
        if (onHub > 0) {
            return "the hub has " + onHub + " of the batch's " + batch.size() + " rows";
        }
        Map<String, String> stillPending = pendingBatch(node);
        long kept = batch.keySet().stream().filter(stillPending::containsKey).count();
        return kept == batch.size() ? null
                : "the batch is not on the hub, yet only " + kept + " of its " + batch.size() + " rows are pending";
    }

    /** Acknowledged writes so far (inserts and updates, row by row). */
    public synchronized int count() {
        return writes;
    }

    /** How many acknowledged rows {@code db} lacks or holds with another value, listing the first few in {@code out}. */
    public synchronized int lost(Path db, List<String> out) throws SQLException {
        Map<String, String> actual = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT uid, note FROM " + TABLE)) {
            while (r.next()) {
                actual.put(r.getString(1), r.getString(2));
            }
        }
        int lost = 0;
        for (Map.Entry<String, String> e : acked.entrySet()) {
            if (!e.getValue().equals(actual.get(e.getKey()))) {
                lost++;
                if (out.size() < 10) {
                    out.add(db.getParent().getFileName() + "/" + db.getFileName() + ": " + e.getKey() + " should be '" + e.getValue() + "' but is "
                            + actual.get(e.getKey()));
                }
            }
        }
        return lost;
    }

    /**
     * How many acknowledged rows that {@code node} wrote are neither on the {@code hub} as written nor among its
     * {@code pending} rows, listing the first few in {@code out}: writes the agent dropped from its queue although they
     * never reached the hub, or were lost there afterwards. A hub too damaged to read counts as empty.
     */
    public synchronized int lostUnless(Path hub, Map<String, String> pending, Cluster.Node node, List<String> out)
            throws SQLException {
        String prefix = writer(node) + "-";
        Map<String, String> onHub = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + hub); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT uid, note FROM " + TABLE)) {
            while (r.next()) {
                onHub.put(r.getString(1), r.getString(2));
            }
        } catch (SQLException e) {
            onHub.clear(); // a hub too damaged to read holds none of them
        }
        int lost = 0;
        for (Map.Entry<String, String> e : acked.entrySet()) {
            if (e.getKey().startsWith(prefix) && !e.getValue().equals(onHub.get(e.getKey()))
                    && !pending.containsKey(e.getKey())) {
                lost++;
                if (out.size() < 10) {
                    out.add(e.getKey() + " '" + e.getValue() + "' is not queued on " + writer(node)
                            + " and the hub has " + onHub.get(e.getKey()));
                }
            }
        }
        return lost;
    }

    /** Acknowledged writes missing from the hub or from any replica, summed over them; the first few in {@code out}. */
    public int lost(Cluster cluster, List<String> out) throws SQLException {
        int lost = lost(cluster.hub, out);
        for (Cluster.Node n : cluster.nodes) {
            lost += lost(n.replica(), out);
        }
        return lost;
    }

    /** Asserts nothing was lost anywhere; {@link #lost(Cluster, List)} gives the number to publish first. */
    public void assertNoneLost(Cluster cluster) throws SQLException {
        List<String> out = new ArrayList<>();
        int lost = lost(cluster, out);
        if (lost > 0) {
            throw new AssertionError(lost + " acknowledged writes lost: " + out);
        }
    }
}
