package io.sharemirror.sync;

import io.sharemirror.status.ClockSkew;
import io.sharemirror.sync.CycleRecord.Outcome;
import io.sharemirror.sync.conflict.TablePolicies;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tinylog.Logger;

/**
 * One mirrored database and its sync cycle (ARCHITECTURE.md#one-sync-cycle): idle check, pull, resolve, push in one
 * {@code BEGIN IMMEDIATE} transaction per batch, then clear what was pushed. In read-only mode the cycle is an idle
 * check and, when the hub changed, a fresh copy. Never runs twice at once.
 */
public final class Mirror {

    private final String name;
    private final MirrorStore store;
    private final Journal journal;
    private final Retry retry;
    private final Clock clock;
    /**
     * The hub connection and its {@link Hub#version()} as of the replica's last look at the hub: the read-only copy's
     * source, the read-write cycle's last probe. Versions compare only on the same connection; null until a cycle
     * succeeds on this one.
     */
    private Hub seenHub;
    private long seenVersion;
    /** Lost changes confirmed on a second look: no cycle touches the hub again until the agent restarts. */
    private HubDamagedException damage;
    private final RowExchange rows;
    private final DiscardedWrites discarded;
    private final WaysOut waysOut;
    private final HubMoves moves;

    public Mirror(String name, MirrorStore store, TablePolicies policies, Journal journal, Retry retry, Clock clock) {
        this(name, store, policies, journal, retry, clock, HubMoves.NOBODY);
    }

    /** {@code moves} follows the hub when a cycle finds it moved ({@link HubMovedException}). */
    public Mirror(String name, MirrorStore store, TablePolicies policies, Journal journal, Retry retry, Clock clock,
                  HubMoves moves) {
        this.name = name;
        this.moves = moves;
        this.store = store;
        this.journal = journal;
        this.retry = retry;
        this.clock = clock;
        this.discarded = new DiscardedWrites(name, journal, clock);
        this.rows = new RowExchange(name, store, policies, journal, clock, discarded, this::seen);
        this.waysOut = new WaysOut(name, store, journal, clock);
    }

    public String name() {
        return name;
    }

    public MirrorStore store() {
        return store;
    }

    /** This computer's clock against the file server's as last measured; null when never measured (read-only). */
    public ClockSkew clockSkew() {
        return store.referenceClock().reading().map(r -> new ClockSkew(Duration.ofMillis(-r.offsetMs()),
                Duration.ofMillis(r.errorMs()))).orElse(null);
    }

    /** Runs one cycle and records it; failures are classified into the record, never thrown. */
    public synchronized CycleRecord sync() {
        Instant started = clock.now();
        CycleCounts counts = new CycleCounts();
        CycleRecord record;
        try (Closeable exclusive = store.exclusive()) {
            Optional<ReplacedReplica> replaced = store.replicaFile().replaceIfUntrusted();
            if (replaced.isPresent()) {
                // Reported as a failed cycle, so the tray turns red once and the history keeps it.
                ReplacedReplica r = replaced.get();
                discarded.archive(r.unpushed(), r.node(), r.problem());
                discarded.archive(r.uncaptured(), r.node(), r.problem() + "; " + DiscardedWrites.NOT_CAPTURED);
                record = record(started, counts, Outcome.FAILED, describe(r), "sync goes on with a fresh copy of the hub"
                        + (r.unpushed().isEmpty() ? "" : "; the writes it held that were not on the hub are in the conflict"
                        + " archive (dashboard, Conflicts), where Restore writes them back"));
                Logger.error("{}: {}", name, record.error());
            } else {
                // A busy hub anywhere in the cycle (a read meeting another program's commit, a push meeting another
                // writer) is retried with backoff, the whole cycle again (ARCHITECTURE.md#share-rules); a COMMIT that stays busy is
                // rolled back by the push itself and fails the cycle instead.
                record = record(started, counts, retry.onBusy(() -> confirmingDamage(counts)), null, null);
            }
        } catch (StoreException e) {
            seenHub = null; // the cycle may have stopped short of what it saw
            // The next cycle starts on a new hub connection: one that saw an error may keep what it read wrong (or be
            // read-only while the share was, or left on a file since replaced).
            store.disconnectHub();
            StoreException failure = e instanceof HubMovedException moved ? follow(moved) : e;
            if (failure == null) {
                record = record(started, counts, Outcome.IDLE, null, null);
            } else {
                Outcome outcome = failure.kind() == StoreException.Kind.OFFLINE ? Outcome.OFFLINE : Outcome.FAILED;
                record = record(started, counts, outcome, failure.getMessage(), failure.hint());
                Logger.warn("{}: sync {}: {}{}", name, outcome.name().toLowerCase(), failure.getMessage(),
                        failure.hint() == null ? "" : " (" + failure.hint() + ")");
            }
        } catch (IOException e) {
            seenHub = null;
            record = record(started, counts, Outcome.FAILED, e.toString(), null);
        }
        try {
            journal.recordCycle(record);
        } catch (StoreException e) {
            // Only the history row is missing (state.db on a full disk, say): the cycle's work stands and the engine
            // must not take it for a crashed cycle, but the user must hear why, so a good cycle reports the failure.
            Logger.warn("{}: {}", name, e.getMessage());
            if (record.succeeded()) {
                record = record(started, counts, Outcome.FAILED, e.getMessage(), e.hint());
            }
        }
        if (record.outcome() == Outcome.SYNCED) {
            Logger.info("{}: synced in {} ms: pushed {}, pulled {}, conflicts {}", name, record.duration().toMillis(),
                    record.pushed(), record.pulled(), record.conflicts());
        }
        return record;
    }

    /**
     * Hands a moved hub to whoever follows it; the cycle ends without a failure when the next one will use the new hub.
     * Its queue waits for that cycle: nothing was pushed to the old place, which refuses writes.
     */
    private StoreException follow(HubMovedException moved) {
        try {
            moves.follow(name, moved);
            Logger.info("{}: the hub {}; the next cycle syncs with it, local writes included", name,
                    moved.getMessage());
            return null;
        } catch (StoreException e) {
            return e;
        }
    }

    /**
     * Whether anyone else committed to the hub since the last cycle looked at it: the cheap check the engine makes
     * between cycles, so other desktops' changes arrive without waiting for the interval. Our own pushes do not count
     * ({@code PRAGMA data_version} ignores the connection's own commits). Costs what {@link Hub#version()} costs: it
     * asks the connection the last cycle read, without the store's check that the hub's path still leads to that file,
     * a stat that costs the share two operations (a lookup, then the attributes) 60 times a minute at the default; the
     * cycles make it, and a share gone away fails this read or the next cycle.
     */
    public synchronized boolean hubChanged() {
        return seenHub == null || seenHub.version() != seenVersion;
    }

    /**
     * Clear Cache (ARCHITECTURE.md#one-sync-cycle): push first, then re-clone. Pending writes that could not be pushed make it
     * refuse, unless {@code discardPending}: then each is archived as "discarded" before it goes.
     */
    public synchronized void clearCache(boolean discardPending) {
        CycleRecord push = sync();
        String why = push.succeeded() ? "it could not be pushed" : "it could not be pushed: " + push.error();
        try (Closeable exclusive = store.exclusive()) {
            store.replicaFile().recreate(discardPending, pending -> discarded.archive(pending, store.replica().node(),
                    "Clear Cache discarded this local write; " + why), uncaptured -> discarded.archive(uncaptured,
                    store.replica().node(), "Clear Cache: " + DiscardedWrites.NOT_CAPTURED));
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.FAILED, "Clear Cache of " + name + " failed: " + e, null, e);
        }
        Logger.info("{}: cache cleared; the replica is a fresh copy of the hub", name);
    }

    /**
     * Before the database stops being synced (Remove in the dashboard): push first, with Clear Cache's guard. Writes
     * that could not be pushed make it refuse, unless {@code discardPending}: then each is archived as "discarded"
     * (the replica, if kept, still holds them).
     */
    public synchronized void release(boolean discardPending) {
        CycleRecord push = sync();
        if (!store.replicaFile().exists()) {
            return;
        }
        try (Closeable exclusive = store.exclusive()) {
            List<LocalChange> left = store.replica().pending(Integer.MAX_VALUE);
            if (left.isEmpty()) {
                return;
            }
            if (!discardPending) {
                throw new PendingWritesException(name, left.size());
            }
            discarded.archive(left, store.replica().node(), "Remove discarded this local write; it could not be pushed"
                    + (push.succeeded() ? "" : ": " + push.error()));
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.FAILED, "Remove of " + name + " failed: " + e, null, e);
        }
    }

    /**
     * A person's way out of a change that waits ({@link WayOut}): the loser archived, the rest queued for the next
     * push. Needs the hub (its rows decide what the loser becomes); like a cycle, never at the same time as one.
     *
     * @throws WayOutRefused when it cannot be taken as asked, saying why and what can
     */
    public synchronized void resolve(Waiting chosen, WayOut way) {
        exclusively(() -> waysOut.choose(chosen, way));
    }

    /**
     * Keep both: {@code row}, the row that waits or the other one holding its values, takes the values typed (by
     * column), as a local edit of it that is pushed next. Checked against the replica and the hub first.
     *
     * @throws WayOutRefused when the values clash again, or name no column that can change
     */
    public synchronized void rewrite(Waiting chosen, Key row, Map<String, String> typed) {
        exclusively(() -> waysOut.rewrite(chosen, row, typed));
    }

    private void exclusively(Runnable work) {
        try (Closeable exclusive = store.exclusive()) {
            retry.onBusy(work);
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.FAILED, "the way out for " + name + " failed: " + e, null, e);
        }
    }

    private static String describe(ReplacedReplica replaced) {
        int n = replaced.unpushed().size();
        return replaced.problem() + (n == 0 ? "" : n == 1 ? "; 1 write it held that was not on the hub went to the"
                + " conflict archive" : "; " + n + " writes it held that were not on the hub went to the conflict archive");
    }

    /**
     * A cycle that finds a database damaged runs once more, on a new hub connection, before the damage is believed: a
     * share that fails a read or cuts it short (a server going away mid-read) makes SQLite see a malformed page in an
     * intact file, and the connection that read it may keep it cached. The repeat sees the real file: it syncs, finds
     * the share gone (offline), or confirms the damage. Batches the first attempt committed stay counted.
     */
    private Outcome confirmingDamage(CycleCounts counts) {
        if (damage != null) {
            tellEveryone(damage); // again: on a share whose locks lie, a stale commit can undo the mark
            throw damage;
        }
        try {
            return cycle(counts);
        } catch (StoreException e) {
            if (e.kind() != StoreException.Kind.CORRUPT) {
                throw e;
            }
            Logger.warn("{}: {}; checking again on a new connection before calling it damaged", name, e.getMessage());
            store.disconnectHub();
            try {
                return cycle(counts);
            } catch (StoreException again) {
                if (again instanceof HubDamagedException d && d.lostChanges()) {
                    // This agent's own evidence that the share's locks lie: it never pushes there again by itself.
                    damage = d;
                    Logger.error("{}: {}; syncing it stops until ShareMirror restarts, local writes stay queued", name,
                            again.getMessage());
                    tellEveryone(d);
                }
                // A file SQLite finds malformed is not written to mark it: SQLite refuses to change what it cannot
                // read, each cycle fails until the file is repaired or restored, and then syncs again.
                throw again;
            }
        }
    }

    /** Marks the hub as having lost changes, unless it is already, so the other desktops' agents stop too; best effort. */
    private void tellEveryone(StoreException found) {
        try {
            Hub hub = store.hub();
            if (hub.probe().damage() == null) {
                hub.reportDamage(store.replica().node(), found.getMessage());
            }
        } catch (StoreException e) {
            Logger.warn("{}: could not mark the hub damaged for the other computers: {}", name, e.getMessage());
        }
    }

    private Outcome cycle(CycleCounts counts) {
        return store.mode() == MirrorMode.READ_ONLY ? refresh() : rows.exchange(counts);
    }

    /**
     * Read-only mode: copies the hub when its version moved since the last copy. The version is read before copying,
     * so a commit that lands during the copy moves it again and is copied next time. The first cycle of a process
     * always copies: versions do not outlive the hub connection they were read on.
     */
    private Outcome refresh() {
        Hub hub = store.hub();
        long version = hub.version();
        if (hub == seenHub && version == seenVersion) {
            return Outcome.IDLE;
        }
        if (store.replicaFile().exists()) {
            store.replicaFile().recreate(false, pending -> { }, uncaptured -> { }); // a read-only copy takes no writes
        } else {
            store.replica(); // the first copy
        }
        seen(hub, version);
        return Outcome.SYNCED;
    }

    private void seen(Hub hub, long version) {
        seenHub = hub;
        seenVersion = version;
    }

    private CycleRecord record(Instant started, CycleCounts counts, Outcome outcome, String error, String hint) {
        if (outcome == Outcome.IDLE && counts.pulled + counts.pushed > 0) {
            outcome = Outcome.SYNCED;
        }
        return new CycleRecord(name, started, Duration.between(started, clock.now()), counts.pushed, counts.pulled,
                counts.conflicts, pendingNow(), outcome, error, hint);
    }

    private long pendingNow() {
        try {
            return store.replicaFile().exists() ? store.replica().pendingCount() : 0;
        } catch (StoreException e) {
            return -1;
        }
    }
}
