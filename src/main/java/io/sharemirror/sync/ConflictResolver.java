package io.sharemirror.sync;

import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.ConflictPolicy.Side;
import io.sharemirror.sync.conflict.ConflictPolicy.Version;

/**
 * Applies the database's policy to keys changed on both sides and archives every loser before the
 * replica's transaction replaces it (DESIGN.md §5, step 3).
 */
final class ConflictResolver implements Resolver {

    private final String database;
    private final ConflictPolicy policy;
    private final String node;
    private final HubReader hub;
    private final Journal journal;
    private final Clock clock;
    private int archived;

    ConflictResolver(String database, ConflictPolicy policy, String node, HubReader hub, Journal journal, Clock clock) {
        this.database = database;
        this.policy = policy;
        this.node = node;
        this.hub = hub;
        this.journal = journal;
        this.clock = clock;
    }

    @Override
    public Resolution resolve(RemoteChange remote, LocalChange local) {
        if (local.integerKey() && remote.replaced() != 0) {
            return afterTheirReplace(remote, local);
        }
        if (local.integerKey() && local.replaced() != 0 && local.row() != null) {
            return afterOurReplace(remote, local);
        }
        if (local.integerKey() && local.known() == LocalChange.Known.REVIVED && remote.created()) {
            // Our row outlived its delete on the hub, and someone else has made a new row on the key since: two rows.
            // (Someone's edit of the same revived row is no new row: the policy decides below.)
            return local.row() == null ? Resolution.TAKE_REMOTE : rekey(local);
        }
        if (local.inserted() && local.integerKey()) {
            // An integer key created here since the last sync: what the hub did to the same number concerns
            // another row. (A natural key created on both sides names the same thing: the policy decides below.)
            if (local.row() == null) {
                return Resolution.TAKE_REMOTE; // ours was created and deleted here: nothing of ours to keep
            }
            if (remote.row() == null) {
                return Resolution.KEEP_LOCAL; // theirs came and went: ours stays and is pushed
            }
            return rekey(local); // two different rows, both kept
        }
        return decide(local, remote) == Side.LOCAL ? Resolution.KEEP_LOCAL : Resolution.TAKE_REMOTE;
    }

    /**
     * Someone else deleted the row we knew at this integer key and made a new row on it. Our delete of the old row
     * agrees with theirs; a new row of ours collides with theirs; our edit of the old row meets their delete of it.
     */
    private Resolution afterTheirReplace(RemoteChange remote, LocalChange local) {
        if (local.row() == null) {
            return Resolution.TAKE_REMOTE;
        }
        if (!local.inserted()) {
            RemoteChange delete = new RemoteChange(remote.key(), remote.seq(), remote.replaced(), remote.origin(),
                    null, false, 0, null);
            if (decide(local, delete) == Side.REMOTE) {
                return Resolution.TAKE_REMOTE;
            }
            // The edited row outlives the delete; the key is theirs now, so it lives on under another one.
        }
        return remote.row() == null ? Resolution.KEEP_LOCAL : rekey(local);
    }

    /**
     * We deleted the row the hub knows at this integer key and made a new row on it; their change concerns the old
     * row. Our delete meets their edit: if the delete wins, our new row takes the key, else the edited row keeps it
     * and ours moves to another.
     */
    private Resolution afterOurReplace(RemoteChange remote, LocalChange local) {
        if (remote.row() == null) {
            return Resolution.KEEP_LOCAL; // they deleted the old row too
        }
        LocalChange delete = new LocalChange(local.key(), local.replaced(), local.ver(), LocalChange.Known.ON_HUB,
                true, null, 0);
        return decide(delete, remote) == Side.LOCAL ? Resolution.KEEP_LOCAL : rekey(local);
    }

    private Resolution rekey(LocalChange local) {
        return new Resolution.Rekey(hub.nextKey(local.key().table()));
    }

    /** The policy's winner between the two versions; the loser goes to the archive unless both say the same. */
    private Side decide(LocalChange local, RemoteChange remote) {
        Version mine = new Version(local.ts(), node);
        Version theirs = new Version(remote.ts(), remote.origin());
        Side winner = policy.winner(mine, theirs);
        if (local.row() == null ? remote.row() == null : local.row().sameValues(remote.row())) {
            // Both sides arrived at the same state (typically both deleted): nothing is lost, nothing archived. The
            // winner's stamp must still be the one the hub keeps, or a third, concurrent change would be measured
            // against the older stamp and the outcome would depend on who pushed first.
            return winner;
        }
        archived++;
        journal.archive(new ConflictRecord(database, local.key(), clock.now(),
                winner == Side.LOCAL ? "local" : "hub", policy.reason(winner, mine, theirs),
                local.row(), local.ts(), node, remote.row(), remote.ts(), remote.origin()));
        return winner;
    }

    /** Conflicts decided so far: one per archived loser (a re-keyed insert collision is not one). */
    int archived() {
        return archived;
    }
}
