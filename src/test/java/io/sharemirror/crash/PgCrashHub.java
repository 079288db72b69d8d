package io.sharemirror.crash;

import io.sharemirror.paths.PostgresAddress;
import io.sharemirror.share.PostgresServer;
import io.sharemirror.store.Cluster;
import io.sharemirror.store.HubConnection;
import io.sharemirror.store.pg.PgConnector;
import io.sharemirror.store.pg.PgHubConnection;
import io.sharemirror.store.pg.PgHubCopy;
import io.sharemirror.sync.MirrorMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The crash test's hub on a PostgreSQL server (issue 17): {@link CrashHub}'s tables and rows moved onto the server's
 * database as {@code move-hub} moves a file hub, its address for the agents, a direct writer's connections, and an
 * SQLite snapshot for the same invariants a file hub is checked with. Children get the password in
 * {@link #PASSWORD_VARIABLE}, as a desktop would from its environment.
 */
final class PgCrashHub {

    static final String PASSWORD_VARIABLE = "PGPASSWORD";

    /** The test process's own agents' passwords, by hub address. */
    private static final Map<String, String> PASSWORDS = new ConcurrentHashMap<>();

    private final PostgresServer server;
    final String address;
    private PgCrashHub(PostgresServer server) {
        this.server = server;
        this.address = "postgresql://" + server.user() + "@127.0.0.1:" + server.port() + "/" + server.database()
                + "?sslmode=disable";
    }

    /** Empties the server's database: the hub a move or a copy fills. */
    static PgCrashHub empty(PostgresServer server) throws SQLException {
        try (Connection pg = server.connect(); Statement s = pg.createStatement()) {
            s.execute("DROP SCHEMA public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
        PgCrashHub hub = new PgCrashHub(server);
        PASSWORDS.put(hub.address, server.password());
        return hub;
    }

    /**
     * The server's database emptied and {@code file} ({@link CrashHub#create}'s hub) copied into it; the file is
     * first made a hub by an agent's sync (the copy takes its log too), its replica in {@code file}'s folder.
     */
    static PgCrashHub create(PostgresServer server, Path file) throws IOException, SQLException {
        try (CrashChild.Agent seed = CrashChild.Agent.open(file.toString(),
                Files.createDirectories(file.resolveSibling("seed-cache")), UnaryOperator.identity())) {
            seed.mirror().sync();
        }
        PgCrashHub hub = empty(server);
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + file);
             PgHubCopy copy = hub.copy()) {
            copy.copy(sqlite, line -> { });
            copy.commit();
        }
        return hub;
    }

    /** A copy of a file hub into this one, as {@code move-hub} makes. */
    PgHubCopy copy() throws SQLException {
        return new PgHubCopy(server.connect(), "the crash test's server");
    }

    static boolean names(String hub) {
        return hub.startsWith("postgresql://");
    }

    /**
     * How an agent's store reaches the hub at {@code hub}: a child has the password in its environment, agents in
     * the test's own process (the settling at the end) find it where {@link #create} left it.
     */
    static HubConnection.Maker maker(String hub, Predicate<String> tables, MirrorMode mode) {
        String password = PASSWORDS.getOrDefault(hub, System.getenv(PASSWORD_VARIABLE));
        PgConnector connector = new PgConnector(Map.of(PASSWORD_VARIABLE, password), Duration.ofSeconds(10),
                Duration.ofSeconds(30));
        try {
            return PgHubConnection.maker(PostgresAddress.parse(hub), tables, mode, connector);
        } catch (PostgresAddress.Invalid e) {
            throw new IllegalArgumentException("the crash test's own address " + hub, e);
        }
    }

    Map<String, String> childEnvironment() {
        return Map.of(PASSWORD_VARIABLE, server.password());
    }

    /** A direct writer's connection: a program on the hub's database without ShareMirror, auto-committing. */
    Connection connect() throws SQLException {
        return server.connect();
    }

    /** The newest log number the hub gave. */
    long logHead() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT coalesce(max(seq), 0) FROM _sm_log")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** The hub's tables and rows as an SQLite file made afresh, {@code folder/hub-snapshot.db}: what Invariants reads. */
    Path snapshot(Path folder) {
        try (Cluster reader = Cluster.on(folder, (tables, mode) -> maker(address, tables, mode))) {
            return reader.hubCopy();
        }
    }
}
