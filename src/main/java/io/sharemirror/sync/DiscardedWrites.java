package io.sharemirror.sync;

import java.util.List;

/** Archives local writes that are about to go without reaching the hub, as "discarded", with why. */
final class DiscardedWrites {

    /** Why a row that was never pending is archived before its replica is dropped. */
    static final String NOT_CAPTURED = "this row of the replica differed from the hub and was not waiting to be pushed"
            + " (capture never saw the write, or the hub's log no longer named it); it is kept here, and Restore writes"
            + " it back";

    private final String database;
    private final Journal journal;
    private final Clock clock;

    DiscardedWrites(String database, Journal journal, Clock clock) {
        this.database = database;
        this.journal = journal;
        this.clock = clock;
    }

    void archive(List<LocalChange> writes, String node, String why) {
        writes.forEach(p -> journal.archive(new ConflictRecord(database, p.key(), clock.now(), "discarded", why,
                p.row(), p.ts(), node, null, 0, null)));
    }
}
