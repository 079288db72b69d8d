package io.sharemirror.driver;

import io.sharemirror.config.AppConfig;
import io.sharemirror.config.DatabaseConfig;
import io.sharemirror.config.Tuning;
import io.sharemirror.platform.MirrorDecision;
import io.sharemirror.platform.NetworkPaths;
import io.sharemirror.store.ConnectionFactory;
import io.sharemirror.store.ConnectionFactory.Access;
import io.sharemirror.store.ConnectionFactory.Kind;
import io.sharemirror.store.ReplicaCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where an application's connections to a configured database go: its replica while that is usable, else the
 * database on the share. The driver, {@code sharemirror path} and {@code status} all ask here, so they agree.
 */
public final class Routes {

    /** Where a connection went, and the connection. */
    record Opened(Route route, Connection connection) {
    }

    private Routes() {
    }

    /** Where connections to {@code db} go now. Opens the replica briefly to check it; never touches the share. */
    public static Route route(AppConfig config, DatabaseConfig db) {
        Opened replica = replica(config, db, new Properties());
        if (replica.connection() != null) {
            closeQuietly(replica.connection());
        }
        return replica.route();
    }

    /** A connection for an application: to the replica when it is usable, else to the database on the share. */
    static Opened connect(AppConfig config, DatabaseConfig db, Properties settings) throws SQLException {
        Opened replica = replica(config, db, settings);
        if (replica.connection() != null) {
            return replica;
        }
        if (db.postgres().isPresent()) {
            throw new SQLException("ShareMirror cannot give " + db.name() + " to this application now ("
                    + replica.route().directReason() + "): its hub is the database " + db.postgres().get().describe()
                    + ", which applications reach only through the replica; start ShareMirror (sharemirror run) and"
                    + " let it make the replica, then connect again", "08001");
        }
        return new Opened(replica.route(),
                openDirect(replica.route(), factory(config.tuning()), db.readOnly(), settings));
    }

    /**
     * Opens the database on the share the way the agent opens a hub (never WAL, never created), with the
     * application's busy timeout and settings; read-only for a database mirrored read-only. Its manual-commit
     * transactions begin IMMEDIATE at their first statement, as on the replica: on a rollback-journal file a reading
     * transaction's first write is refused at once while another writer holds the lock.
     */
    static Connection openDirect(Route route, ConnectionFactory factory, boolean readOnly, Properties settings)
            throws SQLException {
        try {
            return factory.openForApplication(Path.of(route.file()), Kind.DIRECT,
                    readOnly ? Access.READ_ONLY : Access.READ_WRITE, settings);
        } catch (SQLException e) {
            throw new SQLException("ShareMirror could not open " + route.file() + " on the share ("
                    + route.directReason() + "): " + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
        }
    }

    static ConnectionFactory factory(Tuning tuning) {
        return new ConnectionFactory(tuning.connectionTimeout());
    }

    /** The checked replica connection, or no connection and why the share is opened instead. */
    private static Opened replica(AppConfig config, DatabaseConfig db, Properties settings) {
        MirrorDecision decision = MirrorDecision.decide(db.enableCache(), NetworkPaths.classify(db.location()));
        if (!decision.mirror()) {
            return direct(db, decision.reason());
        }
        Path replica = config.replicaPath(db.name());
        if (!Files.isRegularFile(replica)) {
            return direct(db, "direct: there is no replica " + replica + " yet; the agent makes it on its next sync");
        }
        Connection c;
        try {
            c = factory(config.tuning()).openForApplication(replica, Kind.LOCAL, Access.READ_WRITE, settings);
        } catch (SQLException e) {
            return direct(db, "direct: the replica " + replica + " cannot be opened: " + e.getMessage());
        }
        String problem = ReplicaCheck.problem(c, db.mode());
        if (problem != null) {
            closeQuietly(c);
            return direct(db, "direct: the replica " + replica + " " + problem);
        }
        return new Opened(new Route(replica.toString(), null), c);
    }

    private static Opened direct(DatabaseConfig db, String reason) {
        return new Opened(new Route(db.location(), reason), null);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // a check connection; nothing was written through it
        }
    }
}
