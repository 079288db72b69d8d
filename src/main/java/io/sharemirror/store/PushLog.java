package io.sharemirror.store;

import io.sharemirror.sync.LocalChange;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Set;

/**
 * The log entries a push writes for one change it wrote, the same on every hub kind: the node as origin, the change's
 * own stamp, the columns an edit changed; a new row that replaced the row the hub had at its key is logged as that
 * row's delete first, so others see both.
 */
public final class PushLog {

    /** The statement {@link #entries} binds. */
    public static final String INSERT = "INSERT INTO _sm_log(tbl, pk, op, origin, ts, cols) VALUES (?, "
            + KeyText.PARAMETER + ", ?, ?, ?, ?)";

    /** What is done with each bound entry: executed, or added to a batch. */
    @FunctionalInterface
    public interface Sink {
        void add(PreparedStatement bound) throws SQLException;
    }

    private PushLog() {
    }

    public static void entries(PreparedStatement log, LocalChange c, String node, Sink sink) throws SQLException {
        if (c.row() != null && c.replaced() != 0) {
            entry(log, c, node, "D", c.replaced(), null, sink);
        }
        entry(log, c, node, c.row() == null ? "D" : c.inserted() ? "I" : "U", c.ts(), c.editedColumns(), sink);
    }

    /** One entry; {@code columns}: those an edit changed, null for the whole row. */
    private static void entry(PreparedStatement log, LocalChange c, String node, String op, long ts,
                              Set<String> columns, Sink sink) throws SQLException {
        log.setString(1, c.key().table());
        KeyText.bind(log, 2, c.key().pk());
        log.setString(3, op);
        log.setString(4, node);
        log.setLong(5, ts);
        log.setString(6, ChangedColumns.json(columns));
        sink.add(log);
    }
}
