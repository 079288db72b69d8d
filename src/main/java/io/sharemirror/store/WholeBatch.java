package io.sharemirror.store;

import io.sharemirror.sync.Clash;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.Row;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a set of rows that is valid as a whole though not one by one: two rows that swapped UNIQUE values in one
 * transaction, one whose old value another now takes. Rows are written in order; one that breaks a UNIQUE constraint
 * against a row the set itself rewrites waits until the others are in place, and where they wait for each other (a
 * swap), that row is moved out of the way and written again after. What still breaks a constraint then is a clash
 * with a row outside the set, reported; everything else is written. Each attempt runs in a savepoint, so a row that
 * cannot be placed leaves nothing behind.
 */
final class WholeBatch {

    private final RowIo rows;
    private final Map<Key, Row> batch = new LinkedHashMap<>();
    private final Set<Key> placed = new HashSet<>();

    /** @param batch each key and the row it must hold at the end; null deletes it */
    WholeBatch(RowIo rows, Map<Key, Row> batch) {
        this.rows = rows;
        this.batch.putAll(batch);
    }

    /** Writes the batch; returns the rows left unwritten, each with what it clashed with. */
    List<Clash> write() throws SQLException {
        List<Key> waiting = new ArrayList<>();
        for (Key key : batch.keySet()) {
            try {
                put(key);
            } catch (SQLException e) {
                if (!SqliteErrors.isConstraint(e)) {
                    throw e;
                }
                waiting.add(key);
            }
        }
        List<Clash> clashes = new ArrayList<>();
        for (Key key : waiting) {
            if (placed.contains(key)) {
                continue;
            }
            Set<Key> before = new HashSet<>(placed);
            execute("SAVEPOINT sm_place");
            Clash clash = place(key, new HashSet<>());
            if (clash != null) {
                execute("ROLLBACK TO sm_place");
                placed.clear();
                placed.addAll(before);
                clashes.add(clash);
            }
            execute("RELEASE sm_place");
        }
        return clashes;
    }

    /** The keys written. */
    Set<Key> placed() {
        return placed;
    }

    /**
     * Writes {@code key}'s row; if a row the batch rewrites holds its values, moves that one out of the way first and
     * places it after. Returns the clash that stops it, or null.
     */
    private Clash place(Key key, Set<Key> moving) throws SQLException {
        try {
            put(key);
            return null;
        } catch (SQLException e) {
            if (!SqliteErrors.isConstraint(e)) {
                throw e;
            }
            Clash clash = Clashes.of(rows, key, batch.get(key), e);
            Key other = clash.other();
            if (other == null || !batch.containsKey(other) || !moving.add(key)) {
                return clash;
            }
            rows.delete(other);
            placed.remove(other);
            Clash again = place(key, moving);
            return again != null ? again : place(other, moving);
        }
    }

    private void put(Key key) throws SQLException {
        Row row = batch.get(key);
        if (row == null) {
            rows.delete(key);
        } else {
            rows.upsert(key, row);
        }
        placed.add(key);
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = rows.connection().createStatement()) {
            s.execute(sql);
        }
    }
}
