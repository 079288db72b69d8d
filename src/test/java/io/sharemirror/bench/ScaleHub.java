package io.sharemirror.bench;

import io.sharemirror.paths.PostgresAddress;
import io.sharemirror.share.LatencyProxy;
import io.sharemirror.share.PostgresServer;
import io.sharemirror.store.Cluster;
import io.sharemirror.store.ConnectionFactory;
import io.sharemirror.store.pg.PgConnector;
import io.sharemirror.store.pg.PgHubConnection;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * One of B11's two hubs, both the same distance away: the FaultFs share at the run's latency per operation, or a
 * PostgreSQL server on loopback behind a {@link LatencyProxy} adding that latency to each round trip. Each makes a
 * fresh hub holding {@link #TABLE}, counts the operations it serves, and opens a direct writer's connection.
 */
interface ScaleHub extends AutoCloseable {

    String TABLE = "CREATE TABLE item(id INTEGER PRIMARY KEY, code TEXT NOT NULL, qty INTEGER NOT NULL)";

    /** How the table names this hub. */
    String kind();

    /** What the hub's operation count counts. */
    String operations();

    /** An empty hub holding {@link #TABLE}, with desktops yet to add; set up without the latency where it can be. */
    Cluster fresh(Path work, String name) throws Exception;

    /** The latency on, once the desktops have their first copies. */
    void measuring();

    /** Operations served so far. */
    long count();

    /** A program writing the hub itself, as far away as the desktops, auto-committing each statement. */
    Connection directWriter(Cluster cluster) throws SQLException;

    /** The rows of {@code item} whose code starts with {@code prefix}, read without the latency or the count. */
    long rows(Cluster cluster, String prefix) throws SQLException;

    @Override
    void close() throws Exception;

    /** The share B1..B10 run on: a new hub file per scenario, operations as FaultFs counts them. */
    final class OnShare implements ScaleHub {

        private final SlowShare share;

        OnShare(SlowShare share) {
            this.share = share;
        }

        @Override
        public String kind() {
            return "FaultFs share";
        }

        @Override
        public String operations() {
            return "file operations on the share";
        }

        @Override
        public Cluster fresh(Path work, String name) throws SQLException {
            share.fast();
            Cluster.run(share.server().resolve(name + ".db"), TABLE);
            return new Cluster(work, share.folder().resolve(name + ".db"));
        }

        @Override
        public void measuring() {
            share.slow();
        }

        @Override
        public long count() {
            return share.count();
        }

        @Override
        public Connection directWriter(Cluster cluster) throws SQLException {
            return new ConnectionFactory(Duration.ofSeconds(30)).open(cluster.hub, ConnectionFactory.Kind.DIRECT);
        }

        @Override
        public long rows(Cluster cluster, String prefix) {
            // the server's side sees no lock a desktop holds through the mount: mid-push it finds a journal it may not
            // roll back, which says "not yet" without taking the share's lock from the pushers
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + share.serverSide(cluster.hub)
                    + "?mode=ro")) {
                return rowsOf(c, prefix);
            } catch (SQLException midPush) {
                return -1;
            }
        }

        @Override
        public void close() {
            share.fast();
        }
    }

    /** A PostgreSQL server of its own behind the latency proxy; the hub emptied for each scenario. */
    final class OnPostgres implements ScaleHub {

        private final PostgresServer server;
        private final LatencyProxy proxy;
        private final Connection admin;

        OnPostgres(Duration roundTrip) throws Exception {
            server = PostgresServer.start();
            proxy = new LatencyProxy(new InetSocketAddress("127.0.0.1", server.port()), roundTrip);
            admin = server.connect();
        }

        @Override
        public String kind() {
            return "PostgreSQL, loopback + proxy";
        }

        @Override
        public String operations() {
            return "requests the server answered (client-to-server chunks at the proxy)";
        }

        @Override
        public Cluster fresh(Path work, String name) throws Exception {
            try (Statement s = admin.createStatement()) {
                s.execute("DROP SCHEMA public CASCADE");
                s.execute("CREATE SCHEMA public");
            }
            PostgresAddress address = PostgresAddress.parse("postgresql://" + server.user() + "@127.0.0.1:"
                    + proxy.port() + "/" + server.database() + "?sslmode=disable");
            PgConnector connector = new PgConnector(Map.of("PGPASSWORD", server.password()),
                    PgConnector.CONNECT_TIMEOUT, PgConnector.SOCKET_TIMEOUT);
            Cluster cluster = Cluster.on(work, (tables, mode) -> PgHubConnection.maker(address, tables, mode,
                    connector));
            Cluster.Node first = cluster.add(ConflictPolicy.NEWEST_WINS);
            first.exec(TABLE);
            Cluster.assertSynced(first.sync());
            return cluster;
        }

        @Override
        public void measuring() {
            // the proxy's latency is always on: a server is not made nearer for setup
        }

        @Override
        public long count() {
            return proxy.requests();
        }

        @Override
        public Connection directWriter(Cluster cluster) throws SQLException {
            Properties login = new Properties();
            login.setProperty("user", server.user());
            login.setProperty("password", server.password());
            return DriverManager.getConnection(server.jdbcUrl().replace(":" + server.port() + "/",
                    ":" + proxy.port() + "/"), login);
        }

        @Override
        public long rows(Cluster cluster, String prefix) throws SQLException {
            return rowsOf(admin, prefix);
        }

        @Override
        public void close() throws Exception {
            try (admin; proxy; server) {
                // closed in reverse order
            }
        }
    }

    private static long rowsOf(Connection c, String prefix) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM item WHERE code LIKE '" + prefix + "%'")) {
            r.next();
            return r.getLong(1);
        }
    }
}
