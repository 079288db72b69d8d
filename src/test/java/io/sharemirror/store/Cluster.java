package io.sharemirror.store;

import static org.awaitility.Awaitility.await;

import io.sharemirror.sync.ArchivedConflict;
import io.sharemirror.sync.Backoff;
import io.sharemirror.sync.Clock;
import io.sharemirror.sync.CloneProgress;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.Mirror;
import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.ReferenceClock;
import io.sharemirror.sync.Retry;
import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.TablePolicies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Predicate;

/** A hub file and several replicas in a temp folder, each replica with its own cache folder and state.db. */
public final class Cluster implements AutoCloseable {

    /** The chinook sample the demo bundles (a copy of ../shared/data's), so the tests need nothing outside the repo. */
    public static final Path CHINOOK = Path.of("src", "main", "resources", "demo", "chinook.sqlite");

    public final Path hub;
    public final List<Node> nodes = new ArrayList<>();
    private final Path root;
    /** The connection each node's store makes to a hub that is not the file {@link #hub}; null for a file hub. */
    private final HubMaker hubMaker;

    /** A store's hub connection for its mirrored tables and mode. */
    @FunctionalInterface
    public interface HubMaker {
        HubConnection.Maker make(Predicate<String> tables, MirrorMode mode);
    }

    public Cluster(Path root, Path hub) {
        this(root, hub, null);
    }

    private Cluster(Path root, Path hub, HubMaker hubMaker) {
        this.root = root;
        this.hub = hub;
        this.hubMaker = hubMaker;
    }

    /**
     * Replicas of a hub that is not a file (a PostgreSQL server): {@link #hub} is then where {@link #hubCopy} writes
     * the hub's snapshot for comparing.
     */
    public static Cluster on(Path root, HubMaker hubMaker) {
        return new Cluster(root, root.resolve("hub-snapshot.db"), hubMaker);
    }

    /** The hub as an SQLite file: the file itself, or a fresh snapshot of a hub of another kind. */
    public Path hubCopy() {
        if (hubMaker == null) {
            return hub;
        }
        try {
            Files.deleteIfExists(hub);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        HubConnection c = hubMaker.make(t -> true, MirrorMode.READ_ONLY).make(
                new ReferenceClock(Clock.SYSTEM, ReferenceClock.DEFAULT_AHEAD_LIMIT), sample -> { });
        try {
            c.hub().snapshotInto(hub, CloneProgress.NONE);
        } finally {
            c.disconnect();
        }
        return hub;
    }

    /** A hub made by running {@code ddl} on a new file (rollback journal, as on a share). */
    public static Cluster withSchema(Path root, String... ddl) throws SQLException {
        Path hub = root.resolve("share").resolve("hub.db");
        try {
            Files.createDirectories(hub.getParent());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + hub); Statement s = c.createStatement()) {
            for (String sql : ddl) {
                s.execute(sql);
            }
        }
        return new Cluster(root, hub);
    }

    /** {@link #withSchema} with two desktops of these policies, each with its first copy and in sync. */
    public static Cluster twoDesktops(Path root, TablePolicies policies, String... ddl) throws SQLException {
        Cluster cluster = withSchema(root, ddl);
        cluster.add(policies);
        cluster.add(policies);
        cluster.settle();
        return cluster;
    }

    /** A copy of the chinook sample as the hub. */
    public static Cluster chinook(Path root) throws Exception {
        Path hub = root.resolve("share").resolve("chinook.db");
        Files.createDirectories(hub.getParent());
        Files.copy(CHINOOK, hub);
        return new Cluster(root, hub);
    }

    public Node add(ConflictPolicy policy) {
        return add(TablePolicies.everyTable(policy));
    }

    public Node add(TablePolicies policies) {
        return add(policies, t -> true, MirrorMode.READ_WRITE);
    }

    public Node add(ConflictPolicy policy, Predicate<String> tables) {
        return add(TablePolicies.everyTable(policy), tables, MirrorMode.READ_WRITE);
    }

    /** A node whose replica is a read-only copy of the hub (mode: read-only). */
    public Node addReadOnly() {
        return add(TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS), t -> true, MirrorMode.READ_ONLY);
    }

    private Node add(TablePolicies policies, Predicate<String> tables, MirrorMode mode) {
        Node node = node(root.resolve("cache" + nodes.size()), policies, tables, mode);
        nodes.add(node);
        return node;
    }

    /** The node as a new agent process would find it: closed, then opened again on the same cache folder. */
    public Node reopen(Node old, ConflictPolicy policy) {
        old.close();
        Node node = node(old.replica().getParent(), TablePolicies.everyTable(policy), t -> true, old.store().mode());
        nodes.set(nodes.indexOf(old), node);
        return node;
    }

    private Node node(Path cache, TablePolicies policies, Predicate<String> tables, MirrorMode mode) {
        try {
            Files.createDirectories(cache);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        ConnectionFactory factory = new ConnectionFactory(Duration.ofSeconds(10));
        Retry retry = new Retry(new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), 8), Clock.SYSTEM);
        StateStore state = new StateStore(factory, cache.resolve("state.db"));
        SqliteMirrorStore store = hubMaker == null
                ? new SqliteMirrorStore("db", hub.toString(), cache.resolve("db.db"), tables, mode, factory, 3,
                        Duration.ofSeconds(10), retry)
                : new SqliteMirrorStore("db", cache.resolve("db.db"), tables, mode, factory, 3, Duration.ofSeconds(10),
                        new ReferenceClock(Clock.SYSTEM, ReferenceClock.DEFAULT_AHEAD_LIMIT),
                        hubMaker.make(tables, mode));
        return new Node(new Mirror("db", store, policies, state, retry, Clock.SYSTEM), state, cache.resolve("db.db"));
    }

    /** Syncs every node in turn, twice, so each sees what the others pushed. */
    public void settle() {
        for (int round = 0; round < 2; round++) {
            for (Node n : nodes) {
                assertSynced(n.sync());
            }
        }
    }

    @Override
    public void close() {
        nodes.forEach(Node::close);
    }

    /** One replica with its engine. */
    public record Node(Mirror mirror, StateStore state, Path replica) implements AutoCloseable {

        public CycleRecord sync() {
            return mirror.sync();
        }

        public SqliteMirrorStore store() {
            return (SqliteMirrorStore) mirror.store();
        }

        /** The archived conflicts of this node: (table, key, winner, reason, local JSON, hub JSON), newest first. */
        public List<ArchivedConflict> conflicts() {
            return state.conflicts("db", 100_000);
        }

        public String scalar(String sql) throws SQLException {
            mirror.store().replica();
            return Cluster.scalar(replica, sql);
        }

        /** Runs SQL on the replica as an application would: its own connection, capture by triggers. */
        public void exec(String... sql) throws SQLException {
            mirror.store().replica(); // clone first if needed
            run(replica, sql);
        }

        @Override
        public void close() {
            mirror.store().close();
            state.close();
        }
    }

    public static void run(Path db, String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    /** Every user table's rows in key order, as text: equal dumps mean equal contents. */
    public static TreeMap<String, List<String>> dump(Path db) throws SQLException {
        TreeMap<String, List<String>> out = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            for (String table : Schema.userTables(c)) {
                List<String> rows = new ArrayList<>();
                try (Statement s = c.createStatement();
                     ResultSet r = s.executeQuery("SELECT * FROM " + Sql.ident(table) + " ORDER BY 1, 2")) {
                    int n = r.getMetaData().getColumnCount();
                    while (r.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= n; i++) {
                            Object v = r.getObject(i);
                            row.append(v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : v).append('|');
                        }
                        rows.add(row.toString());
                    }
                }
                java.util.Collections.sort(rows);
                out.put(table, rows);
            }
        }
        return out;
    }

    /**
     * Every user table's rows with their storage classes (I/R/T/B/N), the rowid included for tables that
     * declare no key (it is their identity): stricter than {@link #dump}, which prints 1 and '1' alike.
     */
    public static TreeMap<String, List<String>> exactDump(Path db) throws SQLException {
        TreeMap<String, List<String>> out = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            for (TableInfo t : Schema.read(c, n -> true).values()) {
                List<String> rows = new ArrayList<>();
                try (Statement s = c.createStatement();
                     ResultSet r = s.executeQuery("SELECT " + Sql.idents(t.columns()) + " FROM " + Sql.ident(t.name()))) {
                    while (r.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= t.columns().size(); i++) {
                            row.append(typed(r.getObject(i))).append('|');
                        }
                        rows.add(row.toString());
                    }
                }
                java.util.Collections.sort(rows);
                out.put(t.name() + " " + t.columns(), rows);
            }
        }
        return out;
    }

    static String typed(Object v) {
        if (v == null) {
            return "N";
        } else if (v instanceof Integer || v instanceof Long) {
            return "I" + v;
        } else if (v instanceof Double d) {
            return "R" + d;
        } else if (v instanceof byte[] b) {
            return "B" + java.util.HexFormat.of().formatHex(b);
        }
        return "T" + v;
    }

    /** Asserts every database of the cluster has the hub's exact contents, passes its integrity and foreign key checks. */
    public void assertConverged() throws SQLException {
        Path hubFile = hubCopy();
        var hubDump = exactDump(hubFile);
        assertHealthy(hubFile);
        for (Node n : nodes) {
            assertHealthy(n.replica());
            var replicaDump = exactDump(n.replica());
            if (!hubDump.equals(replicaDump)) {
                throw new AssertionError("replica " + n.replica() + " differs from the hub: " + difference(hubDump, replicaDump));
            }
            String pending = scalar(n.replica(), "SELECT count(*) FROM _sm_pending");
            if (!"0".equals(pending)) {
                throw new AssertionError(pending + " pending rows left on " + n.replica());
            }
        }
    }

    /** The first table whose rows differ, with the rows only one side has. */
    static String difference(TreeMap<String, List<String>> a, TreeMap<String, List<String>> b) {
        if (!a.keySet().equals(b.keySet())) {
            return "tables " + a.keySet() + " vs " + b.keySet();
        }
        for (String t : a.keySet()) {
            if (!a.get(t).equals(b.get(t))) {
                List<String> onlyA = new ArrayList<>(a.get(t));
                onlyA.removeAll(b.get(t));
                List<String> onlyB = new ArrayList<>(b.get(t));
                onlyB.removeAll(a.get(t));
                return t + ": only in the first " + cut(onlyA) + ", only in the second " + cut(onlyB);
            }
        }
        return "none";
    }

    private static String cut(List<String> rows) {
        String text = rows.toString();
        return text.length() > 2000 ? text.substring(0, 2000) + "..." : text;
    }

    /** {@code PRAGMA integrity_check} is ok and {@code PRAGMA foreign_key_check} finds nothing. */
    public static void assertHealthy(Path db) throws SQLException {
        String integrity = scalar(db, "PRAGMA integrity_check");
        if (!"ok".equals(integrity)) {
            throw new AssertionError("integrity_check of " + db + ": " + integrity);
        }
        String fk = scalar(db, "SELECT count(*) FROM pragma_foreign_key_check");
        if (!"0".equals(fk)) {
            throw new AssertionError("foreign_key_check of " + db + " found " + fk + " problems: " + scalar(db,
                    "SELECT group_concat(\"table\" || ' rowid ' || rowid || ' points at a missing ' || parent, '; ')"
                    + " FROM pragma_foreign_key_check"));
        }
    }

    /**
     * Zeroes, in place, the page of {@code db} that {@code pageQuery} names (run on {@code db}), as a failing disk
     * would. Its -wal must have been checkpointed.
     */
    public static void damagePage(Path db, String pageQuery) throws SQLException, java.io.IOException {
        int size = Integer.parseInt(scalar(db, "PRAGMA page_size"));
        long page = Long.parseLong(scalar(db, pageQuery));
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(db.toFile(), "rw")) {
            f.seek((page - 1) * size);
            f.write(new byte[size]);
        }
    }

    /** Writes the hub as a program without ShareMirror would. */
    /** A cycle that succeeded, or a failure that names it. */
    public static void assertSynced(CycleRecord record) {
        if (!record.succeeded()) {
            throw new AssertionError("sync failed: " + record);
        }
    }

    public void hubExec(String... sql) throws SQLException {
        run(hub, sql);
    }

    /**
     * Returns once the wall clock reads a later millisecond than every change stamped in {@code db} (a replica's
     * clock, a hub's log), so that whatever is changed next, anywhere, is the newer change.
     */
    public static void awaitClockPast(Path db) throws SQLException {
        boolean replica = "1".equals(scalar(db, "SELECT count(*) FROM sqlite_master WHERE name = '_sm_state'"));
        awaitClockPast(Long.parseLong(scalar(db, replica ? "SELECT clock FROM _sm_state"
                : "SELECT coalesce(max(ts), 0) FROM _sm_log")));
    }

    /** Returns once the wall clock reads later than {@code stampMs}: the passing of time is the condition. */
    public static void awaitClockPast(long stampMs) {
        await("the clock past " + stampMs).atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1)).until(() -> System.currentTimeMillis() > stampMs);
    }

    public static String scalar(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        }
    }
}
