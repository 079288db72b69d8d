package io.sharemirror.sync;

import java.time.Instant;
import java.util.List;

/**
 * A push: one hub write transaction, holding the write lock from {@link Hub#beginPush()} to {@link #commit()} or
 * {@link #close()}. Batch atomicity: everything written through it lands together at commit or not at all; closing it
 * without {@link #commit()} rolls it back. Its reads ({@link HubReader}) see its own writes.
 */
public interface PushTransaction extends HubReader, AutoCloseable {

    /**
     * Writes the local versions (upsert, or delete when the row is gone) and their log rows, as a batch that is valid
     * as a whole (two rows that swapped UNIQUE values land both). Rows of tables the hub does not have are left out and
     * stay pending; rows that break a constraint on the hub stay pending too, and are returned with what they broke.
     * {@code cursor} is the pushing node's, noted for pruning.
     */
    Pushed write(List<LocalChange> changes, String node, long cursor);

    /**
     * Deletes log entries older than {@code olderThan} that every node seen since {@code activeSince} has already
     * pulled, always keeping the newest entry; returns how many went. Some changes are stamped 0 or below on purpose,
     * so that any other change wins (a migration's result, a renamed table's rows logged again): such an entry is as
     * old as the next entry with a real stamp, or young when there is none.
     */
    int prune(Instant olderThan, Instant activeSince);

    /** Commits, retrying a BUSY commit; gives up with a rollback and a {@link StoreException}. */
    void commit();

    @Override
    void close();
}
