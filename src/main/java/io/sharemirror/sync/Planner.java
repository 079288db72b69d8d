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
import io.sharemirror.sync.conflict.MergeMode;
import io.sharemirror.sync.conflict.TablePolicies;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decides what a batch of pulled changes does to the replica (ARCHITECTURE.md#one-sync-cycle, pull and resolve): per key, the hub's
 * version is taken, or the pending local one kept (it is pushed next), or, when two rows were made on one integer key,
 * the local row moves to a free key and both live. Every version that loses goes to the archive. It reads and writes
 * nothing: pending changes and remote changes in, a {@link Plan} out, which the store applies.
 */
public final class Planner {

    /** {@code SAME_ROW}: both sides made one row, see {@link #sameRowMadeTwice}. */
    private enum Decision { TAKE_REMOTE, KEEP_LOCAL, MOVE_LOCAL, SAME_ROW }

    private final String database;
    private final String node;
    private final TablePolicies policies;
    private final Instant now;
    private final long aheadLimit;
    private final References references;
    private final ClashLosers losers;

    /**
     * @param policies how conflicts on each table are settled
     * @param now when the plan is made, for the archive
     * @param aheadLimit the latest stamp, in reference time, the replica's clock may be raised to (reference time plus
     *     {@code max_clock_ahead})
     */
    public Planner(String database, String node, TablePolicies policies, Instant now,
                   long aheadLimit) {
        this.database = database;
        this.node = node;
        this.policies = policies;
        this.now = now;
        this.aheadLimit = aheadLimit;
        this.references = new References(database, node, now);
        this.losers = new ClashLosers(database, node, now, references);
    }

    /**
     * @param changes the newest change of each key logged since the cursor, in log order
     * @param pending the replica's pending changes of those keys
     * @param mirrored the tables the replica mirrors; changes to others are passed over
     * @param inputs where moved rows go, and what follows them
     * @param found what earlier plans of these changes met here: rows whose writing broke constraints, rows left
     *     pointing at rows that are gone; {@code pending} also has the pending changes of the other rows involved
     */
    public Plan plan(List<RemoteChange> changes, Map<Key, LocalChange> pending, Predicate<String> mirrored,
                     PlanInputs inputs, Found found) {
        PlanBuilder batch = new PlanBuilder(pending);
        List<RemoteChange> mine = new ArrayList<>();
        changes.forEach(c -> c.key().integer().ifPresent(k -> batch.keysNamed.merge(c.key().table(), k, Math::max)));
        for (RemoteChange change : changes) {
            batch.pulled.put(change.key(), change.seq());
            if (change.ts() <= aheadLimit) {
                batch.newest = Math.max(batch.newest, change.ts());
            } else if (!change.origin().equals(node)) {
                batch.ahead.merge(change.key(), change.ts(), Math::max); // a wrong clock elsewhere: see AheadStamps
            }
            if (mirrored.test(change.key().table())) {
                mine.add(change);
            }
        }
        // Rows of ours that may move to a free key are decided, and moved, before anything else: the rows that follow
        // one (a child whose key holds its id) leave their old keys, and the hub's changes of those keys must be
        // planned against what is left there, not against our rows that went.
        Map<RemoteChange, Decided> early = new IdentityHashMap<>();
        for (RemoteChange change : mine) {
            if (mayMove(change, batch.pending.get(change.key()))) {
                Decided decided = decide(change, batch, inputs, found);
                early.put(change, decided);
                if (decided.decision() == Decision.MOVE_LOCAL) {
                    batch.move(decided.local(), inputs);
                }
            }
        }
        List<RemoteChange> metSomething = new ArrayList<>();
        for (RemoteChange change : mine) {
            // What an earlier attempt met is settled once the rest of the batch is planned: the row a clash or a
            // reference names may be one this plan moves, under the key the attempt found it at.
            if (met(change.key(), found)) {
                metSomething.add(change);
            } else {
                plan(change, early, batch, inputs, found);
            }
        }
        // Their deletes last: a row that follows one (its cascade) may be one this plan moves to a key the look found
        // it at, and must stand there first.
        metSomething.sort(java.util.Comparator.comparing(c -> c.row() == null));
        for (RemoteChange change : metSomething) {
            plan(change, early, batch, inputs, found);
        }
        return batch.build();
    }

    /**
     * What was decided about a change from the hub, and the pending change of ours it was decided against; no decision
     * for our own push, which brings nothing new.
     */
    private record Decided(LocalChange local, Decision decision, ColumnMerge merge) {
        Decided(LocalChange local, Decision decision) {
            this(local, decision, null);
        }
    }

    /**
     * Whether deciding this change may move our row (see {@link #resolve}): an integer key with a row of ours that is
     * new here, revived, or made on a reused key, or their row made on a reused key. Read without planning anything.
     */
    private static boolean mayMove(RemoteChange remote, LocalChange local) {
        if (local != null && remote.ownPush() != null) {
            local = local.ts() == remote.ownPush().ts() ? null : local.afterOwnPush(remote.ownPush());
        }
        return local != null && local.integerKey() && local.row() != null && (remote.replaced() != 0
                || local.replaced() != 0 || local.inserted() || local.known() == Known.REVIVED);
    }

    /** Whether writing the key's row broke a constraint in an earlier attempt, or left a reference dangling. */
    private static boolean met(Key key, Found found) {
        return found.clashes().containsKey(key) || !found.orphansOf(key, true).isEmpty()
                || !found.orphansOf(key, false).isEmpty() || !found.pointingAt(key).isEmpty();
    }

    /**
     * Decides a change once: our own push settled, then column by column where the table merges columns (a merged row
     * that broke something when written is settled as a whole row), else by {@link #resolve}.
     */
    private Decided decide(RemoteChange change, PlanBuilder batch, PlanInputs inputs, Found found) {
        LocalChange local = batch.pending(change.key());
        if (change.ownPush() != null && local != null) {
            local = batch.settle(local, change.ownPush());
        }
        if (change.origin().equals(node)) {
            return new Decided(local, null);
        }
        if (local == null) {
            return new Decided(null, Decision.TAKE_REMOTE);
        }
        if (sameRowMadeTwice(change, local, inputs, found)) {
            return new Decided(local, Decision.SAME_ROW);
        }
        Optional<ColumnMerge> merge = policies.of(change.key().table()).merge() == MergeMode.COLUMN
                && !met(change.key(), found) ? ColumnMerge.of(local, change) : Optional.empty();
        if (merge.isPresent()) {
            return new Decided(local, null, merge.get());
        }
        return new Decided(local, resolve(change, local, batch));
    }

    /**
     * Both sides made the same row, every value alike, on the same integer key, and an earlier attempt that kept both
     * (ours moved to a free key) broke a UNIQUE constraint between the two: the table says they are one row, as when
     * the same migration ran on two desktops (Django's {@code migrate} makes the same content types and permissions
     * on each). Keeping both can never be written and nothing differs, so the hub's is taken and nothing archived.
     * The row the clash named is gone from here (the attempt was rolled back), which tells it was our moved copy.
     */
    private static boolean sameRowMadeTwice(RemoteChange remote, LocalChange local, PlanInputs inputs, Found found) {
        Clash clash = found.clashes().get(remote.key());
        return clash != null && clash.other() != null && local.inserted() && local.integerKey()
                && local.row() != null && remote.row() != null && local.row().sameValues(remote.row())
                && inputs.localRow(clash.other()) == null;
    }

    /** Plans a change, decided here unless it was decided (and moved) early. */
    private void plan(RemoteChange change, Map<RemoteChange, Decided> early, PlanBuilder batch, PlanInputs inputs,
                      Found found) {
        Key key = change.key();
        boolean decidedEarly = early.containsKey(change);
        Decided d = decidedEarly ? early.get(change) : decide(change, batch, inputs, found);
        if (d.merge() != null) {
            d.merge().plan(policies.of(key.table()).conflict(), database, node, now, batch);
            return;
        }
        if (d.decision() == null) {
            return; // our own push is the newest change: nothing new to apply
        }
        LocalChange local = d.local();
        if (local != null) {
            switch (d.decision()) {
                case KEEP_LOCAL -> {
                    if (local.columns() != null) {
                        local = batch.wholeRow(local); // pushed over theirs whole, it undoes their columns too
                    }
                    if (change.row() == null && local.known() == Known.ON_HUB) {
                        // Ours outlived their delete: the hub holds nothing at the key until we push. Our change
                        // still concerns the row that was deleted (also when it is our own delete of it): if someone
                        // brings that row back, it meets ours by policy; only a new row made on the key is another.
                        batch.mark(local, Known.REVIVED, 0);
                    }
                    return;
                }
                case MOVE_LOCAL -> {
                    if (!decidedEarly) {
                        batch.move(local, inputs);
                    }
                }
                case SAME_ROW -> {
                    batch.take(change); // not settled as a clash: the row it met was our copy, which does not move now
                    return;
                }
                case TAKE_REMOTE -> { }
            }
        }
        if (!found.orphansOf(key, change.row() == null).isEmpty()) {
            references.settle(change, found, batch, inputs, taken -> take(taken, batch, inputs, found));
        } else {
            take(change, batch, inputs, found);
            if (change.row() != null && change.replaced() != 0) {
                references.replaced(change, found, batch, inputs);
            }
        }
    }

    /** Takes the hub's row, unless writing it here broke a constraint: then the clash is settled first. */
    private void take(RemoteChange change, PlanBuilder batch, PlanInputs inputs, Found found) {
        Clash clash = change.row() == null ? null : found.clashes().get(change.key());
        if (clash != null) {
            settleClash(change, clash, batch, inputs, found);
        } else {
            batch.take(change);
        }
    }

    /**
     * The hub's row could not be written here: another row holds its values under a UNIQUE constraint (or it breaks a
     * constraint the hub does not have). When that other row is ours, pending, the two changes compete by policy: theirs
     * wins, and ours goes back to what the hub has of it (a row made here goes); ours wins, and their change of this
     * row is undone on the hub (our version of the row is pushed over it, or our absence of it, a delete). The loser
     * is archived with the constraint and the values. Otherwise nothing here can decide, and their change waits.
     */
    private void settleClash(RemoteChange theirs, Clash clash, PlanBuilder batch, PlanInputs inputs, Found found) {
        LocalChange holder = clash.other() == null ? null : batch.holding(clash.other());
        if (holder == null) {
            hold(theirs, clash, batch);
            return;
        }
        ConflictPolicy policy = policies.of(holder.key().table()).conflict();
        Version mine = new Version(holder.ts(), node);
        Version other = new Version(theirs.ts(), theirs.origin());
        Side winner = policy.winner(mine, other);
        String why = clash.constraint() + ": " + clash.values() + " can belong to one row only; "
                + policy.reason(winner, mine, other);
        if (winner == Side.REMOTE) {
            // Ours goes back to the hub's version of it; if that one clashed too when an earlier attempt wrote it (a
            // rotation of values across desktops), or there is none, ours goes.
            Row hubVersion = holder.known() == Known.NEW || found.clashes().containsKey(holder.key()) ? null
                    : inputs.hubRow(holder.key());
            if (hubVersion == null && References.refuses(References.reached(holder.key(), found))) {
                hold(theirs, clash, batch); // ours cannot go: rows of ours point at it under RESTRICT or NO ACTION
                return;
            }
            losers.ours(holder, hubVersion, theirs, why, theirs.ts(), found, batch, inputs);
            batch.take(theirs);
        } else {
            // Their edit is undone: our version of the row goes back; their new row goes.
            losers.theirs(theirs, inputs.localRow(theirs.key()), holder.ts(), why, found, batch, inputs);
        }
    }

    private static void hold(RemoteChange theirs, Clash clash, PlanBuilder batch) {
        batch.forget(theirs.key());
        batch.steps.add(new Plan.Hold(theirs.key(), theirs, clash));
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
        PlanBuilder batch = new PlanBuilder(pending);
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
            batch.steps.add(new Plan.Requeue(holder, mine.ts(), Known.ON_HUB));
        }
        return new PushClashes(batch.build(), waiting);
    }

    private Decision resolve(RemoteChange remote, LocalChange local, PlanBuilder batch) {
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
    private Decision afterTheirReplace(RemoteChange remote, LocalChange local, PlanBuilder batch) {
        if (local.row() == null) {
            return Decision.TAKE_REMOTE;
        }
        if (!local.inserted()) {
            RemoteChange delete = new RemoteChange(remote.key(), remote.seq(), remote.replaced(), remote.origin(),
                    null, false, 0, null, null);
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
    private Decision afterOurReplace(RemoteChange remote, LocalChange local, PlanBuilder batch) {
        if (remote.row() == null) {
            return Decision.KEEP_LOCAL; // they deleted the old row too
        }
        LocalChange delete = new LocalChange(local.key(), local.replaced(), local.ver(), Known.ON_HUB, true, null, 0,
                local.deleted(), null);
        return decide(delete, remote, batch) == Side.LOCAL ? Decision.KEEP_LOCAL : Decision.MOVE_LOCAL;
    }

    /** The policy's winner between the two versions; the loser is archived unless both say the same. */
    private Side decide(LocalChange local, RemoteChange remote, PlanBuilder batch) {
        ConflictPolicy policy = policies.of(local.key().table()).conflict();
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
}
