package io.sharemirror.bench;

import io.sharemirror.store.Cluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * The benchmark's data: an application table of about 100-byte rows with a secondary index, made on the local disk
 * with SQLite at a given size. The hub and its "plain" twin (the same file without ShareMirror's objects, what
 * applications open on the share today) are copies of one seed, so every comparison runs on the same data.
 */
final class ItemData {

    static final String TABLE = "item";
    /** Rows per MB of file, measured on this schema. */
    private static final int ROWS_PER_MB = 9_500;

    final String name;
    final Path hub;
    final Path plainTwin;
    final Path seed;
    final long rows;

    private ItemData(String name, Path hub, Path plainTwin, Path seed, long rows) {
        this.name = name;
        this.hub = hub;
        this.plainTwin = plainTwin;
        this.seed = seed;
        this.rows = rows;
    }

    /** Makes {@code <name>.db} and {@code <name>-plain.db} of about {@code mb} MB on the share; the seed stays local. */
    static ItemData make(SlowShare share, Path local, String name, int mb) throws IOException, SQLException {
        Path seed = Files.createDirectories(local).resolve(name + "-seed.db");
        long rows = (long) mb * ROWS_PER_MB;
        Cluster.run(seed, "PRAGMA page_size = 4096",
                "CREATE TABLE item(id INTEGER PRIMARY KEY, code TEXT NOT NULL, qty INTEGER NOT NULL, note TEXT NOT NULL)",
                "CREATE INDEX item_code ON item(code)",
                "INSERT INTO item(id, code, qty, note) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                        + " WHERE i < " + rows + ") SELECT i, printf('C%08d', i), i % 100, hex(randomblob(30)) FROM n");
        // Setup on the server's side of the share: the file exists there before any measured operation.
        Files.copy(seed, share.server().resolve(name + ".db"));
        Files.copy(seed, share.server().resolve(name + "-plain.db"));
        return new ItemData(name, share.folder().resolve(name + ".db"), share.folder().resolve(name + "-plain.db"),
                seed, rows);
    }

    double sizeMb() throws IOException {
        return Files.size(seed) / 1e6;
    }

    /** {@code n} keys spread evenly over the whole table. */
    long[] spreadKeys(int n) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = 1 + (rows - 1) * i / Math.max(1, n - 1);
        }
        return keys;
    }

    /** An update of the rows with these keys, one statement. */
    static String touch(long[] keys) {
        StringBuilder in = new StringBuilder();
        for (long k : keys) {
            in.append(in.isEmpty() ? "" : ",").append(k);
        }
        return "UPDATE item SET qty = qty + 1 WHERE id IN (" + in + ")";
    }
}
