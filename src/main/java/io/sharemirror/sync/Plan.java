package io.sharemirror.sync;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What applying one batch of pulled changes does to the replica, decided before anything is written: the steps in
 * order, the losing versions to archive first, and the queue versions the decision was made on. The store applies it
 * in one local transaction, and only if every key's pending version is still the one in {@code expected}; otherwise
 * nothing is written and the engine plans again.
 *
 * @param expected each key the plan touches and the version of its pending change it was planned on (0: none)
 * @param steps in the order they are applied (not copied: the planner hands over a list nobody changes)
 * @param newestStamp the newest change time in the batch that the replica's clock may reach: stamps further ahead of
 *     reference time than {@code max_clock_ahead} (a wrong clock elsewhere) do not drag it
 * @param aheadStamps those further stamps of others' changes, by key: an edit of such a row made here must still be
 *     stamped after it
 * @param replaced keys whose row from the hub is another row than the one known here (deleted there, and a new row
 *     made on its key): rows of ours that pointed at the old one point at nothing now
 * @param pulled the log position of each pulled change the plan settles, by key: the replica remembers those past its
 *     cursor ({@link Replica#appliedPastCursor})
 */
public record Plan(Map<Key, Long> expected, List<Step> steps, List<ConflictRecord> archive, int applied,
                   int rekeyed, long newestStamp, Map<Key, Long> aheadStamps, Set<Key> replaced,
                   Map<Key, Long> pulled) {

    public Plan {
        expected = Map.copyOf(expected);
        archive = List.copyOf(archive);
        aheadStamps = Map.copyOf(aheadStamps);
        replaced = Set.copyOf(replaced);
        pulled = Map.copyOf(pulled);
    }

    /** One change to the replica's rows or its queue of pending changes. */
    public sealed interface Step {
        Key key();
    }

    /** Writes the hub's version of a row locally; a null row deletes it. */
    public record TakeRow(Key key, Row row) implements Step {
    }

    /** Forgets the key's pending change: the hub's version, or our own push of it, has replaced it. */
    public record Forget(Key key) implements Step {
    }

    /**
     * Records what the hub now knows of a key that stays pending.
     *
     * @param replaced the time of the delete a new row of ours replaced, or 0
     */
    public record Mark(Key key, LocalChange.Known known, long replaced) implements Step {
    }

    /**
     * Our pending edit of the key stays pending as the whole row: it won over a change of the hub's row that it
     * undoes there, in columns it may not name.
     */
    public record WholeRow(Key key) implements Step {
    }

    /**
     * Moves the local row at an integer key to the free key {@code to}, with the rows made here that point at it, and
     * queues it there as a new row stamped {@code ts}: two rows were made on one key, and the hub's keeps it.
     */
    public record Move(Key key, long to, long ts) implements Step {
    }

    /** Points a follower's column at the key its parent moved to; its pending change moves along if the column is in its key. */
    public record Repoint(Key key, String column, int keyIndex, long to) implements Step {
    }

    /**
     * Queues the key's row as it is here (or its absence, a delete) as a change stamped {@code ts}, to be pushed over
     * the hub's version: ours won where the hub's cannot be taken, or a merge of both rows is to reach the hub.
     * {@code known} says what the hub holds at the key: its row ({@code ON_HUB}), or nothing after a delete ours brings
     * back ({@code REVIVED}). {@code columns} are those in which the row here differs from the hub's, null for all.
     */
    public record Requeue(Key key, long ts, LocalChange.Known known, Set<String> columns) implements Step {

        public Requeue {
            columns = columns == null ? null : Set.copyOf(columns);
        }

        /** The whole row is queued. */
        public Requeue(Key key, long ts, LocalChange.Known known) {
            this(key, ts, known, null);
        }
    }

    /**
     * Deletes a row here because a row it points at went (ON DELETE CASCADE), or because it lost its UNIQUE values,
     * and queues its delete stamped {@code ts} where the hub may have the row ({@code queued}; a row made here and
     * never pushed just goes). The rows pointing at it in turn are found by the next look and follow the same way.
     */
    public record Cascade(Key key, long ts, boolean queued) implements Step {
    }

    /**
     * Clears the columns of a row's foreign key (to NULL, or to their defaults), as SQLite's ON DELETE SET NULL or SET
     * DEFAULT would when the row they point at goes.
     */
    public record ClearReference(Key key, List<String> columns, boolean toDefault) implements Step {
    }

    /** Leaves a change from the hub unapplied, and waiting, because writing it here breaks a constraint. */
    public record Hold(Key key, RemoteChange change, Clash clash) implements Step {
    }

    /**
     * Our change of the key waits no more: a person decided what becomes of it ({@link WayOutPlanner}). It is an
     * ordinary pending change again, or gone; a push that still cannot write it makes it wait again.
     */
    public record Release(Key key) implements Step {
    }
}
