package io.sharemirror.store;

import io.sharemirror.sync.CloneProgress;
import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.StoreException;
import io.sharemirror.sync.StoreException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.sqlite.SQLiteConnection;
import org.tinylog.Logger;

/**
 * SQLite's backup API: the one way ShareMirror copies a live database, never a raw file copy (a second descriptor
 * closed on an open database drops its POSIX locks, ARCHITECTURE.md#share-rules). The SQLite hub's snapshot for a first
 * copy ({@link SqliteHub#snapshotInto}), and a fresh clone copied over a live replica.
 */
public final class BackupApi {

    /** Pages per step of a watched copy: 4 MB at the default page size, a progress report every few seconds at most. */
    static final int STEP_PAGES = 1024;

    private final String database;
    private final MirrorMode mode;

    /** For snapshots of {@code database}'s hub, opened for {@code mode}: a read-only connection cannot stop a copy. */
    BackupApi(String database, MirrorMode mode) {
        this.database = database;
        this.mode = mode;
    }

    /**
     * Copies the hub into {@code target}, watched by {@code watcher} unless it is {@link CloneProgress#NONE}; returns
     * the hub's schema cookie as read before the copy (the backup API bumps the copy's own cookie; a change in between
     * only costs one extra schema check later).
     */
    long snapshot(Connection hub, String hubLocation, Path target, CloneProgress watcher)
            throws SQLException, IOException {
        long hubSchema = Long.parseLong(SingleValue.of(hub, "PRAGMA schema_version"));
        if (watcher == CloneProgress.NONE) {
            copy(hub, "backup", target);
        } else {
            copyWatched(hub, hubLocation, target, watcher);
        }
        return hubSchema;
    }

    /** Runs the backup API between a connection's main database and a file: "backup" to it or "restore" from it. */
    static void copy(Connection connection, String direction, Path file) throws SQLException {
        if ("backup".equals(direction)) {
            ConnectionFactory.ownerOnly(file); // SQLite would create it with the process's default mode
        }
        var db = connection.unwrap(SQLiteConnection.class).getDatabase();
        // One step (-1 pages) copies in a single read transaction, so a busy hub cannot restart it forever.
        int rc = "backup".equals(direction)
                ? db.backup("main", file.toString(), null, 100, 50, -1)
                : db.restore("main", file.toString(), null, 100, 50, -1);
        if (rc != 0) {
            throw new SQLException(direction + " of " + file + " failed with SQLite code " + rc, null, rc);
        }
    }

    /** A database file and its journals, left by a crashed or cancelled copy: ours, and never opened by anyone else. */
    public static void deleteLeftovers(Path file) throws IOException {
        for (String suffix : List.of("", "-journal", "-wal", "-shm")) {
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
        }
    }

    /**
     * The backup API in steps, inside one read transaction on the hub, so the copy is as consistent as a single step
     * and a busy hub cannot restart it; between steps the watcher hears how far it got. sqlite-jdbc runs all steps in
     * one native call and only reports between them, so to stop on Cancel the hub connection takes the write lock,
     * writing nothing: a step then returns BUSY, which ends the native loop, and the rollback drops the lock at once.
     * A read-only hub connection cannot do that: its copy runs to the end and is then thrown away.
     */
    private void copyWatched(Connection hub, String hubLocation, Path temp, CloneProgress watcher)
            throws SQLException, IOException {
        ConnectionFactory.ownerOnly(temp);
        long pageSize = Long.parseLong(SingleValue.of(hub, "PRAGMA page_size"));
        boolean[] cancelled = {false};
        try (Statement s = hub.createStatement()) {
            s.execute("BEGIN");
            try {
                SingleValue.of(hub, "SELECT count(*) FROM sqlite_master"); // the read transaction starts
                var db = hub.unwrap(SQLiteConnection.class).getDatabase();
                int rc = db.backup("main", temp.toString(), (remaining, pages) -> {
                    if (!cancelled[0] && !watcher.copying((pages - remaining) * pageSize, pages * pageSize)) {
                        cancelled[0] = true;
                        stopCopy(hub);
                    }
                }, 100, 1, STEP_PAGES);
                if (cancelled[0]) {
                    deleteLeftovers(temp);
                    throw new StoreException(Kind.FAILED, "the first copy of " + hubLocation + " was cancelled", null,
                            null);
                }
                if (rc != 0) {
                    throw new SQLException("backup of " + temp + " failed with SQLite code " + rc, null, rc);
                }
            } finally {
                s.execute("ROLLBACK");
            }
        }
    }

    /** Puts the hub connection in a write transaction that writes nothing, so the next backup step stops. */
    private void stopCopy(Connection hub) {
        if (mode == MirrorMode.READ_ONLY) {
            return;
        }
        try (Statement s = hub.createStatement()) {
            s.executeUpdate("DELETE FROM _sm_log WHERE 0"); // installed before every read-write clone
        } catch (SQLException e) {
            Logger.info("{}: the copy goes on to its end before it stops: {}", database, e.getMessage());
        }
    }
}
