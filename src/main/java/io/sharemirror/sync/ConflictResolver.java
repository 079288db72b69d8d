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
        if (local.inserted()) {
            if (local.row() == null) {
                return Resolution.TAKE_REMOTE; // created and deleted here since the last sync: nothing of ours to keep
            }
            if (remote.row() != null && local.integerKey()) {
                // Both sides created this integer key while apart: two different rows, both kept.
                return new Resolution.Rekey(hub.nextKey(local.key().table()));
            }
        }
        if (local.row() == null ? remote.row() == null : local.row().sameValues(remote.row())) {
            return Resolution.TAKE_REMOTE; // both sides arrived at the same state
        }
        Version mine = new Version(local.ts(), node);
        Version theirs = new Version(remote.ts(), remote.origin());
        Side winner = policy.winner(mine, theirs);
        archived++;
        journal.archive(new ConflictRecord(database, local.key(), clock.now(),
                winner == Side.LOCAL ? "local" : "hub", policy.reason(winner, mine, theirs),
                local.row(), local.ts(), node, remote.row(), remote.ts(), remote.origin()));
        return winner == Side.LOCAL ? Resolution.KEEP_LOCAL : Resolution.TAKE_REMOTE;
    }

    /** Conflicts decided so far: one per archived loser (a re-keyed insert collision is not one). */
    int archived() {
        return archived;
    }
}
