package io.sharemirror.store;

import io.sharemirror.sync.Backoff;
import io.sharemirror.sync.Clock;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.Mirror;
import io.sharemirror.sync.Retry;
import io.sharemirror.sync.conflict.ConflictPolicy;
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

    public static final Path CHINOOK = Path.of("..", "shared", "data", "chinook.sqlite");

    public final Path hub;
    public final List<Node> nodes = new ArrayList<>();
    private final Path root;

    public Cluster(Path root, Path hub) {
        this.root = root;
        this.hub = hub;
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

    /** A copy of the chinook sample as the hub. */
    public static Cluster chinook(Path root) throws Exception {
        Path hub = root.resolve("share").resolve("chinook.db");
        Files.createDirectories(hub.getParent());
        Files.copy(CHINOOK, hub);
        return new Cluster(root, hub);
    }

    public Node add(ConflictPolicy policy) {
        return add(policy, t -> true);
    }

    public Node add(ConflictPolicy policy, Predicate<String> tables) {
        Path cache = root.resolve("cache" + nodes.size());
        try {
            Files.createDirectories(cache);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        ConnectionFactory factory = new ConnectionFactory(Duration.ofSeconds(10));
        Retry retry = new Retry(new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), 8), Clock.SYSTEM);
        StateStore state = new StateStore(factory, cache.resolve("state.db"));
        SqliteMirrorStore store = new SqliteMirrorStore("db", hub.toString(), cache.resolve("db.db"), tables,
                factory, 3, Duration.ofSeconds(10), retry);
        Node node = new Node(new Mirror("db", store, policy, state, retry, Clock.SYSTEM), state,
                cache.resolve("db.db"));
        nodes.add(node);
        return node;
    }

    /** Syncs every node in turn, twice, so each sees what the others pushed. */
    public void settle() {
        for (int round = 0; round < 2; round++) {
            for (Node n : nodes) {
                CycleRecord r = n.sync();
                if (!r.succeeded()) {
                    throw new AssertionError("sync failed: " + r);
                }
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

    public static String scalar(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        }
    }
}
