package io.sharemirror.share;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Figures;
import io.sharemirror.store.AckedWrites;
import io.sharemirror.store.Cluster;
import io.sharemirror.store.TwoReplicas;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.CycleRecord.Outcome;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 5, item 5: the I/O error sweep, in the style of SQLite's own io-error tests. For each kind of operation on the
 * hub's files (database and journal, on a {@link FaultFs}), the n-th one of a sync cycle fails, once or from then on,
 * for n = 1..N, where N is what one such cycle makes of them. After each injected fault, with the fault cleared: the
 * push transaction applied fully or not at all (every row of the replica's batch is on the hub as written, or none
 * is and all are still pending), the hub's integrity holds, a cycle that failed says OFFLINE (never that the intact
 * hub is damaged, nor FAILED: these are share errors; a share out of space is FAILED with the disk-full hint), and
 * the next cycle succeeds (sqlite-jdbc finalizes a statement that failed, and a kept one would fail every later cycle
 * with "statement is not executing"); at the end the mirrors converge and every acknowledged write is everywhere.
 *
 * <p>CI sweeps an even spread of {@code faults.sweep.cases} values of n per fault and mode; {@code -Plong} sets it
 * to 0: every n.
 */
class HubIoErrorSweepTest {

    private static final int CASES = Integer.getInteger("faults.sweep.cases", 8);

    /**
     * A fault on one kind of operation, and how a cycle it fails must end: OFFLINE for the share's errors, FAILED with
     * the disk-full hint for a share out of space. A null errno is a READ cut short.
     */
    enum Fault {
        SHORT_READ(Op.READ, null),
        READ_EIO(Op.READ, Errno.EIO),
        WRITE_EIO(Op.WRITE, Errno.EIO),
        WRITE_ENOSPC(Op.WRITE, Errno.ENOSPC),
        FSYNC_EIO(Op.FSYNC, Errno.EIO),
        GETATTR_ENOTCONN(Op.GETATTR, Errno.ENOTCONN),
        CREATE_EIO(Op.CREATE, Errno.EIO),
        UNLINK_ESTALE(Op.UNLINK, Errno.ESTALE);

        final Op op;
        final Errno errno;
        final Outcome failure;

        Fault(Op op, Errno errno) {
            this.op = op;
            this.errno = errno;
            this.failure = errno == Errno.ENOSPC ? Outcome.FAILED : Outcome.OFFLINE;
        }

        void arm(Faults faults, long n, boolean persistent) {
            if (errno == null) {
                faults.shortReadNth(n); // a share that cuts every read short is not a passing fault: once only
            } else if (persistent) {
                faults.failFrom(op, n, errno);
            } else {
                faults.failNth(op, n, errno);
            }
        }
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Fault.class)
    void everyPushAppliesFullyOrNotAtAllAndTheMirrorsConverge(Fault fault) throws Exception {
        try (FaultFs share = FaultFs.mount(dir.resolve("backing"), dir.resolve("mnt"))) {
            Path hub = share.folder().resolve("hub.db");
            Cluster.run(hub, AckedWrites.DDL);
            Faults faults = share.faults().scope(path -> path.startsWith("/hub.db"));
            try (TwoReplicas replicas = TwoReplicas.of(dir.resolve("nodes"), hub)) {
                Cluster.Node a = replicas.a;
                Cluster.Node b = replicas.b;
                AckedWrites writes = replicas.writes;

                faults.resetCounts();
                prepare(a, b, writes);
                assertTrue(a.sync().succeeded());
                long perCycle = faults.count(fault.op);
                assertTrue(perCycle > 0, "a cycle makes no " + fault.op + " on the hub's files: nothing to sweep");
                List<Long> ns = spread(perCycle);

                int injected = 0;
                int partial = 0;
                List<String> problems = new ArrayList<>();
                Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
                List<String> errors = new ArrayList<>();
                for (boolean persistent : fault.errno == null ? new boolean[] {false} : new boolean[] {false, true}) {
                    for (long n : ns) {
                        Map<String, String> batch = prepare(a, b, writes);
                        faults.resetCounts();
                        fault.arm(faults, n, persistent);
                        CycleRecord cut = a.sync();
                        boolean hit = faults.count(fault.op) >= n;
                        faults.clear();
                        injected += hit ? 1 : 0;
                        outcomes.merge(cut.outcome(), 1, Integer::sum);
                        String where = fault + (persistent ? " from the " : " at the ") + n + "th " + fault.op + ": ";
                        if (cut.error() != null && errors.size() < 5) {
                            errors.add(where + cut.error());
                        }
                        if (cut.hint() != null && cut.hint().contains("damaged")) {
                            problems.add(where + "the intact hub was reported damaged: " + cut.error());
                        } else if (!cut.succeeded() && cut.outcome() != fault.failure) {
                            problems.add(where + "a share error was reported as " + cut.outcome() + ", not "
                                    + fault.failure + ": " + cut.error());
                        } else if (cut.outcome() == Outcome.FAILED
                                && (cut.hint() == null || !cut.hint().contains("disk is full"))) {
                            problems.add(where + "a full share was reported without the disk-full hint: " + cut);
                        }
                        String halfDone = AckedWrites.halfDone(hub, a, batch);
                        if (halfDone != null) {
                            partial++;
                            problems.add(where + halfDone);
                        } else if (cut.succeeded() && !AckedWrites.pendingBatch(a).isEmpty()) {
                            problems.add(where + "the cycle succeeded without pushing its batch");
                        }
                        Cluster.assertHealthy(hub);
                        CycleRecord next = a.sync();
                        if (!next.succeeded()) {
                            problems.add(where + "the next cycle, fault cleared, failed: " + next);
                        }
                    }
                }
                errors.forEach(e -> System.out.println("  e.g. " + e));
                replicas.finish(Figures.of("HubIoErrorSweepTest." + fault)
                        .runs(outcomes.values().stream().mapToInt(i -> i).sum()).faults(injected)
                        .put("ops_per_cycle", perCycle).put("partial_batches", partial).put("outcomes", outcomes),
                        problems);
            }
        }
    }

    /** B pushes a little for A to pull; A queues new rows and edits of old ones. Returns A's batch: uid to note. */
    private static Map<String, String> prepare(Cluster.Node a, Cluster.Node b, AckedWrites writes) throws SQLException {
        writes.insert(b, 2);
        CycleRecord r = b.sync();
        assertTrue(r.succeeded(), r.toString());
        writes.insert(a, 10);
        writes.update(a, 3);
        return AckedWrites.pendingBatch(a);
    }

    /** n = 1..perCycle, or CASES values spread evenly over it (always the first and the last). */
    private static List<Long> spread(long perCycle) {
        List<Long> ns = new ArrayList<>();
        if (CASES <= 0 || CASES >= perCycle) {
            for (long n = 1; n <= perCycle; n++) {
                ns.add(n);
            }
        } else {
            for (int i = 0; i < CASES; i++) {
                ns.add(1 + Math.round((perCycle - 1) * (double) i / (CASES - 1)));
            }
        }
        return ns;
    }
}
