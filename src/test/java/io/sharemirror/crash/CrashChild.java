package io.sharemirror.crash;

import io.sharemirror.store.ConnectionFactory;
import io.sharemirror.store.SqliteMirrorStore;
import io.sharemirror.store.StateStore;
import io.sharemirror.sync.Backoff;
import io.sharemirror.sync.Clock;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.Mirror;
import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.MirrorStore;
import io.sharemirror.sync.ReferenceClock;
import io.sharemirror.sync.Retry;
import io.sharemirror.sync.StoreException;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One agent life for the crash test: builds a Mirror over the hub (as {@code Cluster.add} does), then writes to
 * its replica through a plain JDBC connection as an application would and syncs, forever, until it is killed or
 * halts itself at a named crash point.
 *
 * <p>Arguments: {@code <hub> <cache folder> <ledger file> <mode> [key=value ...]} with mode one of
 * {@link Chaos.Point}'s labels and options {@code seed}, {@code nth}, {@code variant}, {@code delay} (ms, for
 * during-clone), {@code life} (the writer's name, e.g. A17), {@code writes} (false: sync only),
 * {@code concurrent} (true: the application writes on its own thread while the agent syncs) and
 * {@code synchronous} (the application connection's {@code PRAGMA synchronous}, e.g. normal as through the
 * jdbc:sharemirror: driver; SQLite's default when absent), {@code retry} ({@code base-ms,cap-ms,attempts} of the
 * busy backoff; the crash test's quick one when absent), {@code lockTimes} (true: print {@link LockTimer}'s lines),
 * and for the soak: {@code pace} and {@code syncEvery} (ms between the concurrent application's groups, default 4,
 * and between sync cycles, default 10), {@code deletes} (false: the application never deletes, so its row count
 * only grows), {@code stats} (ms between {@code STATS} lines) and {@code quietFile} (while it exists the application
 * writes nothing and the agent goes on syncing).
 *
 * <p>Output lines the parent reads: {@code READY}, {@code OPENED cloneMs=N}, {@code HALT <point> <detail>},
 * {@code SYNC-FAILED}, {@code WRITE-ERROR}, {@code CHILD-ERROR}, {@code HUB-LOCK}, {@code STATS heapKb=N pending=M}
 * (the heap in use right after a full collection, the replica's pending keys).
 */
public final class CrashChild {

    /** Shared text keys every writer puts and deletes, so the two replicas edit the same rows. */
    static final int SHARED_KEYS = 8;

    private CrashChild() {
    }

    public static void main(String[] args) {
        dieWithParent();
        System.out.println("READY pid=" + ProcessHandle.current().pid());
        System.out.flush();
        try {
            run(args);
        } catch (Throwable t) {
            System.out.println("CHILD-ERROR " + t);
            t.printStackTrace(System.out);
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }
    }

    /**
     * The test JVM holds this child's stdin open and never writes to it: end of input means the test JVM is gone
     * (killed, or a stopped build), and a child left running would keep writing to a hub nobody checks.
     */
    private static void dieWithParent() {
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // nothing is ever sent
                }
            } catch (java.io.IOException e) {
                // the pipe broke: the same news
            }
            Runtime.getRuntime().halt(4);
        }, "parent-watch");
        watch.setDaemon(true);
        watch.start();
    }

    /** The engine for one replica folder, built the way {@code Cluster.add} builds it. */
    record Agent(Mirror mirror, StateStore state, Path replica) implements AutoCloseable {

        /** The crash test's busy backoff: quick, and patient enough for two agents and a direct writer. */
        static final Backoff QUICK = new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), 8);

        static Agent open(String hub, Path cache, UnaryOperator<MirrorStore> decorate) {
            return open(hub, cache, decorate, QUICK);
        }

        /** {@code hub} is a file's path, or a PostgreSQL hub's address ({@link PgCrashHub}). */
        static Agent open(String hub, Path cache, UnaryOperator<MirrorStore> decorate, Backoff backoff) {
            ConnectionFactory factory = new ConnectionFactory(Duration.ofSeconds(10));
            Retry retry = new Retry(backoff, Clock.SYSTEM);
            StateStore state = new StateStore(factory, cache.resolve("state.db"));
            Path replica = cache.resolve("db.db");
            SqliteMirrorStore store = PgCrashHub.names(hub)
                    ? new SqliteMirrorStore("db", replica, t -> true, MirrorMode.READ_WRITE, factory, 3,
                            Duration.ofSeconds(10),
                            new ReferenceClock(Clock.SYSTEM, ReferenceClock.DEFAULT_AHEAD_LIMIT),
                            PgCrashHub.maker(hub, t -> true, MirrorMode.READ_WRITE))
                    : new SqliteMirrorStore("db", hub, replica, t -> true, MirrorMode.READ_WRITE, factory, 3,
                            Duration.ofSeconds(10), retry);
            return new Agent(new Mirror("db", decorate.apply(store), TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS), state, retry,
                    Clock.SYSTEM), state, replica);
        }

        @Override
        public void close() {
            mirror.store().close();
            state.close();
        }
    }

    private static void run(String[] args) throws Exception {
        String hub = args[0];
        Path cache = Path.of(args[1]);
        Path ledgerFile = Path.of(args[2]);
        Chaos.Point point = Chaos.Point.of(args[3]);
        Map<String, String> opt = new HashMap<>();
        for (int i = 4; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            opt.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Random random = new Random(Long.parseLong(opt.getOrDefault("seed", "1")));
        Chaos chaos = new Chaos(point, Integer.parseInt(opt.getOrDefault("nth", "1")),
                Integer.parseInt(opt.getOrDefault("variant", "0")), Long.parseLong(opt.getOrDefault("delay", "0")),
                new Random(random.nextLong()));
        String life = opt.getOrDefault("life", "X0");
        boolean writes = Boolean.parseBoolean(opt.getOrDefault("writes", "true"));
        boolean concurrent = Boolean.parseBoolean(opt.getOrDefault("concurrent", "false"));

        Backoff backoff = Agent.QUICK;
        if (opt.containsKey("retry")) {
            String[] r = opt.get("retry").split(",");
            backoff = new Backoff(Duration.ofMillis(Long.parseLong(r[0])), Duration.ofMillis(Long.parseLong(r[1])),
                    Integer.parseInt(r[2]));
        }
        boolean lockTimes = Boolean.parseBoolean(opt.getOrDefault("lockTimes", "false"));
        Agent agent = Agent.open(hub, cache, store -> {
            MirrorStore chaotic = chaos.store(store, cache.resolve("db.db"));
            return lockTimes ? LockTimer.store(chaotic) : chaotic;
        }, backoff);
        Mirror mirror = agent.mirror();
        long started = System.nanoTime();
        boolean cloned = !mirror.store().replicaFile().exists();
        // ContentionTest's direct writers and long readers hold the hub for up to 6.5 s at a time, and a loaded
        // machine stretches every attempt: a time limit, not a count, tells a hub locked for good from a busy one.
        long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                mirror.store().replica(); // clones the hub the first time
                break;
            } catch (StoreException e) {
                // e.g. the hub stayed locked by another agent for longer than the retries: not a crash problem
                System.out.println("STARTUP-RETRY " + attempt + " " + e.getMessage());
                if (System.nanoTime() > giveUp) {
                    throw e;
                }
                Thread.sleep(100); // a pause before retrying the start
            }
        }
        System.out.println("OPENED" + (cloned ? " cloneMs=" + (System.nanoTime() - started) / 1_000_000 : ""));
        System.out.flush();

        if (!writes) {
            while (true) {
                sync(mirror);
                Thread.sleep(5); // the pace of a syncing agent
            }
        }
        if (opt.containsKey("stats")) {
            daemon("stats", () -> stats(mirror, Long.parseLong(opt.get("stats"))));
        }
        App app = new App(agent.replica(), ledgerFile, life, new Random(random.nextLong()), opt.get("synchronous"),
                Boolean.parseBoolean(opt.getOrDefault("deletes", "true")));
        if (concurrent) {
            int pace = Integer.parseInt(opt.getOrDefault("pace", "4"));
            int syncEvery = Integer.parseInt(opt.getOrDefault("syncEvery", "10"));
            Path quiet = opt.containsKey("quietFile") ? Path.of(opt.get("quietFile")) : null;
            daemon("app-writer", () -> {
                while (true) {
                    if (quiet == null || !Files.exists(quiet)) {
                        app.writeOneGroup();
                    }
                    app.pause(pace);
                }
            });
            while (true) {
                sync(mirror);
                app.pause(syncEvery);
            }
        }
        while (true) {
            int groups = 1 + app.random.nextInt(4);
            for (int i = 0; i < groups; i++) {
                app.writeOneGroup();
            }
            sync(mirror);
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    /** Every {@code everyMs}: the heap in use right after a full collection (what is really kept), and the queue. */
    private static void stats(Mirror mirror, long everyMs) {
        while (true) {
            try {
                Thread.sleep(everyMs); // a sample every everyMs
                System.gc();
                long heapKb = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1024;
                System.out.println("STATS heapKb=" + heapKb + " pending=" + mirror.store().replica().pendingCount());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                System.out.println("STATS-FAILED " + e); // a busy replica now and then; the next sample comes
            }
        }
    }

    private static void sync(Mirror mirror) {
        CycleRecord r = mirror.sync();
        if (!r.succeeded()) {
            System.out.println("SYNC-FAILED " + r.outcome() + " " + r.error());
        }
    }

    /** An application writing to the replica through its own connection, recording every write in the ledger. */
    static final class App {
        final Random random;
        private final Connection connection;
        private final Ledger ledger;
        private final String life;
        private final boolean deletes;
        /** Keys of this writer's groups that may or may not have committed: never touched again. */
        private final Set<String> doubtful = new HashSet<>();
        private long gid;
        private long inserted;

        App(Path replica, Path ledgerFile, String life, Random random, String synchronous, boolean deletes)
                throws Exception {
            this.random = random;
            this.life = life;
            this.deletes = deletes;
            for (Ledger.Group g : Ledger.read(ledgerFile)) {
                gid = Math.max(gid, g.gid());
                if (!g.acknowledged()) {
                    g.ops().forEach(op -> doubtful.add(op.id()));
                }
            }
            ledger = Ledger.open(ledgerFile);
            connection = DriverManager.getConnection("jdbc:sqlite:" + replica);
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA busy_timeout = 10000");
                if (synchronous != null) {
                    s.execute("PRAGMA synchronous = " + synchronous.replaceAll("[^a-z]", ""));
                }
            }
        }

        void pause(int maxMs) {
            try {
                Thread.sleep(random.nextInt(maxMs + 1)); // an application's think time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** One application transaction of one to three statements, acknowledged in the ledger after COMMIT. */
        void writeOneGroup() {
            long id = ++gid;
            List<Ledger.Op> ops = new ArrayList<>();
            try {
                int n = random.nextInt(10) < 7 ? 1 : 2 + random.nextInt(2);
                for (int i = 0; i < n; i++) {
                    Ledger.Op op = plan(life + "/" + id + "." + i);
                    if (op != null && ops.stream().noneMatch(o -> o.id().equals(op.id()))) {
                        ops.add(op);
                    }
                }
            } catch (SQLException e) {
                System.out.println("WRITE-ERROR planning: " + e.getMessage());
                return;
            }
            if (ops.isEmpty()) {
                return;
            }
            try {
                ledger.intent(id, life, ops);
            } catch (Exception e) {
                throw new IllegalStateException("writing the ledger", e);
            }
            long[] ts = new long[ops.size()];
            try (Statement s = connection.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                try {
                    for (int i = 0; i < ops.size(); i++) {
                        ts[i] = execute(ops.get(i), id) == 0 ? -1 : clock();
                    }
                    s.execute("COMMIT");
                } catch (SQLException | RuntimeException e) {
                    try {
                        s.execute("ROLLBACK");
                    } catch (SQLException ignored) {
                        // the transaction may already be gone; the group stays in doubt either way
                    }
                    throw e;
                }
            } catch (SQLException e) {
                ops.forEach(op -> doubtful.add(op.id()));
                System.out.println("WRITE-ERROR " + e.getMessage());
                return;
            }
            try {
                ledger.ack(id, ts);
            } catch (Exception e) {
                throw new IllegalStateException("writing the ledger", e);
            }
        }

        /** Chooses the next statement; reads the replica to find rows to edit, as an application would. */
        private Ledger.Op plan(String value) throws SQLException {
            int dice = random.nextInt(100);
            if (dice < 40) {
                return new Ledger.Op("ins", "item", life + "-" + (++inserted), value);
            }
            if (dice < 70) {
                String uid = pickItem();
                if (uid == null || doubtful.contains("item:" + uid)) {
                    return null;
                }
                return new Ledger.Op(dice < 60 || !deletes ? "upd" : "del", "item", uid, value);
            }
            String k = "s" + random.nextInt(SHARED_KEYS);
            if (doubtful.contains("kv:" + k)) {
                return null;
            }
            return new Ledger.Op(dice < 88 || !deletes ? "put" : "del", "kv", k, value);
        }

        /** Mostly a recent row (edits right after a push are where crashes hurt), else any; never the hub's own. */
        private String pickItem() throws SQLException {
            String sql = random.nextInt(10) < 7
                    ? "SELECT uid FROM (SELECT uid FROM crash_item WHERE uid NOT LIKE 'H-%' ORDER BY id DESC LIMIT 10)"
                            + " ORDER BY random() LIMIT 1"
                    : "SELECT uid FROM crash_item WHERE uid NOT LIKE 'H-%' ORDER BY random() LIMIT 1";
            try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
                return r.next() ? r.getString(1) : null;
            }
        }

        private int execute(Ledger.Op op, long id) throws SQLException {
            String sql;
            if (op.table().equals("item")) {
                sql = switch (op.kind()) {
                    case "ins" -> "INSERT INTO crash_item(uid, val, note) VALUES(?1, ?2, ?3)";
                    case "upd" -> "UPDATE crash_item SET val = ?2, note = ?3 WHERE uid = ?1";
                    default -> "DELETE FROM crash_item WHERE uid = ?1";
                };
            } else {
                sql = op.isPut()
                        ? "INSERT INTO crash_kv(owner, k, v) VALUES('S', ?1, ?3)"
                                + " ON CONFLICT(owner, k) DO UPDATE SET v = ?3"
                        : "DELETE FROM crash_kv WHERE owner = 'S' AND k = ?1";
            }
            try (PreparedStatement p = connection.prepareStatement(sql)) {
                int parameters = p.getParameterMetaData().getParameterCount();
                p.setString(1, op.key());
                if (parameters >= 2) {
                    p.setLong(2, id);
                }
                if (parameters >= 3) {
                    p.setString(3, op.value());
                }
                return p.executeUpdate();
            }
        }

        /** The capture trigger stamps each change with the replica clock it just advanced: this write's time. */
        private long clock() throws SQLException {
            try (Statement s = connection.createStatement();
                 ResultSet r = s.executeQuery("SELECT clock FROM _sm_state")) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
