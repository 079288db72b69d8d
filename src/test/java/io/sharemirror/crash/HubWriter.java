package io.sharemirror.crash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * A program that still opens the hub directly, without ShareMirror: its writes are logged by the hub triggers
 * with origin NULL. It only touches rows nobody else writes (its own {@code H-} items and its own range of Artist
 * names), so what it committed must end up everywhere exactly. It writes through JDBC, or through the sqlite3 shell
 * (one process per statement, as a script would).
 */
final class HubWriter {

    /** How a statement reaches the hub. */
    enum Via { JDBC, SQLITE3_SHELL }

    /** Where a JDBC session's connection comes from. */
    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    private final Path hub;
    private final Opener opener;
    private final Random random;
    private final String name;
    private final Via via;
    private final int busyMs;
    private final int firstArtist;
    private final int lastArtist;
    private long next;
    /** uid to note, or null once deleted: the expected final state of every row this writer made. */
    final Map<String, String> items = new LinkedHashMap<>();
    final Map<Long, String> artists = new HashMap<>();
    int committed;
    int failed;
    /** The longest a single statement took, waiting for locks included. */
    long longestWriteMs;

    /** The crash test's writer: JDBC, 5 s busy timeout, every Artist. */
    HubWriter(Path hub, Random random) {
        this(hub, random, "", Via.JDBC, 5_000, 1, 275);
    }

    /** The crash test's writer on a hub that is not a file (PostgreSQL): JDBC through {@code opener}, every Artist. */
    HubWriter(Opener opener, Random random) {
        this(null, opener, random, "", Via.JDBC, 0, 1, 275);
    }

    /**
     * @param name goes into the writer's uids ({@code H-<name><n>}), so several writers never touch each other's rows
     * @param firstArtist the first and last ArtistId it renames: writers given ranges that do not overlap
     */
    HubWriter(Path hub, Random random, String name, Via via, int busyMs, int firstArtist, int lastArtist) {
        this(hub, () -> open(hub, busyMs), random, name, via, busyMs, firstArtist, lastArtist);
    }

    private HubWriter(Path hub, Opener opener, Random random, String name, Via via, int busyMs, int firstArtist,
                      int lastArtist) {
        this.hub = hub;
        this.opener = opener;
        this.random = random;
        this.name = name;
        this.via = via;
        this.busyMs = busyMs;
        this.firstArtist = firstArtist;
        this.lastArtist = lastArtist;
    }

    /** A connection that never creates the file it is pointed at. */
    static Connection open(Path db, int busyMs) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.resetOpenMode(SQLiteOpenMode.CREATE);
        config.setBusyTimeout(busyMs);
        return config.createConnection("jdbc:sqlite:" + db);
    }

    /** A few autocommit writes; one that fails (e.g. locked) is simply not acknowledged. */
    void burst(int writes) throws SQLException {
        try (Session s = via == Via.JDBC ? new JdbcSession(opener.open()) : new ShellSession()) {
            for (int i = 0; i < writes; i++) {
                try {
                    writeOne(s);
                    committed++;
                } catch (SQLException e) {
                    failed++;
                }
            }
        }
    }

    private void writeOne(Session s) throws SQLException {
        List<String> live = new ArrayList<>();
        items.forEach((uid, note) -> {
            if (note != null) {
                live.add(uid);
            }
        });
        int dice = random.nextInt(100);
        String note = "H/" + name + (++next);
        if (dice < 45 || live.isEmpty()) {
            String uid = "H-" + name + next;
            s.update("INSERT INTO crash_item(uid, val, note) VALUES(?, ?, ?)", uid, next, note);
            items.put(uid, note);
        } else if (dice < 65) {
            String uid = live.get(random.nextInt(live.size()));
            s.update("UPDATE crash_item SET val = ?, note = ? WHERE uid = ?", next, note, uid);
            items.put(uid, note);
        } else if (dice < 75) {
            String uid = live.get(random.nextInt(live.size()));
            s.update("DELETE FROM crash_item WHERE uid = ?", uid);
            items.put(uid, null);
        } else {
            long artist = firstArtist + random.nextInt(lastArtist - firstArtist + 1);
            String artistName = "Crash Artist " + name + next;
            if (s.update("UPDATE \"Artist\" SET \"Name\" = ? WHERE \"ArtistId\" = ?", artistName, artist) == 1) {
                artists.put(artist, artistName);
            }
        }
    }

    /** Where the statements run; each is its own autocommit transaction. */
    private abstract class Session implements AutoCloseable {

        /** Runs one statement with its arguments and returns the rows it changed; times it. */
        final int update(String sql, Object... args) throws SQLException {
            long started = System.nanoTime();
            try {
                return run(sql, args);
            } finally {
                longestWriteMs = Math.max(longestWriteMs, (System.nanoTime() - started) / 1_000_000);
            }
        }

        abstract int run(String sql, Object... args) throws SQLException;

        @Override
        public void close() throws SQLException {
        }
    }

    private final class JdbcSession extends Session {
        private final Connection connection;

        JdbcSession(Connection connection) {
            this.connection = connection;
        }

        @Override
        int run(String sql, Object... args) throws SQLException {
            try (PreparedStatement p = connection.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    p.setObject(i + 1, args[i]);
                }
                return p.executeUpdate();
            }
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }

    /** {@code sqlite3 -bail hub "<statement>; SELECT changes();"} with the arguments written as SQL literals. */
    private final class ShellSession extends Session {

        @Override
        int run(String sql, Object... args) throws SQLException {
            StringBuilder text = new StringBuilder();
            int arg = 0;
            for (char c : sql.toCharArray()) {
                if (c == '?') {
                    Object v = args[arg++];
                    text.append(v instanceof Number ? v.toString() : "'" + v.toString().replace("'", "''") + "'");
                } else {
                    text.append(c);
                }
            }
            text.append("; SELECT changes();");
            try {
                Process p = new ProcessBuilder("sqlite3", "-batch", "-bail", "-cmd", ".timeout " + busyMs,
                        hub.toString(), text.toString()).redirectErrorStream(true).start();
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (!p.waitFor(busyMs + 30_000L, TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new SQLException("sqlite3 did not end: " + text);
                }
                if (p.exitValue() != 0) {
                    throw new SQLException("sqlite3 failed (" + p.exitValue() + "): " + out);
                }
                return Integer.parseInt(out.substring(out.lastIndexOf('\n') + 1).strip());
            } catch (IOException e) {
                throw new SQLException("cannot run sqlite3", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted running sqlite3", e);
            }
        }
    }
}
