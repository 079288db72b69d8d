package io.sharemirror.sync;

import io.sharemirror.sync.CycleRecord.Outcome;
import io.sharemirror.sync.conflict.TablePolicies;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tinylog.Logger;

/**
 * The read-write cycle's exchange with the hub (ARCHITECTURE.md#one-sync-cycle): the schema check, pull, resolve, push in one
 * {@code BEGIN IMMEDIATE} transaction per batch, then clear what was pushed; with the {@link LossDetector}'s checks at
 * its four points. Every decision about rows is the {@link Planner}'s; this class reads what it needs and applies it.
 */
final class RowExchange {

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
    /** Pushes made in one cycle for deletes that clashes showed were never captured, before the next cycle's turn. */
    static final int PUSH_ROUNDS_AFTER_CLASHES = 3;

    private final String name;
    private final MirrorStore store;
    private final TablePolicies policies;
    private final Journal journal;
    private final Clock clock;
    private final DiscardedWrites discarded;
    /** Told the hub's version whenever the exchange looks at the hub, so the hub-change poll compares with it. */
    private final Seen seen;
    private final LossDetector losses = new LossDetector();
    private Instant nextPrune = Instant.MIN;
    private boolean schemaMatched;

    @FunctionalInterface
    interface Seen {
        void at(Hub hub, long version);
    }

    RowExchange(String name, MirrorStore store, TablePolicies policies, Journal journal, Clock clock,
                DiscardedWrites discarded, Seen seen) {
        this.name = name;
        this.store = store;
        this.policies = policies;
        this.journal = journal;
        this.clock = clock;
        this.discarded = discarded;
        this.seen = seen;
    }

    Outcome exchange(CycleCounts counts) {
        Replica replica = store.replica();
        // Before the share is asked anything: capture is repaired locally even while the hub cannot be reached.
        CaptureRepair capture = store.capture().check();
        capture.repaired().forEach(t -> Logger.warn("{}: table {} was not captured (its triggers were missing or wrong"
                + " after a schema change on this desktop); capture is installed again, and the writes made meanwhile"
                + " are compared with the hub at the next push", name, t));
        Hub hub = store.hub();
        keepClockCurrent(replica);
        HubProbe probe = hub.probe();
        seen.at(hub, probe.version());
        losses.beforeCycle(hub, replica, probe);
        List<String> blocking = List.of();
        // Once per process whatever the cookie says: what a schema check leaves out of the sync is not stored.
        if (!schemaMatched || capture.schemaMoved() || !probe.schema().equals(replica.knownSchema())) {
            SchemaChange change = store.syncSchema();
            schemaMatched = true;
            change.added().forEach(a -> Logger.info("{}: {}", name, a));
            change.archive().forEach((why, rows) -> discarded.archive(rows, replica.node(), why));
            change.problems().forEach(p -> Logger.warn("{}: {}", name, p));
            blocking = change.blocking();
        }
        Outcome outcome = exchangeRows(hub, replica, probe, counts);
        List<String> uncaptured = store.capture().uncaptured();
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
            store.hub().readServerClock();
        } catch (StoreException e) {
            if (e.kind() == StoreException.Kind.OFFLINE) {
                throw e;
            }
            Logger.debug("{}: reading the file server's clock: {}", name, e.getMessage());
        }
    }

    private Outcome exchangeRows(Hub hub, Replica replica, HubProbe probe, CycleCounts counts) {
        if (probe.prunedPast(replica.cursor())) {
            // Changes this replica never pulled are gone from the log: push what is ours, then start afresh.
            Logger.warn("{}: the hub's log was pruned past this replica (cursor {}, oldest entry {});"
                    + " pushing local writes, then re-cloning", name, replica.cursor(), probe.oldest());
            // Rows written while capture had stopped cannot be told from others' changes the pruned log no longer
            // names: the re-clone archives every row that differs from the hub instead.
            push(hub, replica, counts);
            store.replicaFile().recreate(false, pending -> { }, uncaptured -> discarded.archive(uncaptured,
                    replica.node(),
                    "re-cloned after the hub's log was pruned past this replica: " + DiscardedWrites.NOT_CAPTURED));
            return Outcome.SYNCED;
        }
        boolean recover = !store.capture().uncaptured().isEmpty();
        if (probe.head() == replica.cursor() && replica.pendingCount() == 0 && !recover) {
            return Outcome.IDLE;
        }
        losses.beforeExchange(hub, probe);
        if (recover) {
            // Before the pull can apply anything over rows written here while capture had stopped.
            int queued = store.capture().recover();
            if (queued > 0) {
                Logger.info("{}: queued {} rows that capture missed or a schema change made here changed", name, queued);
            }
        }
        pull(hub, replica, probe.head(), counts);
        push(hub, replica, counts);
        losses.afterExchange(hub, replica, probe.head());
        return Outcome.SYNCED;
    }

    private void push(Hub hub, Replica replica, CycleCounts counts) {
        for (int round = 0; replica.pendingCount() > 0; round++) {
            Batch result = pushBatch(hub, replica, counts);
            // A full batch may have more behind it; a delete that a clash showed was never captured goes at once.
            if (result.written < PUSH_BATCH && (!result.queuedMore || round >= PUSH_ROUNDS_AFTER_CLASHES)) {
                break;
            }
        }
    }

    private void pull(HubReader reader, Replica replica, long head, CycleCounts counts) {
        retryWaiting(reader, replica, counts);
        for (long cursor = replica.cursor(); cursor < head; ) {
            long upTo = Math.min(head, cursor + PULL_WINDOW);
            List<RemoteChange> changes = reader.changes(cursor, upTo, replica.node(), replica.appliedPastCursor());
            // The cursor moves with the window's last chunk only. Each chunk's keys are remembered with it, so a cycle
            // cut short between chunks, read again, passes over what they applied: their rows are the ones the
            // replica knows, and what an application did to them since is an edit of those, not of someone's new row.
            int from = 0;
            do {
                int to = Math.min(changes.size(), from + APPLY_CHUNK);
                applyPulled(reader, replica, changes.subList(from, to), to == changes.size() ? upTo : cursor, counts);
                from = to;
            } while (from < changes.size());
            cursor = upTo;
        }
    }

    /**
     * Changes from the hub that waited because they broke a constraint here are tried again, with the hub's row as it
     * is now: the row that held their values may have changed since.
     */
    private void retryWaiting(HubReader reader, Replica replica, CycleCounts counts) {
        List<Waiting> waiting = replica.waiting().stream().filter(Waiting::fromHub).toList();
        if (waiting.isEmpty()) {
            return;
        }
        Map<Key, Row> rows = reader.rows(waiting.stream().map(Waiting::key).toList());
        List<RemoteChange> again = waiting.stream().map(w -> new RemoteChange(w.key(), w.seq(), w.ts(), w.origin(),
                rows.get(w.key()), false, 0, null, null)).toList();
        applyPulled(reader, replica, again, replica.cursor(), counts);
    }

    /** Plans what the changes do to the replica and applies the plan ({@link Replanning}). */
    private void applyPulled(HubReader reader, Replica replica, List<RemoteChange> changes, long upTo,
                             CycleCounts counts) {
        Planner planner = planner(replica);
        List<Key> keys = changes.stream().map(RemoteChange::key).toList();
        Plan plan = Replanning.apply(replica, upTo, journal, found -> planner.plan(changes,
                replica.pendingFor(Replanning.involved(keys, found)), replica.tables()::contains,
                new LivePlanInputs(reader, replica), found));
        counts.pulled += plan.applied();
        counts.conflicts += plan.archive().size();
        Renumbering.of(name, plan, clock.now()).forEach(journal::renumbered);
    }

    /** What one push transaction did: rows written, and whether settling its clashes queued more to push. */
    private record Batch(int written, boolean queuedMore) {
    }

    /** One hub transaction: pull what slipped in, write a batch, commit, then clear it locally. */
    private Batch pushBatch(Hub hub, Replica replica, CycleCounts counts) {
        Pushed pushed;
        Map<Key, Row> hubRows;
        long head;
        long newHead;
        List<LocalChange> batch;
        // While the hub is locked, every other desktop waits for this one: a local application's long transaction on
        // the replica makes the push give way (BUSY, retried with backoff) rather than hold the share meanwhile.
        try (PushTransaction tx = hub.beginPush(); Replica.BriefWaits brief = replica.briefWaits()) {
            HubProbe locked = tx.probe();
            seen.at(hub, locked.version()); // under the write lock, after whatever landed since the cycle's probe
            head = locked.head();
            pull(tx, replica, head, counts);
            batch = replica.pending(PUSH_BATCH);
            if (batch.isEmpty()) {
                return new Batch(0, false);
            }
            // What the hub is about to get from this replica must survive a power cut here: a replica that lost rows
            // the hub has from it would never pull them back (its own log entries only confirm its pushes).
            replica.makeDurable();
            pushed = tx.write(batch, replica.node(), head);
            hubRows = tx.rows(holders(pushed.clashes()));
            Instant now = clock.now();
            if (!now.isBefore(nextPrune)) {
                // Ages in the hub's log are the server's: a clock a month ahead would prune what others still need.
                Instant serverNow = store.referenceClock().now();
                int pruned = tx.prune(serverNow.minus(LOG_KEPT), serverNow.minus(NODE_ACTIVE));
                nextPrune = now.plus(PRUNE_EVERY);
                if (pruned > 0) {
                    Logger.info("{}: pruned {} old entries from the hub's log", name, pruned);
                }
            }
            newHead = tx.probe().head();
            tx.commit();
        }
        losses.afterCommit(hub, pushed.written(), replica.node(), head);
        // The hub has the rows now; a crash before this line re-pushes the same values next time.
        replica.clearPushed(pushed.written(), newHead);
        counts.pushed += pushed.written().size();
        return new Batch(pushed.written().size(), settleClashes(replica, batch, pushed.clashes(), hubRows, newHead));
    }

    /**
     * Decides about our rows the push could not write (see {@link Planner#planPushed}); notes the ones that wait.
     * Returns whether it queued a change to push.
     */
    private boolean settleClashes(Replica replica, List<LocalChange> batch, List<Clash> clashes, Map<Key, Row> hubRows,
                                  long cursor) {
        if (clashes.isEmpty()) {
            return false;
        }
        Map<Key, LocalChange> ours = new HashMap<>();
        batch.forEach(c -> ours.put(c.key(), c));
        List<Key> holders = holders(clashes);
        Set<Key> waitingFromHub = new HashSet<>();
        replica.waiting().stream().filter(Waiting::fromHub).forEach(w -> waitingFromHub.add(w.key()));
        PushClashes settled = planner(replica).planPushed(clashes, ours, replica.pendingFor(holders),
                replica.rows(holders), hubRows, waitingFromHub);
        replica.waitingToPush(settled.waiting());
        settled.waiting().forEach(c -> Logger.warn("{}: a row of {} waits: it breaks {} on the hub", name,
                c.key().table(), c.constraint()));
        if (settled.plan().steps().isEmpty()) {
            return false;
        }
        try {
            replica.apply(settled.plan(), cursor, journal);
            return true;
        } catch (PlanOutdatedException e) {
            return false; // an application wrote that row meanwhile: the next push meets it as it is now
        }
    }

    private static List<Key> holders(List<Clash> clashes) {
        return clashes.stream().map(Clash::other).filter(Objects::nonNull).distinct().toList();
    }

    private Planner planner(Replica replica) {
        ReferenceClock reference = store.referenceClock();
        return new Planner(name, replica.node(), policies, clock.now(),
                reference.now().plus(reference.aheadLimit()).toEpochMilli());
    }

}
