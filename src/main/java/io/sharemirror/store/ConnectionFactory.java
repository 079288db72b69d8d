package io.sharemirror.store;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/** The one place connections are made, so every connection of a kind gets the same PRAGMAs. */
public final class ConnectionFactory {

    /** How long a hub statement waits for a lock before BUSY reaches the retry loop (which logs and backs off). */
    public static final Duration HUB_BUSY_WAIT = Duration.ofSeconds(1);

    /** What the connection is for. */
    public enum Kind {
        /** The agent on the database on the share: rollback journal, left in whatever mode it is, never created. */
        HUB,
        /**
         * An application on the database on the share, when it is not mirrored (the JDBC driver's fallback): the
         * hub's rules, with the connection timeout instead of the agent's short busy wait.
         */
        DIRECT,
        /** A local replica or the state file: WAL and local-disk tuning. */
        LOCAL
    }

    /** Whether the connection may write. */
    public enum Access {
        READ_WRITE,
        /** For a hub that a read-only mirror must leave exactly as it is. */
        READ_ONLY
    }

    private final Duration busyTimeout;

    public ConnectionFactory(Duration busyTimeout) {
        this.busyTimeout = busyTimeout;
    }

    public Connection open(Path file, Kind kind) throws SQLException {
        return open(file, kind, Access.READ_WRITE);
    }

    public Connection open(Path file, Kind kind, Access access) throws SQLException {
        return open(file, kind, access, new Properties());
    }

    /**
     * A connection with the kind's PRAGMAs, overridden by {@code settings}: sqlite-jdbc options an application chose
     * (the JDBC driver lets through only those that cannot break mirroring).
     */
    public Connection open(Path file, Kind kind, Access access, Properties settings) throws SQLException {
        if (kind == Kind.LOCAL) {
            ownerOnly(file);
        }
        Connection c = config(kind, access, settings).createConnection(url(file));
        try (Statement s = c.createStatement()) {
            // Triggers and views stored in a file we did not write may call only functions SQLite marks as
            // harmless: a crafted hub cannot reach anything with side effects through the agent.
            s.execute("PRAGMA trusted_schema = OFF");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * A connection for an application (the JDBC driver's): as {@link #open(Path, Kind, Access, Properties)}, with its
     * manual-commit transactions taking the write lock at their first statement ({@link AppConnection}).
     */
    public Connection openForApplication(Path file, Kind kind, Access access, Properties settings)
            throws SQLException {
        return AppConnection.wrap(open(file, kind, access, settings));
    }

    /** A local database and the files SQLite makes next to it are owner-only: they hold copies of shared data. */
    public static void ownerOnly(Path file) throws SQLException {
        try {
            OwnerOnly.prepare(file);
        } catch (IOException e) {
            throw new SQLException("cannot create " + file + " owner-only: " + e, null, SqliteErrors.CANTOPEN);
        }
    }

    /**
     * The file as an SQLite URI, percent-encoded: sqlite-jdbc reads {@code ?key=value} after a plain file name as
     * options, so a path from the config with a '?' in it (a folder, a hub on the share) would open a shorter name
     * with options applied - {@code journal_mode=WAL} on a share. A UNC server goes into the path
     * ({@code file:////server/share/app.db}), as SQLite takes no URI authority.
     */
    static String url(Path file) {
        URI uri = file.toAbsolutePath().toUri();
        String server = uri.getRawAuthority();
        return "jdbc:sqlite:file:" + (server == null ? "" : "////" + server) + uri.getRawPath();
    }

    private SQLiteConfig config(Kind kind, Access access, Properties settings) {
        SQLiteConfig config = new SQLiteConfig();
        // The agent applies rows in hub order; children may arrive before parents within a batch.
        config.enforceForeignKeys(false);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        if (kind == Kind.LOCAL) {
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            config.setCacheSize(-64000);
            config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, "33554432");
            config.setBusyTimeout((int) busyTimeout.toMillis());
        } else {
            config.resetOpenMode(SQLiteOpenMode.CREATE); // a missing hub must not become an empty file on the share
            config.setBusyTimeout((int) (kind == Kind.HUB ? HUB_BUSY_WAIT : busyTimeout).toMillis());
        }
        if (access == Access.READ_ONLY) {
            config.setReadOnly(true); // (false would put back the CREATE flag taken away above)
        }
        if (settings.isEmpty()) {
            return config;
        }
        Properties merged = config.toProperties();
        merged.putAll(settings);
        return new SQLiteConfig(merged);
    }
}
