package io.sharemirror.crash;

import io.sharemirror.store.Cluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The hub the crash-family tests share: a copy of the chinook sample (a real schema with foreign keys, that
 * {@link HubWriter} edits) plus the tables {@link CrashChild}'s application writes.
 */
final class CrashHub {

    private CrashHub() {
    }

    /** Creates {@code folder/share/hub.db}, a file in rollback-journal mode as on a share. */
    static Path create(Path folder) throws IOException, SQLException {
        Path file = Files.createDirectories(folder.resolve("share")).resolve("hub.db");
        Files.copy(Cluster.CHINOOK, file);
        try (Connection c = HubWriter.open(file, 5_000); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE crash_item(id INTEGER PRIMARY KEY, uid TEXT NOT NULL, val INTEGER NOT NULL,"
                    + " note TEXT)");
            s.execute("CREATE INDEX crash_item_uid ON crash_item(uid)");
            s.execute("CREATE TABLE crash_kv(owner TEXT NOT NULL, k TEXT NOT NULL, v TEXT, PRIMARY KEY(owner, k))");
        }
        return file;
    }

    /**
     * Whether the hub has a journal SQLite would roll back: present, not empty, first byte not zero (SQLite's own
     * test). Read only while this process has no connection to the hub open, and never deleted: rolling it back is
     * SQLite's job.
     */
    static boolean hotJournal(Path hub) throws IOException {
        Path journal = Path.of(hub + "-journal");
        if (!Files.exists(journal) || Files.size(journal) == 0) {
            return false;
        }
        try (InputStream in = Files.newInputStream(journal)) {
            return in.read() > 0;
        }
    }

    /** The file hub's newest log number; 0 before any agent installed the log. */
    static long logHead(Statement s) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = '_sm_log'")) {
            r.next();
            if (r.getLong(1) == 0) {
                return 0;
            }
        }
        try (ResultSet r = s.executeQuery("SELECT coalesce(max(seq), 0) FROM _sm_log")) {
            r.next();
            return r.getLong(1);
        }
    }
}
