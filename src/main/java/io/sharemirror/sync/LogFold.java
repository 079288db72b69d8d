package io.sharemirror.sync;

import io.sharemirror.sync.conflict.ConflictPolicy.Version;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds a hub's log after a reader's cursor into each key's newest change, as {@link HubReader#changes} returns it:
 * the logic every hub kind shares, so each only reads its log and rows. The hub feeds it its log entries with
 * {@code seq > after}, in sequence order, from the whole log in one snapshot (a key's newest entry may lie past
 * {@code upTo}), then reads the current row of each of {@link #keys()} in that snapshot.
 */
public final class LogFold {

    private final long upTo;
    private final String reader;
    private final Map<Key, Long> applied;
    private final Map<Key, Entries> keys = new HashMap<>();

    /** @param upTo, reader, applied as {@link HubReader#changes}'s {@code upTo}, {@code node} and {@code applied} */
    public LogFold(long upTo, String reader, Map<Key, Long> applied) {
        this.upTo = upTo;
        this.reader = reader;
        this.applied = applied;
    }

    /**
     * One log entry.
     *
     * @param op "I", "U" or "D"
     * @param origin the node that wrote it, null for a direct writer
     * @param columns the columns an edit changed, null for the whole row
     */
    public void add(Key key, long seq, String op, String origin, long ts, Set<String> columns) {
        if (seq <= applied.getOrDefault(key, 0L)) {
            return; // applied by a pull that did not get to move the cursor: the row here is that one
        }
        Entries e = keys.get(key);
        if (e == null) {
            if (seq > upTo) {
                return; // first logged past the window: the next pull's
            }
            e = new Entries();
            keys.put(key, e);
        }
        e.add(seq, op, origin == null ? "" : origin, ts, columns, reader);
    }

    /** The keys logged in the window, in the order of their newest entries. */
    public List<Key> keys() {
        List<Key> byNewestEntry = new ArrayList<>(keys.keySet());
        byNewestEntry.sort(Comparator.comparingLong(k -> keys.get(k).seq));
        return byNewestEntry;
    }

    /** The newest change of one of {@link #keys()}, with the hub's current row there (null: there is none). */
    public RemoteChange change(Key key, Row row) {
        Entries e = keys.get(key);
        return new RemoteChange(key, e.seq, e.ts, e.origin, row, e.madeByOther, e.replaced, e.ownPush,
                e.wholeRow ? null : e.columns);
    }

    /**
     * One key's log entries after the reader's cursor, in order: the newest, the reader's own newest, whether someone
     * else made a row there, whether that replaced the row the reader knew, and which columns the others changed.
     */
    private static final class Entries {
        long seq;
        long ts;
        String origin;
        long replaced;
        OwnPush ownPush;
        boolean madeByOther;
        /** Each column others' edits changed, with its newest change; meaningless once {@code wholeRow}. */
        final Map<String, Version> columns = new HashMap<>();
        /** Others inserted or deleted the row, or wrote an entry that does not say which columns it changed. */
        boolean wholeRow;
        private long lastDelete;

        void add(long seq, String op, String origin, long ts, Set<String> changed, String reader) {
            this.seq = seq;
            this.ts = ts;
            this.origin = origin;
            if (origin.equals(reader)) {
                ownPush = new OwnPush(ts, op.equals("D"));
            } else if (!op.equals("U") || changed == null) {
                wholeRow = true;
            } else {
                Version change = new Version(ts, origin);
                changed.forEach(c -> columns.merge(c, change, (older, newer) -> newer.ts() >= older.ts() ? newer : older));
            }
            if (madeByOther) {
                return; // rows made and deleted after the first new one were never the reader's
            }
            if (op.equals("D")) {
                lastDelete = ts;
            } else if (op.equals("I") && !origin.equals(reader)) {
                // Someone else made a row here: after a delete, the row the reader knew is gone and this is another.
                madeByOther = true;
                replaced = lastDelete;
            }
        }
    }
}
