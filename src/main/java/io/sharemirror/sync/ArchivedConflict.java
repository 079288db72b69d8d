package io.sharemirror.sync;

import java.time.Instant;
import java.util.List;

/**
 * A conflict as the archive keeps it: both versions as JSON (null for a delete), who won and why.
 *
 * @param winner "local", "hub", or "discarded" for an unpushed local write that was dropped (Clear Cache, a replica set aside)
 * @param restoredAt when the losing version was written back as a new local write, or null
 * @param reviewedAt when someone marked it looked at in the dashboard, or null while it waits to be
 * @param columns the columns both sides changed, for a conflict of a column merge (merge: column): only their values
 *     lost, the rest of the row was merged; empty when the whole row lost
 */
public record ArchivedConflict(long id, String database, String table, String key, Instant at, String winner,
                               String reason, String localJson, String hubJson, Instant restoredAt, Instant reviewedAt,
                               List<String> columns) {

    public ArchivedConflict {
        columns = List.copyOf(columns);
    }

    /** The version that did not survive: the hub's when the local one won, the local one otherwise. */
    public String loserJson() {
        return winner.equals("local") ? hubJson : localJson;
    }

    public String loserSide() {
        return winner.equals("local") ? "hub" : "local";
    }
}
