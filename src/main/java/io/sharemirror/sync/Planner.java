package io.sharemirror.sync;

import io.sharemirror.sync.LocalChange.Known;
import io.sharemirror.sync.Plan.Forget;
import io.sharemirror.sync.Plan.Mark;
import io.sharemirror.sync.Plan.Move;
import io.sharemirror.sync.Plan.Repoint;
import io.sharemirror.sync.Plan.Step;
import io.sharemirror.sync.Plan.TakeRow;
import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.ConflictPolicy.Side;
import io.sharemirror.sync.conflict.ConflictPolicy.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Decides what a batch of pulled changes does to the replica (DESIGN.md §5, pull and resolve): per key, the hub's
 * version is taken, or the pending local one kept (it is pushed next), or, when two rows were made on one integer key,
 * the local row moves to a free key and both live. Every version that loses goes to the archive. It reads and writes
 * nothing: pending changes and remote changes in, a {@link Plan} out, which the store applies.
 */
public final class Planner {

    private enum Decision { TAKE_REMOTE, KEEP_LOCAL, MOVE_LOCAL }

    private final String database;
    private final String node;
    private final Function<String, ConflictPolicy> policies;
    private final Instant now;

    /**
     * @param policies the conflict policy of each table
     * @param now when the plan is made, for the archive
     */
    public Planner(String database, String node, Function<String, ConflictPolicy> policies, Instant now) {
        this.database = database;
        this.node = node;
        this.policies = policies;
        this.now = now;
    }

    /**
     * @param changes the newest change of each key logged since the cursor, in log order
     * @param pending the replica's pending changes of those keys
     * @param mirrored the tables the replica mirrors; changes to others are passed over
     * @param inputs where moved rows go, and what follows them
     * @param clashes what writing some of these changes here broke when an earlier plan tried, by key; {@code pending}
     *     also has the pending changes of the rows they clashed with
     */
    public Plan plan(List<RemoteChange> changes, Map<Key, LocalChange> pending, Predicate<String> mirrored,
                     PlanInputs inputs, Map<Key, Clash> clashes) {
        Batch batch = new Batch(pending);
        for (RemoteChange change : changes) {
            batch.newest = Math.max(batch.newest, change.ts());
            if (mirrored.test(change.key().table())) {
                plan(change, batch, inputs, clashes);
            }
        }
        return new Plan(batch.expected, List.copyOf(batch.steps), batch.archive, batch.applied, batch.moved,
                batch.newest);
    }

    private void plan(RemoteChange change, Batch batch, PlanInputs inputs, Map<Key, Clash> clashes) {
        Key key = change.key();
        LocalChange local = batch.pending(key);
        if (change.ownPush() != null && local != null) {
            local = batch.settle(local, change.ownPush());
        }
        if (change.origin().equals(node)) {
            return; // our own push is the newest change: nothing new to apply
        }
        if (local != null) {
            switch (resolve(change, local, batch)) {
                case KEEP_LOCAL -> {
                    if (change.row() == null && local.known() == Known.ON_HUB) {
                        // Ours outlived their delete: the hub holds nothing at the key until we push. Our change
                        // still concerns the row that was deleted (also when it is our own delete of it): if someone
                        // brings that row back, it meets ours by policy; only a new row made on the key is another.
                        batch.mark(local, Known.REVIVED, 0);
                    }
                    return;
                }
                case MOVE_LOCAL -> batch.move(local, inputs);
                case TAKE_REMOTE -> { }
            }
        }
        Clash clash = change.row() == null ? null : clashes.get(key);
        if (clash == null) {
            batch.take(change);
        } else {
            settleClash(change, clash, batch, inputs);
        }
    }

    /**
     * The hub's row could not be written here: another row holds its values under a UNIQUE constraint (or it breaks a
     * constraint the hub does not have). When that other row is ours, pending, the two changes compete by policy: theirs
     * wins, and ours goes back to what the hub has of it (a row made here goes); ours wins, and their change of this
     * row is undone on the hub (our version of the row is pushed over it, or our absence of it, a delete). The loser
     * is archived with the constraint and the values. Otherwise nothing here can decide, and their change waits.
     */
    private void settleClash(RemoteChange theirs, Clash clash, Batch batch, PlanInputs inputs) {
        LocalChange holder = clash.other() == null ? null : batch.pending(clash.other());
        if (holder == null) {
            batch.forget(theirs.key());
            batch.steps.add(new Plan.Hold(theirs.key(), theirs, clash));
            return;
        }
        ConflictPolicy policy = policies.apply(holder.key().table());
        Version mine = new Version(holder.ts(), node);
        Version other = new Version(theirs.ts(), theirs.origin());
        Side winner = policy.winner(mine, other);
        String why = clash.constraint() + ": " + clash.values() + " can belong to one row only; "
                + policy.reason(winner, mine, other);
        if (winner == Side.REMOTE) {
            batch.archive.add(new ConflictRecord(database, holder.key(), now, "hub", why, holder.row(), holder.ts(),
                    node, theirs.row(), theirs.ts(), theirs.origin()));
            batch.forget(holder.key());
            batch.steps.add(new TakeRow(holder.key(), holder.known() == Known.NEW ? null : inputs.hubRow(holder.key())));
            batch.take(theirs);
        } else {
            batch.archive.add(new ConflictRecord(database, theirs.key(), now, "local", why,
                    inputs.localRow(theirs.key()), holder.ts(), node, theirs.row(), theirs.ts(), theirs.origin()));
            batch.forget(theirs.key());
            batch.steps.add(new Plan.Requeue(theirs.key(), holder.ts()));
        }
    }

    /**
     * Our rows a push could not write. Where the row that holds their values on the hub is gone here, with no change of
     * it queued and none of the hub's waiting to be applied, it was deleted here without a trace: by INSERT OR REPLACE,
     * whose removal of a row that holds the new row's UNIQUE values fires no delete trigger (unless recursive triggers
     * are on in the writing program). That delete is queued now, stamped like the row that replaced it, and goes with
     * the next push; the hub's row is archived. Every other clash waits, the row pending, until it can be written.
     *
     * @param ours the pushed batch, by key
     * @param pending the pending changes of the rows that hold the values on the hub
     * @param local the replica's rows at those keys
     * @param hub the hub's rows at those keys
     * @param waitingFromHub keys whose hub change waits to be applied here
     */
    public PushClashes planPushed(List<Clash> clashes, Map<Key, LocalChange> ours, Map<Key, LocalChange> pending,
                                  Map<Key, Row> local, Map<Key, Row> hub, Set<Key> waitingFromHub) {
        Batch batch = new Batch(pending);
        List<Clash> waiting = new ArrayList<>();
        for (Clash clash : clashes) {
            Key holder = clash.other();
            LocalChange mine = ours.get(clash.key());
            boolean goneHere = holder != null && hub.containsKey(holder) && !local.containsKey(holder)
                    && batch.pending(holder) == null && !waitingFromHub.contains(holder);
            if (!goneHere || mine == null) {
                waiting.add(clash);
                continue;
            }
            batch.archive.add(new ConflictRecord(database, holder, now, "local", clash.constraint() + ": "
                    + clash.values() + " can belong to one row only, and " + clash.key().table() + " "
                    + clash.key().pk() + " took it here (INSERT OR REPLACE) and removed this row; it is deleted on the"
                    + " hub too", null, mine.ts(), node, hub.get(holder), 0, null));
            batch.steps.add(new Plan.Requeue(holder, mine.ts()));
        }
        return new PushClashes(new Plan(batch.expected, List.copyOf(batch.steps), batch.archive, 0, 0, 0), waiting);
    }

    private Decision resolve(RemoteChange remote, LocalChange local, Batch batch) {
        if (local.integerKey() && remote.replaced() != 0) {
            return afterTheirReplace(remote, local, batch);
        }
        if (local.integerKey() && local.replaced() != 0 && local.row() != null) {
            return afterOurReplace(remote, local, batch);
        }
        if (local.integerKey() && local.known() == Known.REVIVED && remote.created()) {
            // Our row outlived its delete on the hub, and someone else has made a new row on the key since: two rows.
            // (Someone's edit of the same revived row is no new row: the policy decides below.)
            return local.row() == null ? Decision.TAKE_REMOTE : Decision.MOVE_LOCAL;
        }
        if (local.inserted() && local.integerKey()) {
            // An integer key created here since the last sync: what the hub did to the same number concerns
            // another row. (A natural key created on both sides names the same thing: the policy decides below.)
            if (local.row() == null) {
                return Decision.TAKE_REMOTE; // ours was created and deleted here: nothing of ours to keep
            }
            if (remote.row() == null) {
                return Decision.KEEP_LOCAL; // theirs came and went: ours stays and is pushed
            }
            return Decision.MOVE_LOCAL; // two different rows, both kept
        }
        return decide(local, remote, batch) == Side.LOCAL ? Decision.KEEP_LOCAL : Decision.TAKE_REMOTE;
    }

    /**
     * Someone else deleted the row we knew at this integer key and made a new row on it. Our delete of the old row
     * agrees with theirs; a new row of ours collides with theirs; our edit of the old row meets their delete of it.
     */
    private Decision afterTheirReplace(RemoteChange remote, LocalChange local, Batch batch) {
        if (local.row() == null) {
            return Decision.TAKE_REMOTE;
        }
        if (!local.inserted()) {
            RemoteChange delete = new RemoteChange(remote.key(), remote.seq(), remote.replaced(), remote.origin(),
                    null, false, 0, null);
            if (decide(local, delete, batch) == Side.REMOTE) {
                return Decision.TAKE_REMOTE;
            }
            // The edited row outlives the delete; the key is theirs now, so it lives on under another one.
        }
        return remote.row() == null ? Decision.KEEP_LOCAL : Decision.MOVE_LOCAL;
    }

    /**
     * We deleted the row the hub knows at this integer key and made a new row on it; their change concerns the old
     * row. Our delete meets their edit: if the delete wins, our new row takes the key, else the edited row keeps it
     * and ours moves to another.
     */
    private Decision afterOurReplace(RemoteChange remote, LocalChange local, Batch batch) {
        if (remote.row() == null) {
            return Decision.KEEP_LOCAL; // they deleted the old row too
        }
        LocalChange delete = new LocalChange(local.key(), local.replaced(), local.ver(), Known.ON_HUB, true, null, 0,
                local.deleted());
        return decide(delete, remote, batch) == Side.LOCAL ? Decision.KEEP_LOCAL : Decision.MOVE_LOCAL;
    }

    /** The policy's winner between the two versions; the loser is archived unless both say the same. */
    private Side decide(LocalChange local, RemoteChange remote, Batch batch) {
        ConflictPolicy policy = policies.apply(local.key().table());
        Version mine = new Version(local.ts(), node);
        Version theirs = new Version(remote.ts(), remote.origin());
        Side winner = policy.winner(mine, theirs);
        if (local.row() == null ? remote.row() == null : local.row().sameValues(remote.row())) {
            // Both sides arrived at the same state (typically both deleted): nothing is lost, nothing archived. The
            // winner's stamp must still be the one the hub keeps, or a third, concurrent change would be measured
            // against the older stamp and the outcome would depend on who pushed first.
            return winner;
        }
        batch.archive.add(new ConflictRecord(database, local.key(), now, winner == Side.LOCAL ? "local" : "hub",
                policy.reason(winner, mine, theirs), local.row(), local.ts(), node, remote.row(), remote.ts(),
                remote.origin()));
        return winner;
    }

    /** The plan taking shape, and the pending changes as they will be once its steps so far are applied. */
    private static final class Batch {
        final Map<Key, LocalChange> pending;
        final Map<Key, Long> expected = new HashMap<>();
        /** Where this plan moved rows found under their key before it: the replica's own reads do not know yet. */
        final Map<Key, Key> movedTo = new HashMap<>();
        final List<Step> steps = new ArrayList<>();
        final List<ConflictRecord> archive = new ArrayList<>();
        int applied;
        int moved;
        long newest;

        Batch(Map<Key, LocalChange> pending) {
            this.pending = new HashMap<>(pending);
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
                    local.row(), replaced, local.deleted()));
        }

        /**
         * Moves our row to a free key, and the rows made here that point at it along with it: a row that came from the
         * hub and points at this key means the hub's row, which keeps it.
         */
        void move(LocalChange local, PlanInputs inputs) {
            long to = inputs.freeKey(local.key().table());
            steps.add(new Move(local.key(), to, local.ts()));
            movedTo.put(local.key(), Key.ofInteger(local.key().table(), to));
            moved++;
            for (Follower f : inputs.followers(local.key())) {
                // Followers are read from the replica as it was before this plan: one this plan moved already is
                // found under its old key, which may hold the hub's row by now.
                Key now = movedTo.getOrDefault(f.key(), f.key());
                if (now.equals(f.key())) {
                    expected.putIfAbsent(f.key(), f.ver());
                }
                steps.add(new Repoint(now, f.column(), f.keyIndex(), to));
                if (f.keyIndex() >= 0) {
                    // Its pending change moves to the new key, where nothing else is pending.
                    pending.remove(now);
                    movedTo.put(f.key(), now.withElement(f.keyIndex(), to));
                }
            }
        }

        /** The hub's version replaces whatever is pending at the key. */
        void take(RemoteChange change) {
            forget(change.key());
            steps.add(new TakeRow(change.key(), change.row()));
            applied++;
        }

        void forget(Key key) {
            if (pending.remove(key) != null) {
                steps.add(new Forget(key));
            }
        }
    }
}
