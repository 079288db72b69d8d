package io.sharemirror.sync;

import io.sharemirror.status.ClockSkew;
import io.sharemirror.sync.CycleRecord.Outcome;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.tinylog.Logger;

/**
 * One mirrored database and its sync cycle (DESIGN.md §5): idle check, pull, resolve, push in one
 * {@code BEGIN IMMEDIATE} transaction per batch, then clear what was pushed. In read-only mode the cycle is an idle
 * check and, when the hub changed, a fresh copy. Never runs twice at once.
 */
public final class Mirror {

    /** Rows per hub transaction; bounds how long the share's write lock is held. */
    static final int PUSH_BATCH = 10_000;
    /** Log entries per pull step; bounds memory on a replica that was away for long. */
    static final long PULL_WINDOW = 50_000;
    /**
     * Pulled changes per local transaction (some 20 ms of work): bounds how long the agent holds the replica's write
     * lock, which the applications' transactions wait for.
     */
    static final int APPLY_CHUNK = 1_000;
    /** Log entries younger than this are never pruned... */
    static final Duration LOG_KEPT = Duration.ofDays(7);
    /** ...nor any that a node seen within this time has not pulled yet. Longer-absent nodes re-clone. */
    static final Duration NODE_ACTIVE = Duration.ofDays(30);
    /** How often one agent prunes, inside a push it makes anyway. */
    static final Duration PRUNE_EVERY = Duration.ofDays(1);

    /** Why a row that was never pending is archived before its replica is dropped. */
    private static final String NOT_CAPTURED = "this row of the replica differed from the hub and was not waiting to"
            + " be pushed (capture never saw the write, or the hub's log no longer named it); it is kept here, and"
            + " Restore writes it back";

    private final String name;
    private final MirrorStore store;
    private final ConflictPolicy policy;
    private final Journal journal;
    private final Retry retry;
    private final Clock clock;
    private Instant nextPrune = Instant.MIN;
    private boolean schemaMatched;
    /**
     * The hub connection and its {@link Hub#version()} as of the replica's last look at the hub: the read-only copy's
     * source, the read-write cycle's last probe. Versions compare only on the same connection; null until a cycle
     * succeeds on this one.
     */
    private Hub seenHub;
    private long seenVersion;
    /** Lost changes confirmed on a second look: no cycle touches the hub again until the agent restarts. */
    private HubDamagedException damage;
    private final LossDetector losses = new LossDetector();

    public Mirror(String name, MirrorStore store, ConflictPolicy policy, Journal journal, Retry retry, Clock clock) {
        this.name = name;
        this.store = store;
        this.policy = policy;
        this.journal = journal;
        this.retry = retry;
        this.clock = clock;
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
        Counts counts = new Counts();
        CycleRecord record;
        try (Closeable exclusive = store.exclusive()) {
            Optional<ReplacedReplica> replaced = store.replaceUntrustedReplica();
            if (replaced.isPresent()) {
                // Reported as a failed cycle, so the tray turns red once and the history keeps it.
                ReplacedReplica r = replaced.get();
                archiveDiscarded(r.unpushed(), r.node(), r.problem());
                archiveDiscarded(r.uncaptured(), r.node(), r.problem() + "; " + NOT_CAPTURED);
                record = record(started, counts, Outcome.FAILED, describe(r), "sync goes on with a fresh copy of the hub"
                        + (r.unpushed().isEmpty() ? "" : "; the writes it held that were not on the hub are in the conflict"
                        + " archive (dashboard, Conflicts), where Restore writes them back"));
                Logger.error("{}: {}", name, record.error());
            } else {
                // A busy hub anywhere in the cycle (a read meeting another program's commit, a push meeting another
                // writer) is retried with backoff, the whole cycle again (DESIGN.md §6); a COMMIT that stays busy is
                // rolled back by the push itself and fails the cycle instead.
                record = record(started, counts, retry.onBusy(() -> confirmingDamage(counts)), null, null);
            }
        } catch (StoreException e) {
            seenHub = null; // the cycle may have stopped short of what it saw
            // The next cycle starts on a new hub connection: one that saw an error may keep what it read wrong (or be
            // read-only while the share was, or left on a file since replaced).
            store.disconnectHub();
            Outcome outcome = e.kind() == StoreException.Kind.OFFLINE ? Outcome.OFFLINE : Outcome.FAILED;
            record = record(started, counts, outcome, e.getMessage(), e.hint());
            Logger.warn("{}: sync {}: {}{}", name, outcome.name().toLowerCase(), e.getMessage(),
                    e.hint() == null ? "" : " (" + e.hint() + ")");
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
     * Clear Cache (DESIGN.md §5): push first, then re-clone. Pending writes that could not be pushed make it
     * refuse, unless {@code discardPending}: then each is archived as "discarded" before it goes.
     */
    public synchronized void clearCache(boolean discardPending) {
        CycleRecord push = sync();
        String why = push.succeeded() ? "it could not be pushed" : "it could not be pushed: " + push.error();
        try (Closeable exclusive = store.exclusive()) {
            store.recreateReplica(discardPending, pending -> archiveDiscarded(pending, store.replica().node(),
                    "Clear Cache discarded this local write; " + why), uncaptured -> archiveDiscarded(uncaptured,
                    store.replica().node(), "Clear Cache: " + NOT_CAPTURED));
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
        if (!store.replicaExists()) {
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
            archiveDiscarded(left, store.replica().node(), "Remove discarded this local write; it could not be pushed"
                    + (push.succeeded() ? "" : ": " + push.error()));
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.FAILED, "Remove of " + name + " failed: " + e, null, e);
        }
    }

    private static String describe(ReplacedReplica replaced) {
        int n = replaced.unpushed().size();
        return replaced.problem() + (n == 0 ? "" : n == 1 ? "; 1 write it held that was not on the hub went to the"
                + " conflict archive" : "; " + n + " writes it held that were not on the hub went to the conflict archive");
    }

    /** Local writes that were never pushed and are about to go: each is archived first, as "discarded", and why. */
    private void archiveDiscarded(List<LocalChange> pending, String node, String why) {
        pending.forEach(p -> journal.archive(new ConflictRecord(name, p.key(), clock.now(), "discarded", why, p.row(),
                p.ts(), node, null, 0, null)));
    }

    /**
     * A cycle that finds a database damaged runs once more, on a new hub connection, before the damage is believed: a
     * share that fails a read or cuts it short (a server going away mid-read) makes SQLite see a malformed page in an
     * intact file, and the connection that read it may keep it cached. The repeat sees the real file: it syncs, finds
     * the share gone (offline), or confirms the damage. Batches the first attempt committed stay counted.
     */
    private Outcome confirmingDamage(Counts counts) {
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

    private Outcome cycle(Counts counts) {
        return store.mode() == MirrorMode.READ_ONLY ? refresh() : exchange(counts);
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
        if (store.replicaExists()) {
            store.recreateReplica(false, pending -> { }, uncaptured -> { }); // a read-only copy takes no writes
        } else {
            store.replica(); // the first copy
        }
        seen(hub, version);
        return Outcome.SYNCED;
    }

    private Outcome exchange(Counts counts) {
        Replica replica = store.replica();
        // Before the share is asked anything: capture is repaired locally even while the hub cannot be reached.
        CaptureRepair capture = store.checkCapture();
        capture.repaired().forEach(t -> Logger.warn("{}: table {} was not captured (its triggers were missing or wrong"
                + " after a schema change on this desktop); capture is installed again, and the writes made meanwhile"
                + " are compared with the hub at the next push", name, t));
        Hub hub = store.hub();
        keepClockCurrent(replica);
        HubProbe probe = hub.probe();
        seen(hub, probe.version());
        losses.beforeCycle(hub, replica, probe);
        List<String> blocking = List.of();
        // Once per process whatever the cookie says: what a schema check leaves out of the sync is not stored.
        if (!schemaMatched || capture.schemaMoved() || probe.schemaVersion() != replica.knownSchemaVersion()) {
            SchemaChange change = store.syncSchema();
            schemaMatched = true;
            change.added().forEach(a -> Logger.info("{}: {}", name, a));
            change.archive().forEach((why, rows) -> archiveDiscarded(rows, replica.node(), why));
            change.problems().forEach(p -> Logger.warn("{}: {}", name, p));
            blocking = change.blocking();
        }
        Outcome outcome = exchangeRows(hub, replica, probe, counts);
        List<String> uncaptured = store.uncaptured();
        if (!uncaptured.isEmpty()) {
            // Never OK while writes capture missed are not on the hub: the table is named, its rows stay here.
            throw new StoreException(StoreException.Kind.FAILED, "writes to table " + String.join(", ", uncaptured)
                    + " made while its capture had stopped cannot be compared with the hub (the hub has no such table"
                    + " with the same key); they stay in the replica", "the schema change made on this desktop must"
                    + " reach the hub first", null);
        }
        if (!blocking.isEmpty()) {
            // After the other tables have synced: one stuck table does not hold back the rest.
            throw new StoreException(StoreException.Kind.FAILED, String.join("; ", blocking), "restore it on the hub,"
                    + " or make the replica afresh with Clear Cache, its box to discard ticked (command line: clear-cache "
                    + name + " --discard-pending), which archives the local changes that cannot be pushed", null);
        }
        return outcome;
    }

    /**
     * Reads the file server's clock when a reading is due and no push will read it in this cycle. Best effort: without
     * a new reading the last one stands, so only a share that cannot be reached fails the cycle (as the probe would).
     */
    private void keepClockCurrent(Replica replica) {
        if (!store.referenceClock().sampleDue() || replica.pendingCount() > 0) {
            return;
        }
        try {
            store.readServerClock();
        } catch (StoreException e) {
            if (e.kind() == StoreException.Kind.OFFLINE) {
                throw e;
            }
            Logger.debug("{}: reading the file server's clock: {}", name, e.getMessage());
        }
    }

    private Outcome exchangeRows(Hub hub, Replica replica, HubProbe probe, Counts counts) {
        if (probe.prunedPast(replica.cursor())) {
            // Changes this replica never pulled are gone from the log: push what is ours, then start afresh.
            Logger.warn("{}: the hub's log was pruned past this replica (cursor {}, oldest entry {});"
                    + " pushing local writes, then re-cloning", name, replica.cursor(), probe.oldest());
            // Rows written while capture had stopped cannot be told from others' changes the pruned log no longer
            // names: the re-clone archives every row that differs from the hub instead.
            push(hub, replica, counts);
            store.recreateReplica(false, discarded -> { }, uncaptured -> archiveDiscarded(uncaptured,
                    replica.node(), "re-cloned after the hub's log was pruned past this replica: " + NOT_CAPTURED));
            return Outcome.SYNCED;
        }
        boolean recover = !store.uncaptured().isEmpty();
        if (probe.head() == replica.cursor() && replica.pendingCount() == 0 && !recover) {
            return Outcome.IDLE;
        }
        losses.beforeExchange(hub, probe);
        if (recover) {
            // Before the pull can apply anything over rows written here while capture had stopped.
            int queued = store.recoverUncaptured();
            if (queued > 0) {
                Logger.info("{}: queued {} rows that capture missed or a schema change made here changed", name, queued);
            }
        }
        pull(hub, replica, probe.head(), counts);
        push(hub, replica, counts);
        losses.afterExchange(hub, replica, probe.head());
        return Outcome.SYNCED;
    }

    private void push(Hub hub, Replica replica, Counts counts) {
        while (replica.pendingCount() > 0) {
            int written = pushBatch(hub, replica, counts);
            if (written < PUSH_BATCH) {
                break;
            }
        }
    }

    private void pull(HubReader reader, Replica replica, long head, Counts counts) {
        ConflictResolver resolver = new ConflictResolver(name, policy, replica.node(), reader, journal, clock);
        for (long cursor = replica.cursor(); cursor < head; ) {
            long upTo = Math.min(head, cursor + PULL_WINDOW);
            List<RemoteChange> changes = reader.changes(cursor, upTo, replica.node());
            // The cursor moves with the window's last chunk only: a crash between chunks reads the window again and
            // applies its first chunks once more, which writes the same rows again.
            int from = 0;
            do {
                int to = Math.min(changes.size(), from + APPLY_CHUNK);
                long newCursor = to == changes.size() ? upTo : cursor;
                counts.pulled += replica.apply(changes.subList(from, to), newCursor, resolver).applied();
                from = to;
            } while (from < changes.size());
            cursor = upTo;
        }
        counts.conflicts += resolver.archived();
    }

    /** One hub transaction: pull what slipped in, write a batch, commit, then clear it locally. Returns rows written. */
    private int pushBatch(Hub hub, Replica replica, Counts counts) {
        var pushed = java.util.List.<LocalChange>of();
        long head;
        long newHead;
        // While the hub is locked, every other desktop waits for this one: a local application's long transaction on
        // the replica makes the push give way (BUSY, retried with backoff) rather than hold the share meanwhile.
        try (PushTransaction tx = hub.beginPush(); Replica.BriefWaits brief = replica.briefWaits()) {
            HubProbe locked = tx.probe();
            seen(hub, locked.version()); // under the write lock, after whatever landed since the cycle's probe
            head = locked.head();
            pull(tx, replica, head, counts);
            var batch = replica.pending(PUSH_BATCH);
            if (batch.isEmpty()) {
                return 0;
            }
            // What the hub is about to get from this replica must survive a power cut here: a replica that lost rows
            // the hub has from it would never pull them back (its own log entries only confirm its pushes).
            replica.makeDurable();
            pushed = tx.write(batch, replica.node(), head);
            Instant now = clock.now();
            if (!now.isBefore(nextPrune)) {
                int pruned = tx.prune(now.minus(LOG_KEPT), now.minus(NODE_ACTIVE));
                nextPrune = now.plus(PRUNE_EVERY);
                if (pruned > 0) {
                    Logger.info("{}: pruned {} old entries from the hub's log", name, pruned);
                }
            }
            newHead = tx.probe().head();
            tx.commit();
        }
        losses.afterCommit(hub, pushed, replica.node(), head);
        // The hub has the rows now; a crash before this line re-pushes the same values next time.
        replica.clearPushed(pushed, newHead);
        counts.pushed += pushed.size();
        return pushed.size();
    }

    private void seen(Hub hub, long version) {
        seenHub = hub;
        seenVersion = version;
    }

    private CycleRecord record(Instant started, Counts counts, Outcome outcome, String error, String hint) {
        if (outcome == Outcome.IDLE && counts.pulled + counts.pushed > 0) {
            outcome = Outcome.SYNCED;
        }
        return new CycleRecord(name, started, Duration.between(started, clock.now()), counts.pushed, counts.pulled,
                counts.conflicts, pendingNow(), outcome, error, hint);
    }

    private long pendingNow() {
        try {
            return store.replicaExists() ? store.replica().pendingCount() : 0;
        } catch (StoreException e) {
            return -1;
        }
    }

    private static final class Counts {
        int pushed;
        int pulled;
        int conflicts;
    }
}
