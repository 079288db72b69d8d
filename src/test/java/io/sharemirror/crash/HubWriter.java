package io.sharemirror.crash;

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
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * A program that still opens the hub directly, without ShareMirror: its writes are logged by the hub triggers
 * with origin NULL. It only touches rows nobody else writes (its own {@code H-} items and Artist names), so what
 * it committed must end up everywhere exactly.
 */
final class HubWriter {

    private final Path hub;
    private final Random random;
    private long next;
    /** uid to note, or null once deleted: the expected final state of every row this writer made. */
    final Map<String, String> items = new LinkedHashMap<>();
    final Map<Long, String> artists = new HashMap<>();
    int committed;
    int failed;

    HubWriter(Path hub, Random random) {
        this.hub = hub;
        this.random = random;
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
        try (Connection c = open(hub, 5_000)) {
            for (int i = 0; i < writes; i++) {
                try {
                    writeOne(c);
                    committed++;
                } catch (SQLException e) {
                    failed++;
                }
            }
        }
    }

    private void writeOne(Connection c) throws SQLException {
        List<String> live = new ArrayList<>();
        items.forEach((uid, note) -> {
            if (note != null) {
                live.add(uid);
            }
        });
        int dice = random.nextInt(100);
        String note = "H/" + (++next);
        if (dice < 45 || live.isEmpty()) {
            String uid = "H-" + next;
            try (PreparedStatement s = c.prepareStatement("INSERT INTO crash_item(uid, val, note) VALUES(?, ?, ?)")) {
                s.setString(1, uid);
                s.setLong(2, next);
                s.setString(3, note);
                s.executeUpdate();
            }
            items.put(uid, note);
        } else if (dice < 65) {
            String uid = live.get(random.nextInt(live.size()));
            try (PreparedStatement s = c.prepareStatement("UPDATE crash_item SET val = ?, note = ? WHERE uid = ?")) {
                s.setLong(1, next);
                s.setString(2, note);
                s.setString(3, uid);
                s.executeUpdate();
            }
            items.put(uid, note);
        } else if (dice < 75) {
            String uid = live.get(random.nextInt(live.size()));
            try (PreparedStatement s = c.prepareStatement("DELETE FROM crash_item WHERE uid = ?")) {
                s.setString(1, uid);
                s.executeUpdate();
            }
            items.put(uid, null);
        } else {
            long artist = 1 + random.nextInt(275);
            String name = "Crash Artist " + next;
            try (PreparedStatement s = c.prepareStatement("UPDATE Artist SET Name = ? WHERE ArtistId = ?")) {
                s.setString(1, name);
                s.setLong(2, artist);
                if (s.executeUpdate() == 1) {
                    artists.put(artist, name);
                }
            }
        }
    }
}
