package io.sharemirror.store;

import io.sharemirror.sync.HookedStore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sharemirror.sync.ArchivedConflict;
import io.sharemirror.sync.Backoff;
import io.sharemirror.sync.Clock;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.Mirror;
import io.sharemirror.sync.Retry;
import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.TablePolicies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Randomized, seeded histories: 2-4 replicas write an integer-key table, a composite-key table and a table without
 * a declared key (inserts with colliding keys, updates, INSERT OR REPLACE, deletes, key changes), random subsets
 * of them sync at random points, a program writes the hub directly now and then, some replica clocks jump far
 * ahead, and some cycles die right after the hub committed their push (the node then stays away for a while).
 * After everyone settles, the hub and every replica must be identical and healthy, with nothing pending and a
 * further round idle, and the surviving rows must be the right ones.
 *
 * <p>The oracle. Every written row carries a unique value {@code v} (the write's id), so the final contents say
 * exactly which write survived where. Each write records the replica clock stamp its key got in
 * {@code _sm_pending} (read in the writing transaction) and the value it overwrote (its parent). Then:
 * <ul>
 * <li>every surviving row is a written version, unchanged, in its own table, at its own key unless the engine
 *     re-keyed it (the hub log shows the same version pushed under the new key), and no version survives twice;</li>
 * <li>only a row created on its node since that node's last push may be re-keyed: never an edit of an existing
 *     row, never a version that had already reached the hub under its own key;</li>
 * <li>no loss: every version nobody overwrote knowingly (a leaf: no later write had it as parent) survives or is
 *     in some node's conflict archive;</li>
 * <li>newest-wins, exactly: for a key written only by replicas, with no re-key, no "created and deleted
 *     locally" version and no row made again after a delete of the key (a delete concerns the row it saw, so a row
 *     made on the key afterwards outlives a delete of the old row whatever the stamps; which versions compete
 *     then depends on who had seen what), the surviving state is that of the write with the largest (stamp, node).
 *     A write made after seeing another always has a larger stamp (the hybrid clock), so this is the policy's pick
 *     among the concurrent ones. Keys also written directly on the hub are left to the properties above: a direct write
 *     supersedes whatever the hub had, yet carries the wall-clock time, so which version it competes with
 *     depends on timing.</li>
 * </ul>
 *
 * <p>{@code -Dconvergence.cases=N} (default 60, {@link #ciCases}) sets the number of cases, {@code -Dconvergence.seed=S} reruns one
 * case, {@code -Dconvergence.master=M} draws a different set of cases (the default set is fixed, so a run is
 * repeatable), {@code -Dconvergence.trace=true} prints every step.
 */
public class ConvergenceTest {

    private static final String[] SCHEMA = {
        "CREATE TABLE ti(id INTEGER PRIMARY KEY, v TEXT NOT NULL)",
        "CREATE TABLE tc(a INTEGER NOT NULL, b TEXT NOT NULL, v TEXT NOT NULL, PRIMARY KEY(a, b))",
        "CREATE TABLE tn(v TEXT NOT NULL)",
        "INSERT INTO ti VALUES(1, 'init-ti-1'), (2, 'init-ti-2'), (3, 'init-ti-3'), (4, 'init-ti-4')",
        "INSERT INTO tc VALUES(1, 'x', 'init-tc-1x'), (2, 'y', 'init-tc-2y')",
        "INSERT INTO tn(rowid, v) VALUES(1, 'init-tn-1'), (2, 'init-tn-2'), (3, 'init-tn-3')",
    };
    private static final String[] TABLES = {"ti", "tc", "tn"};
    /** {@code -Dconvergence.trace=true} prints every step of the cases run, for debugging one seed. */
    private static final boolean TRACE = Boolean.getBoolean("convergence.trace");
    private static final String[] B_VALUES = {"x", "y", "z"};
    /** The SQL the replicas' applications write in (through connections of their own). */
    private static final DirectHubWriter REPLICA_SQL = DirectHubWriter.sqlite(null);

    @TempDir
    Path dir;

    /** One write's result for one key: a row with value {@code id}, or a delete ({@code present} false). */
    record Version(String id, String table, String key, String node, long ts, boolean ins, boolean present,
                   String parent, boolean direct, int epoch) {
    }

    static final class Stats {
        int cases;
        int writes;
        int directWrites;
        int syncs;
        int keysCheckedExactly;
        int archived;
        int rekeyed;
        int finalRows;
        int crashes;
    }

    /** The hub every case starts from: this class's is a file made by {@code ddl}. */
    protected Cluster cluster(Path root, String... ddl) throws Exception {
        return Cluster.withSchema(root, ddl);
    }

    /** The number of cases when {@code convergence.cases} is not set (the long profile sets it). */
    protected int ciCases() {
        return 60;
    }

    protected DirectHubWriter directWriter(Cluster cluster) {
        return DirectHubWriter.sqlite(cluster.hub);
    }

    @Test
    void randomHistoriesConvergeToThePolicysPick() throws Exception {
        Stats stats = new Stats();
        String only = System.getProperty("convergence.seed");
        List<Long> seeds = new ArrayList<>();
        if (only != null) {
            seeds.add(Long.parseLong(only));
        } else {
            Random master = new Random(Long.getLong("convergence.master", 0x5AEC0DEL));
            for (int i = 0; i < Integer.getInteger("convergence.cases", ciCases()); i++) {
                seeds.add(master.nextLong());
            }
        }
        for (int i = 0; i < seeds.size(); i++) {
            long seed = seeds.get(i);
            try {
                new Case(seed, Files.createDirectories(dir.resolve("case" + i)), stats).run();
            } catch (Throwable t) {
                throw new AssertionError("convergence case " + i + " failed; rerun it alone with -Dconvergence.seed="
                        + seed + ": " + t.getMessage(), t);
            }
            stats.cases++;
        }
        System.out.printf(getClass().getSimpleName() + ": %d cases, %d replica writes, %d direct hub writes, %d syncs, %d conflicts"
                        + " archived, %d rows re-keyed, %d keys checked against the exact newest-wins oracle,"
                        + " %d rows at the end, %d crashes between a push's commit and its clearing%n", stats.cases, stats.writes,
                stats.directWrites, stats.syncs, stats.archived, stats.rekeyed, stats.keysCheckedExactly, stats.finalRows,
                stats.crashes);
        assertTrue(stats.cases == 1 || stats.keysCheckedExactly > stats.cases, "the exact oracle checked keys");
    }

    /** A replica as an application uses it: one connection kept open. */
    record Peer(Cluster.Node node, Connection app, String id) {
    }

    private final class Case {
        final long seed;
        final Random rnd;
        final Path root;
        final Stats stats;
        final ConflictPolicy policy;
        final List<Version> versions = new ArrayList<>();
        final List<Long> insertedIds = new ArrayList<>();
        /** Successful syncs per node: writes between the same two syncs of a node went to the hub together. */
        final Map<String, Integer> epochs = new HashMap<>();
        int nextWrite;
        long nextFreshKey = 100;

        Case(long seed, Path root, Stats stats) {
            this.seed = seed;
            this.rnd = new Random(seed);
            this.root = root;
            this.stats = stats;
            int p = rnd.nextInt(10);
            this.policy = p < 6 ? ConflictPolicy.NEWEST_WINS : p < 8 ? ConflictPolicy.HUB_WINS : ConflictPolicy.REPLICA_WINS;
        }

        void run() throws Exception {
            try (Cluster cluster = cluster(root, SCHEMA)) {
                seedVersions(cluster.hubCopy());
                DirectHubWriter hubWriter = directWriter(cluster);
                int peers = 2 + rnd.nextInt(3);
                List<Peer> all = new ArrayList<>();
                for (int i = 0; i < peers; i++) {
                    Cluster.Node node = cluster.add(policy);
                    node.store().replica(); // cloned now, before anyone writes
                    Connection app = DriverManager.getConnection("jdbc:sqlite:" + node.replica());
                    try (Statement s = app.createStatement()) {
                        s.execute("PRAGMA busy_timeout = 10000");
                    }
                    all.add(new Peer(node, app, Cluster.scalar(node.replica(), "SELECT node FROM _sm_state")));
                }
                Map<String, Integer> downUntil = new HashMap<>();
                try {
                    int steps = 20 + rnd.nextInt(50);
                    for (int step = 0; step < steps; step++) {
                        int dice = rnd.nextInt(100);
                        if (dice < 62) {
                            replicaWrite(all.get(rnd.nextInt(peers)));
                        } else if (dice < 70) {
                            directWrite(hubWriter);
                        } else if (dice < 94) {
                            List<Peer> order = new ArrayList<>(all);
                            java.util.Collections.shuffle(order, rnd);
                            for (Peer p : order.subList(0, 1 + rnd.nextInt(peers))) {
                                if (downUntil.getOrDefault(p.id(), 0) <= step) {
                                    sync(p);
                                }
                            }
                        } else if (dice < 98) {
                            Peer crashing = all.get(rnd.nextInt(peers));
                            crashAfterCommit(crashing);
                            downUntil.put(crashing.id(), step + 3 + rnd.nextInt(10)); // others sync meanwhile
                        } else {
                            long skew = 1 + (long) (rnd.nextDouble() * 10_000_000L);
                            Peer fast = all.get(rnd.nextInt(peers));
                            exec(fast.app(), "UPDATE _sm_state SET clock = clock + " + skew);
                            trace("clock of " + fast.id().substring(0, 4) + " + " + skew);
                        }
                    }
                } finally {
                    for (Peer p : all) {
                        p.app().close();
                    }
                }
                cluster.settle();
                stats.syncs += 2 * peers;
                for (Peer p : all) {
                    CycleRecord r = sync(p);
                    assertEquals(CycleRecord.Outcome.IDLE, r.outcome(), "a settled node has nothing to do: " + r);
                }
                cluster.assertConverged();
                check(cluster, all);
            }
        }

        private CycleRecord sync(Peer p) {
            CycleRecord r = p.node().sync();
            trace("sync " + p.id().substring(0, 4) + ": pushed " + r.pushed() + ", pulled " + r.pulled() + ", conflicts "
                    + r.conflicts() + " " + r.outcome());
            stats.syncs++;
            if (!r.succeeded()) {
                fail("sync failed: " + r);
            }
            epochs.merge(p.id(), 1, Integer::sum);
            return r;
        }

        /** A cycle that dies right after the hub commits its push: the pending rows stay, the cursor stays behind. */
        private void crashAfterCommit(Peer p) {
            HookedStore hooked = new HookedStore(p.node().mirror().store());
            hooked.crashBeforeClear = true;
            Retry retry = new Retry(new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), 3), Clock.SYSTEM);
            CycleRecord r = new Mirror("db", hooked, TablePolicies.everyTable(policy), p.node().state(), retry, Clock.SYSTEM).sync();
            trace("crash " + p.id().substring(0, 4) + " after the hub commit: " + hooked.crashed + " " + r.outcome());
            if (hooked.crashed) {
                epochs.merge(p.id(), 1, Integer::sum); // what it pushed is on the hub
                stats.crashes++;
            } else {
                assertTrue(r.succeeded(), r.toString());
            }
        }

        private void seedVersions(Path hub) throws SQLException {
            for (String table : TABLES) {
                for (String[] row : rows(hub, table)) {
                    versions.add(new Version(row[1], table, row[0], "", 0, false, true, null, false, 0));
                }
            }
        }

        // ---- writes ----

        private String newValue() {
            return "w" + (nextWrite++) + "-" + Long.toHexString(seed).substring(0, 4);
        }

        private long freshKey() {
            return nextFreshKey += 1 + rnd.nextInt(3);
        }

        /** A key not used here: one someone else inserted (to collide with), or a fresh one. */
        private long collidingOrFresh(Connection c, String table, DirectHubWriter sql) throws SQLException {
            if (!insertedIds.isEmpty() && rnd.nextBoolean()) {
                long id = insertedIds.get(rnd.nextInt(insertedIds.size()));
                if (!exists(c, table, id, sql)) {
                    return id;
                }
            }
            long id = freshKey();
            while (exists(c, table, id, sql)) { // re-keyed rows take keys above the largest
                id = freshKey();
            }
            return id;
        }

        private static boolean exists(Connection c, String table, long rowid, DirectHubWriter sql) throws SQLException {
            return !query(c, "SELECT count(*) FROM " + table + " WHERE " + keyColumn(table, sql) + " = " + rowid).equals("0");
        }

        private void replicaWrite(Peer p) throws SQLException {
            Connection c = p.app();
            String table = TABLES[rnd.nextInt(TABLES.length)];
            exec(c, "BEGIN IMMEDIATE");
            try {
                List<String[]> existing = rows(c, table, REPLICA_SQL);
                int kind = rnd.nextInt(100);
                List<String[]> changed; // {key, value or null, parent}
                if (existing.isEmpty() || kind < 35) {
                    changed = insert(c, table, REPLICA_SQL);
                } else {
                    String[] row = existing.get(rnd.nextInt(existing.size()));
                    if (kind < 70) {
                        String v = newValue();
                        if (rnd.nextInt(4) == 0) {
                            exec(c, replace(table, row[0], v)); // how many applications save a row
                        } else {
                            exec(c, "UPDATE " + table + " SET v = '" + v + "' WHERE " + where(table, row[0], REPLICA_SQL));
                        }
                        changed = java.util.Collections.singletonList(new String[] {row[0], v, row[1]});
                    } else if (kind < 88) {
                        exec(c, "DELETE FROM " + table + " WHERE " + where(table, row[0], REPLICA_SQL));
                        changed = java.util.Collections.singletonList(new String[] {row[0], null, row[1]});
                    } else {
                        changed = changeKey(c, table, row);
                    }
                }
                for (String[] ch : changed) {
                    if (ch == null) {
                        continue;
                    }
                    String[] pending = pending(c, table, ch[0]);
                    assertNotNull(pending, "the write to " + table + " " + ch[0] + " was captured");
                    versions.add(new Version(ch[1] == null ? newValue() : ch[1], table, ch[0], p.id(),
                            Long.parseLong(pending[0]), pending[1].equals("1"), ch[1] != null, ch[2], false,
                            epochs.getOrDefault(p.id(), 0)));
                    trace("write " + versions.get(versions.size() - 1));
                    stats.writes++;
                }
                exec(c, "COMMIT");
            } catch (SQLException | RuntimeException | Error e) {
                exec(c, "ROLLBACK");
                throw e;
            }
        }

        private List<String[]> insert(Connection c, String table, DirectHubWriter sql) throws SQLException {
            String v = newValue();
            String key;
            switch (table) {
                case "ti", "tn" -> {
                    String column = keyColumn(table, sql);
                    boolean auto = rnd.nextInt(10) < 4;
                    long id = auto ? 0 : collidingOrFresh(c, table, sql);
                    id = Long.parseLong(query(c, "INSERT INTO " + table + "(" + column + ", v) VALUES(" + (auto ? "NULL" : id)
                            + ", '" + v + "') RETURNING " + column));
                    insertedIds.add(id);
                    key = "[" + id + "]";
                }
                default -> {
                    int a = 1 + rnd.nextInt(4);
                    String b = B_VALUES[rnd.nextInt(B_VALUES.length)];
                    key = "[" + a + ",\"" + b + "\"]";
                    if (!query(c, "SELECT count(*) FROM tc WHERE " + where("tc", key, sql)).equals("0")) {
                        return List.of(); // taken here; the dice said insert, so nothing happens
                    }
                    exec(c, "INSERT INTO tc VALUES(" + a + ", '" + b + "', '" + v + "')");
                }
            }
            List<String[]> changed = new ArrayList<>();
            changed.add(new String[] {key, v, null});
            return changed;
        }

        private List<String[]> changeKey(Connection c, String table, String[] row) throws SQLException {
            String v = newValue();
            String newKey;
            switch (table) {
                case "ti", "tn" -> {
                    String column = table.equals("ti") ? "id" : "rowid";
                    long id = collidingOrFresh(c, table, REPLICA_SQL);
                    exec(c, "UPDATE " + table + " SET " + column + " = " + id + ", v = '" + v + "' WHERE " + where(table, row[0], REPLICA_SQL));
                    newKey = "[" + id + "]";
                }
                default -> {
                    int a = 1 + rnd.nextInt(5);
                    String b = B_VALUES[rnd.nextInt(B_VALUES.length)];
                    newKey = "[" + a + ",\"" + b + "\"]";
                    if (!query(c, "SELECT count(*) FROM tc WHERE " + where("tc", newKey, REPLICA_SQL)).equals("0")) {
                        return List.of();
                    }
                    exec(c, "UPDATE tc SET a = " + a + ", b = '" + b + "', v = '" + v + "' WHERE " + where("tc", row[0], REPLICA_SQL));
                }
            }
            return List.of(new String[] {newKey, v, row[1]}, new String[] {row[0], null, row[1]});
        }

        private void directWrite(DirectHubWriter hub) throws SQLException {
            try (Connection c = hub.begin()) {
                String table = TABLES[rnd.nextInt(TABLES.length)];
                List<String[]> existing = rows(c, table, hub);
                int kind = rnd.nextInt(3);
                List<String[]> changed;
                if (existing.isEmpty() || kind == 0) {
                    changed = insert(c, table, hub);
                } else {
                    String[] row = existing.get(rnd.nextInt(existing.size()));
                    if (kind == 1) {
                        String v = newValue();
                        exec(c, "UPDATE " + table + " SET v = '" + v + "' WHERE " + where(table, row[0], hub));
                        changed = java.util.Collections.singletonList(new String[] {row[0], v, row[1]});
                    } else {
                        exec(c, "DELETE FROM " + table + " WHERE " + where(table, row[0], hub));
                        changed = java.util.Collections.singletonList(new String[] {row[0], null, row[1]});
                    }
                }
                for (String[] ch : changed) {
                    versions.add(new Version(ch[1] == null ? newValue() : ch[1], table, ch[0], "", 0, false,
                            ch[1] != null, ch[2], true, 0));
                    trace("direct " + versions.get(versions.size() - 1));
                    stats.directWrites++;
                }
                exec(c, "COMMIT");
            }
        }

        // ---- the oracle ----

        private void check(Cluster cluster, List<Peer> peers) throws SQLException {
            Path hub = cluster.hubCopy();
            Map<String, Version> byId = new HashMap<>();
            versions.forEach(v -> byId.put(v.id(), v));
            Set<String> parents = new HashSet<>();
            versions.forEach(v -> parents.add(v.parent()));
            Map<String, List<Version>> byKey = new LinkedHashMap<>(); // table+key -> its versions, in write order
            versions.forEach(v -> byKey.computeIfAbsent(v.table() + v.key(), k -> new ArrayList<>()).add(v));

            // Re-keys, from the hub log: a replica's version pushed under a key other than the one it was written at.
            // A stamp names a version within its table; edits of two rows that each came after a far-ahead stamp may
            // share one (the remembered stamp + 1, ARCHITECTURE.md#conflicts), which is why the table is in the name.
            Map<String, List<Version>> byStamp = new HashMap<>();
            versions.stream().filter(v -> !v.node().isEmpty()).forEach(v -> byStamp.computeIfAbsent(
                    v.node() + "@" + v.ts() + "@" + v.table(), k -> new ArrayList<>()).add(v));
            Set<String> unclean = new HashSet<>();
            Map<String, Set<String>> movedTo = new HashMap<>();
            Set<String> pushedInPlace = new HashSet<>();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + hub);
                 Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT tbl, pk, origin, ts FROM _sm_log WHERE origin IS NOT NULL")) {
                while (r.next()) {
                    List<Version> named = byStamp.getOrDefault(r.getString(3) + "@" + r.getLong(4) + "@"
                            + r.getString(1), List.of());
                    assertFalse(named.isEmpty(), "the hub log names a version nobody wrote: " + r.getString(1) + " "
                            + r.getString(2));
                    String pk = r.getString(2);
                    Version v = named.stream().filter(n -> n.key().equals(pk)).findFirst().orElse(null);
                    if (v != null) {
                        pushedInPlace.add(v.id());
                    } else {
                        assertEquals(1, named.size(), "a re-keyed entry whose stamp names several versions: " + named);
                        v = named.get(0);
                        unclean.add(v.table() + v.key());
                        unclean.add(v.table() + r.getString(2));
                        if (movedTo.computeIfAbsent(v.id(), k -> new HashSet<>()).add(r.getString(2))) {
                            stats.rekeyed++;
                        }
                    }
                }
            }

            // Only a row created here since the node's last sync may be moved by a re-key: an edit of an existing
            // row (an UPDATE, or an INSERT OR REPLACE of a row that was there) is never a second row, unless the edit
            // outlived someone's delete of that row and the key holds a different row by then (ARCHITECTURE.md#one-sync-cycle: both
            // survive). And never one that had reached the hub at its key already (as after a crash before the
            // clearing).
            for (String moved : movedTo.keySet()) {
                Version v = byId.get(moved);
                assertTrue(createdSinceSync(v, byId) || revivesOnATakenKey(v, byKey.get(v.table() + v.key())), "version " + v + " was re-keyed to "
                        + movedTo.get(moved) + " but edits a row that existed before");
                assertTrue(!pushedInPlace.contains(moved), "version " + byId.get(moved) + " was re-keyed to "
                        + movedTo.get(moved) + " after it had been pushed under its own key");
            }

            // What survived: each row is a written version, at its key (or where a re-key took it), at most once.
            Map<String, String> survivor = new HashMap<>(); // table+key -> value
            Set<String> surviving = new HashSet<>();
            for (String table : TABLES) {
                for (String[] row : rows(hub, table)) {
                    Version v = byId.get(row[1]);
                    assertNotNull(v, "a surviving row holds a value nobody wrote: " + table + " " + row[0] + " " + row[1]);
                    assertTrue(v.present() && v.table().equals(table), "surviving row " + row[1] + " is " + v);
                    assertTrue(v.key().equals(row[0]) || movedTo.getOrDefault(v.id(), Set.of()).contains(row[0]),
                            "version " + v + " survived at " + row[0] + " without a re-key taking it there");
                    assertTrue(surviving.add(row[1]), "version " + row[1] + " survives twice");
                    survivor.put(table + row[0], row[1]);
                    stats.finalRows++;
                }
            }

            // No loss: a version nobody overwrote knowingly survives, or lost a conflict and is archived.
            List<ArchivedConflict> archive = new ArrayList<>();
            peers.forEach(p -> archive.addAll(p.node().conflicts()));
            stats.archived += archive.size();
            for (Version v : versions) {
                if (v.present() && !parents.contains(v.id()) && !surviving.contains(v.id())) {
                    assertTrue(archive.stream().anyMatch(a -> a.table().equals(v.table())
                                    && Archive.holds(a, "v", v.id())),
                            "version " + v + " is neither in the database nor in any conflict archive");
                }
            }

            // Newest-wins, exactly, where the outcome does not depend on timing.
            if (policy != ConflictPolicy.NEWEST_WINS) {
                return;
            }
            for (var entry : byKey.entrySet()) {
                List<Version> vs = entry.getValue();
                boolean clean = !unclean.contains(entry.getKey())
                        && vs.stream().noneMatch(v -> v.direct() || (!v.present() && v.ins())
                                || madeAgainAfterADelete(v, vs));
                if (!clean) {
                    continue;
                }
                Version winner = vs.stream().max(Comparator.comparingLong(Version::ts).thenComparing(Version::node)).get();
                String expected = winner.present() ? winner.id() : null;
                assertEquals(expected, survivor.get(entry.getKey()), "newest-wins at " + entry.getKey()
                        + " among " + vs);
                stats.keysCheckedExactly++;
            }
        }

        /**
         * Whether {@code v} edits a row another write deleted, on a key that a row made after that delete holds: the
         * edit brings the row back, and the key is no longer its own.
         */
        private static boolean revivesOnATakenKey(Version v, List<Version> ofItsKey) {
            for (int i = 0; i < ofItsKey.size(); i++) {
                Version delete = ofItsKey.get(i);
                if (delete != v && !delete.present() && Objects.equals(delete.parent(), v.parent())
                        && ofItsKey.subList(i + 1, ofItsKey.size()).stream()
                                .anyMatch(made -> made != v && made.present() && (made.ins() || made.direct()))) {
                    return true;
                }
            }
            return false;
        }

        /** Whether {@code v} made a row on its key after some node had deleted the key's row. */
        private static boolean madeAgainAfterADelete(Version v, List<Version> ofItsKey) {
            return v.present() && v.ins()
                    && ofItsKey.subList(0, ofItsKey.indexOf(v)).stream().anyMatch(earlier -> !earlier.present());
        }

        /** Whether the row holding {@code v} was created on v's node, at v's key, since that node last synced. */
        private static boolean createdSinceSync(Version v, Map<String, Version> byId) {
            if (v.parent() == null) {
                return true; // an insert of a new row
            }
            Version p = byId.get(v.parent());
            if (!p.key().equals(v.key()) || !p.table().equals(v.table())) {
                return true; // a key change moved the row onto this key
            }
            return p.node().equals(v.node()) && p.epoch() == v.epoch() && createdSinceSync(p, byId);
        }

        private static void trace(String line) {
            if (TRACE) {
                System.out.println("TRACE " + line);
            }
        }
    }

    // ---- SQL helpers ----

    /** The row at a key: {@code [id]}, or {@code [a,"b"]} for tc (whose b values need no escaping). */
    private static String where(String table, String key, DirectHubWriter sql) {
        String[] values = key.substring(1, key.length() - 1).split(",", 2);
        if (table.equals("tc")) {
            return "a = " + values[0] + " AND b = '" + values[1].substring(1, values[1].length() - 1) + "'";
        }
        return keyColumn(table, sql) + " = " + values[0];
    }

    private static String keyColumn(String table, DirectHubWriter sql) {
        return table.equals("ti") ? "id" : sql.rowidColumn();
    }

    /** INSERT OR REPLACE of the row with this key: an edit, as applications that "save" a row write it. */
    private static String replace(String table, String key, String v) {
        String values = key.substring(1, key.length() - 1).replace('"', '\'');
        return switch (table) {
            case "ti" -> "INSERT OR REPLACE INTO ti(id, v) VALUES(" + values + ", '" + v + "')";
            case "tc" -> "INSERT OR REPLACE INTO tc(a, b, v) VALUES(" + values + ", '" + v + "')";
            default -> "INSERT OR REPLACE INTO tn(rowid, v) VALUES(" + values + ", '" + v + "')";
        };
    }

    /** Every row of a test table as {key JSON, v}, in key order. */
    private static List<String[]> rows(Path db, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            return rows(c, table, REPLICA_SQL);
        }
    }

    private static List<String[]> rows(Connection c, String table, DirectHubWriter sql) throws SQLException {
        String key = table.equals("tc") ? "'[' || a || ',' || " + sql.jsonQuote("b") + " || ']'"
                : "'[' || " + keyColumn(table, sql) + " || ']'";
        List<String[]> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT " + key + ", v FROM " + table + " ORDER BY 1")) {
            while (r.next()) {
                out.add(new String[] {r.getString(1), r.getString(2)});
            }
        }
        return out;
    }

    private static String[] pending(Connection c, String table, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT ts, ins FROM _sm_pending WHERE tbl = ? AND pk = ?")) {
            s.setString(1, table);
            s.setString(2, key);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? new String[] {r.getString(1), r.getString(2)} : null;
            }
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        }
    }
}
