package io.sharemirror.sync;

import io.sharemirror.sync.CycleRecord.Outcome;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
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
    /** Log entries younger than this are never pruned... */
    static final Duration LOG_KEPT = Duration.ofDays(7);
    /** ...nor any that a node seen within this time has not pulled yet. Longer-absent nodes re-clone. */
    static final Duration NODE_ACTIVE = Duration.ofDays(30);
    /** How often one agent prunes, inside a push it makes anyway. */
    static final Duration PRUNE_EVERY = Duration.ofDays(1);

    private final String name;
    private final MirrorStore store;
    private final ConflictPolicy policy;
    private final Journal journal;
    private final Retry retry;
    private final Clock clock;
    private Instant nextPrune = Instant.MIN;
    /** Read-only mode: the hub connection and version the replica was last copied at. */
    private Hub copiedFrom;
    private long copiedVersion;

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

    /** Runs one cycle and records it; failures are classified into the record, never thrown. */
    public synchronized CycleRecord sync() {
        Instant started = clock.now();
        Counts counts = new Counts();
        CycleRecord record;
        try (Closeable exclusive = store.exclusive()) {
            // A busy hub anywhere in the cycle (a read meeting another program's commit, a push meeting another
            // writer) is retried with backoff, the whole cycle again (DESIGN.md §6); a COMMIT that stays busy is
            // rolled back by the push itself and fails the cycle instead.
            Outcome outcome = retry.onBusy(() -> cycle(counts));
            record = record(started, counts, outcome, null, null);
        } catch (StoreException e) {
            if (e.kind() == StoreException.Kind.OFFLINE) {
                store.disconnectHub();
            }
            Outcome outcome = e.kind() == StoreException.Kind.OFFLINE ? Outcome.OFFLINE : Outcome.FAILED;
            record = record(started, counts, outcome, e.getMessage(), e.hint());
            Logger.warn("{}: sync {}: {}{}", name, outcome.name().toLowerCase(), e.getMessage(),
                    e.hint() == null ? "" : " (" + e.hint() + ")");
        } catch (IOException e) {
            record = record(started, counts, Outcome.FAILED, e.toString(), null);
        }
        journal.recordCycle(record);
        if (record.outcome() == Outcome.SYNCED) {
            Logger.info("{}: synced in {} ms: pushed {}, pulled {}, conflicts {}", name, record.duration().toMillis(),
                    record.pushed(), record.pulled(), record.conflicts());
        }
        return record;
    }

    /**
     * Clear Cache (DESIGN.md §5): push first, then re-clone. Pending writes that could not be pushed make it
     * refuse, unless {@code discardPending}: then each is archived as "discarded" before it goes.
     */
    public synchronized void clearCache(boolean discardPending) {
        CycleRecord push = sync();
        String why = push.succeeded() ? "it could not be pushed" : "it could not be pushed: " + push.error();
        try (Closeable exclusive = store.exclusive()) {
            store.recreateReplica(discardPending, pending -> pending.forEach(p -> journal.archive(new ConflictRecord(
                    name, p.key(), clock.now(), "discarded", "Clear Cache discarded this local write; " + why,
                    p.row(), p.ts(), store.replica().node(), null, 0, null))));
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.FAILED, "Clear Cache of " + name + " failed: " + e, null, e);
        }
        Logger.info("{}: cache cleared; the replica is a fresh copy of the hub", name);
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
        if (hub == copiedFrom && version == copiedVersion) {
            return Outcome.IDLE;
        }
        if (store.replicaExists()) {
            store.recreateReplica(false, pending -> { });
        } else {
            store.replica(); // the first copy
        }
        copiedFrom = hub;
        copiedVersion = version;
        return Outcome.SYNCED;
    }

    private Outcome exchange(Counts counts) {
        Replica replica = store.replica();
        Hub hub = store.hub();
        HubProbe probe = hub.probe();
        if (probe.schemaVersion() != replica.knownSchemaVersion()) {
            SchemaChange change = store.syncSchema();
            change.added().forEach(a -> Logger.info("{}: added {} from the hub", name, a));
            change.problems().forEach(p -> Logger.warn("{}: {}", name, p));
        }
        if (probe.prunedPast(replica.cursor())) {
            // Changes this replica never pulled are gone from the log: push what is ours, then start afresh.
            Logger.warn("{}: the hub's log was pruned past this replica (cursor {}, oldest entry {});"
                    + " pushing local writes, then re-cloning", name, replica.cursor(), probe.oldest());
            push(hub, replica, counts);
            store.recreateReplica(false, discarded -> { });
            return Outcome.SYNCED;
        }
        if (probe.head() == replica.cursor() && replica.pendingCount() == 0) {
            return Outcome.IDLE;
        }
        pull(hub, replica, probe.head(), counts);
        push(hub, replica, counts);
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
            counts.pulled += replica.apply(reader.changes(cursor, upTo, replica.node()), upTo, resolver).applied();
            cursor = upTo;
        }
        counts.conflicts += resolver.archived();
    }

    /** One hub transaction: pull what slipped in, write a batch, commit, then clear it locally. Returns rows written. */
    private int pushBatch(Hub hub, Replica replica, Counts counts) {
        var pushed = java.util.List.<LocalChange>of();
        long newHead;
        try (PushTransaction tx = hub.beginPush()) {
            long head = tx.probe().head();
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
        // The hub has the rows now; a crash before this line re-pushes the same values next time.
        replica.clearPushed(pushed, newHead);
        counts.pushed += pushed.size();
        return pushed.size();
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
