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
public final class WholeBatch {

    /** What a batch is written through: one database's rows, and how it tells and reports a row it refuses. */
    public interface Target {

        /** Writes the row at {@code key}; when it fails, nothing of it is left behind. */
        void upsert(Key key, Row row) throws SQLException;

        void delete(Key key) throws SQLException;

        /** Whether the failure is the row's own (a constraint, a value refused): it waits and the batch goes on. */
        boolean refusesRow(SQLException failure);

        /** What the failed write of {@code row} at {@code key} broke. */
        Clash clash(Key key, Row row, SQLException failure) throws SQLException;

        /** Runs a statement of the batch's own ({@code SAVEPOINT} and the like). */
        void execute(String sql) throws SQLException;
    }

    private final Target rows;
    private final Map<Key, Row> batch = new LinkedHashMap<>();
    private final Set<Key> placed = new HashSet<>();

    /** @param batch each key and the row it must hold at the end; null deletes it */
    public WholeBatch(Target rows, Map<Key, Row> batch) {
        this.rows = rows;
        this.batch.putAll(batch);
    }

    /** A batch written to a SQLite database. */
    WholeBatch(RowIo rows, Map<Key, Row> batch) {
        this(sqlite(rows), batch);
    }

    private static Target sqlite(RowIo rows) {
        return new Target() {
            @Override
            public void upsert(Key key, Row row) throws SQLException {
                rows.upsert(key, row);
            }

            @Override
            public void delete(Key key) throws SQLException {
                rows.delete(key);
            }

            @Override
            public boolean refusesRow(SQLException failure) {
                return SqliteErrors.isConstraint(failure);
            }

            @Override
            public Clash clash(Key key, Row row, SQLException failure) throws SQLException {
                return Clashes.of(rows, key, row, failure);
            }

            @Override
            public void execute(String sql) throws SQLException {
                try (Statement s = rows.connection().createStatement()) {
                    s.execute(sql);
                }
            }
        };
    }

    /** Writes the batch; returns the rows left unwritten, each with what it clashed with. */
    public List<Clash> write() throws SQLException {
        List<Key> waiting = new ArrayList<>();
        for (Key key : batch.keySet()) {
            try {
                put(key);
            } catch (SQLException e) {
                if (!rows.refusesRow(e)) {
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
    public Set<Key> placed() {
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
            if (!rows.refusesRow(e)) {
                throw e;
            }
            Clash clash = rows.clash(key, batch.get(key), e);
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
        rows.execute(sql);
    }
}
