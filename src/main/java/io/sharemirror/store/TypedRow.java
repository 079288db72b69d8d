package io.sharemirror.store;

import io.sharemirror.sync.Key;
import io.sharemirror.sync.WayOutPlanner;
import io.sharemirror.sync.WayOutRefused;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes a row as a person typed it to get past a clash ({@link WayOutPlanner#rewrite}), inside a local transaction
 * whose capture is on: the write is stamped and queued as an application's would be. Then the queue says what the hub
 * has of the row, and its change waits no more.
 */
final class TypedRow {

    private TypedRow() {
    }

    static void write(RowIo writer, WayOutPlanner.Rewrite rewrite) throws SQLException {
        Key key = rewrite.key();
        TableInfo t = writer.table(key.table());
        if (t == null) {
            throw new WayOutRefused("table " + key.table() + " is no longer mirrored", null);
        }
        List<String> inKey = rewrite.changed().stream().filter(t.keyColumns()::contains).toList();
        if (!inKey.isEmpty()) {
            throw new WayOutRefused(String.join(", ", inKey) + " is part of the key of " + key.table()
                    + ", which says which row it is", "type new values for " + String.join(", ", t.nonKeyColumns()));
        }
        try {
            writer.upsert(key, rewrite.row());
        } catch (SQLException e) {
            if (!SqliteErrors.isConstraint(e)) {
                throw e;
            }
            throw WayOutRefused.stillClashes(Clashes.of(writer, key, rewrite.row(), e), "here");
        }
        new PendingQueue(writer).mark(key, rewrite.known(), 0);
        WaitingRows waiting = new WaitingRows(writer);
        if (rewrite.fromHub()) {
            waiting.releaseFromHub(List.of(key));
        } else {
            waiting.releaseOurs(List.of(key));
        }
    }
}
