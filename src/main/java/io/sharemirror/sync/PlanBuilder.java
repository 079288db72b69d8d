package io.sharemirror.sync;

import io.sharemirror.sync.LocalChange.Known;
import io.sharemirror.sync.Plan.Forget;
import io.sharemirror.sync.Plan.Mark;
import io.sharemirror.sync.Plan.Move;
import io.sharemirror.sync.Plan.Repoint;
import io.sharemirror.sync.Plan.Step;
import io.sharemirror.sync.Plan.TakeRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A plan taking shape, and the pending changes as they will be once its steps so far are applied. */
final class PlanBuilder {

    final Map<Key, LocalChange> pending;
    final Map<Key, Long> expected = new HashMap<>();
    /** Where this plan moved rows found under their key before it: the replica's own reads do not know yet. */
    final Map<Key, Key> movedTo = new HashMap<>();
    /** The rows this plan moved to a free key, by their new key: made here, pending there as new rows. */
    final Map<Key, LocalChange> movedHere = new HashMap<>();
    final List<Step> steps = new ArrayList<>();
    final List<ConflictRecord> archive = new ArrayList<>();
    final Map<Key, Long> ahead = new HashMap<>();
    final Set<Key> replaced = new HashSet<>();
    final Map<Key, Long> pulled = new HashMap<>();
    /** The largest integer key the batch names, by table: a moved row must land above it too. */
    final Map<String, Long> keysNamed = new HashMap<>();
    int applied;
    int moved;
    long newest;

    PlanBuilder(Map<Key, LocalChange> pending) {
        this.pending = new HashMap<>(pending);
    }

    /**
     * The pending change that holds {@code key} now, as planned so far: a row this plan moved there, or the key's own
     * pending change.
     */
    LocalChange holding(Key key) {
        LocalChange moved = movedHere.get(key);
        return moved != null ? moved : pending(key);
    }

    /** The key's pending change as planned so far; notes the version the plan relies on. */
    LocalChange pending(Key key) {
        LocalChange local = pending.get(key);
        expected.putIfAbsent(key, local == null ? 0L : local.ver());
        return local;
    }

    /**
     * Our own push of this key is on the hub, and the cursor is about to pass it. Normally its pending change was
     * cleared after the commit; after a crash in between it was not, and the log says what clearing would have
     * done: the pending version with the push's stamp is that version; a newer local change stays pending, and
     * {@link LocalChange#afterOwnPush} says what it is then.
     */
    LocalChange settle(LocalChange local, OwnPush push) {
        if (local.ts() == push.ts()) {
            pending.remove(local.key());
            steps.add(new Forget(local.key()));
            return null;
        }
        LocalChange after = local.afterOwnPush(push);
        mark(after, after.known(), after.replaced());
        return pending.get(local.key());
    }

    void mark(LocalChange local, Known known, long replaced) {
        steps.add(new Mark(local.key(), known, replaced));
        pending.put(local.key(), new LocalChange(local.key(), local.ts(), local.ver(), known, local.integerKey(),
                local.row(), replaced, local.deleted(), local.columns()));
    }

    /** Our pending change stays, as the whole row; returns it so. */
    LocalChange wholeRow(LocalChange local) {
        steps.add(new Plan.WholeRow(local.key()));
        LocalChange whole = new LocalChange(local.key(), local.ts(), local.ver(), local.known(), local.integerKey(),
                local.row(), local.replaced(), local.deleted(), null);
        pending.put(local.key(), whole);
        return whole;
    }

    /**
     * Moves our row to a free key, and the rows made here that point at it along with it: a row that came from the
     * hub and points at this key means the hub's row, which keeps it.
     */
    void move(LocalChange local, PlanInputs inputs) {
        long to = inputs.freeKey(local.key().table(), keysNamed.getOrDefault(local.key().table(), 0L) + 1);
        steps.add(new Move(local.key(), to, local.ts()));
        Key there = Key.ofInteger(local.key().table(), to);
        movedTo.put(local.key(), there);
        movedHere.put(there, new LocalChange(there, local.ts(), 0, Known.NEW, true, local.row(), 0, 0, null));
        moved++;
        for (Follower f : inputs.followers(local.key(), local.known() != Known.NEW)) {
            // Followers are read from the replica as it was before this plan: one this plan moved already is
            // found under its old key, which may hold the hub's row by now.
            Key now = movedTo.getOrDefault(f.key(), f.key());
            if (now.equals(f.key())) {
                expected.putIfAbsent(f.key(), f.ver());
            }
            steps.add(new Repoint(now, f.column(), f.keyIndex(), to));
            Key after = f.keyIndex() >= 0 ? now.withElement(f.keyIndex(), to) : now;
            if (f.keyIndex() >= 0) {
                pending.remove(now); // its pending change moves to the new key
                movedTo.put(f.key(), after);
            }
            movedHere.put(after, f.pointingAt(to, after));
        }
    }

    /** The hub's version replaces whatever is pending at the key. */
    void take(RemoteChange change) {
        forget(change.key());
        steps.add(new TakeRow(change.key(), change.row()));
        if (change.row() != null && change.replaced() != 0) {
            replaced.add(change.key());
        }
        applied++;
    }

    /**
     * Writes the merge of our edit and the hub's here, and queues it, stamped as ours, as an edit of the hub's row in
     * {@code columns}.
     */
    void takeMerged(LocalChange ours, Row merged, Set<String> columns) {
        forget(ours.key());
        steps.add(new TakeRow(ours.key(), merged));
        applied++;
        requeue(ours.key(), merged, ours.ts(), columns);
    }

    /**
     * Queues our row at {@code key} as a change of the hub's stamped {@code ts}, differing from it in {@code columns}
     * (null: all); it is pending from then on.
     */
    void requeue(Key key, Row ours, long ts, Set<String> columns) {
        expected.putIfAbsent(key, 0L);
        steps.add(new Plan.Requeue(key, ts, Known.ON_HUB, columns));
        pending.put(key, new LocalChange(key, ts, 0, Known.ON_HUB, key.integer().isPresent(), ours, 0, 0, columns));
    }

    void forget(Key key) {
        movedHere.remove(key);
        if (pending.remove(key) != null) {
            steps.add(new Forget(key));
        }
    }

    Plan build() {
        return new Plan(expected, List.copyOf(steps), archive, applied, moved, newest, ahead, replaced, pulled);
    }
}
