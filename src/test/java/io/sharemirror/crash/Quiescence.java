package io.sharemirror.crash;

import io.sharemirror.sync.CycleRecord;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The end of every crash-family test (ARCHITECTURE.md#tests): with every child gone and every fault cleared, each replica
 * syncs in this process until a whole round is idle (liveness); then integrity, convergence and no loss are checked
 * against the ledgers of the application writers and the direct hub writer.
 */
final class Quiescence {

    private static final int MAX_ROUNDS = 30;

    /** The checks, with their counts and violations. */
    final Invariants checks = new Invariants();
    /** Rounds of syncing it took until every replica was idle. */
    int settleRounds;
    /** Conflicts in all the replicas' archives. */
    int conflictsArchived;

    private Quiescence() {
    }

    /**
     * @param caches each slot's cache folder ("A" to its folder); the replica is {@code db.db} in it
     * @param ledgers the acknowledged writes of each writing slot, as the test accepts them
     * @param direct the programs that wrote the hub directly
     * @param foreignKeyBaseline the foreign key problems the sample hub already had
     */
    static Quiescence settleAndCheck(Path hub, Map<String, Path> caches, Map<String, List<Ledger.Group>> ledgers,
                                     List<HubWriter> direct, long foreignKeyBaseline) throws SQLException {
        return settleAndCheck(hub.toString(), () -> hub, caches, ledgers, direct, foreignKeyBaseline);
    }

    /** A hub that is not a file: {@code hubFile} gives its tables and rows as one, once the replicas are idle. */
    interface HubFile {
        Path get() throws SQLException;
    }

    /** The same for the hub at {@code hubLocation}, a file's path or a PostgreSQL hub's address. */
    static Quiescence settleAndCheck(String hubLocation, HubFile hubFile, Map<String, Path> caches,
                                     Map<String, List<Ledger.Group>> ledgers, List<HubWriter> direct,
                                     long foreignKeyBaseline) throws SQLException {
        Quiescence q = new Quiescence();
        Map<String, String> nodes = q.settle(hubLocation, caches);
        Path hub = hubFile.get();
        Invariants inv = q.checks;
        inv.checkHealthy("hub", hub, foreignKeyBaseline);
        Map<String, Path> replicas = new LinkedHashMap<>();
        caches.forEach((slot, cache) -> replicas.put("replica " + slot, cache.resolve("db.db")));
        for (Map.Entry<String, Path> r : replicas.entrySet()) {
            inv.checkHealthy(r.getKey(), r.getValue(), foreignKeyBaseline);
        }
        for (Map.Entry<String, Path> cache : caches.entrySet()) {
            inv.checkHealthy(cache.getKey() + "'s state.db", cache.getValue().resolve("state.db"), -1);
        }
        inv.checkConverged(hub, replicas);
        List<Invariants.Contents> dbs = new ArrayList<>();
        dbs.add(Invariants.read("hub", hub));
        for (Map.Entry<String, Path> r : replicas.entrySet()) {
            dbs.add(Invariants.read(r.getKey(), r.getValue()));
        }
        List<Invariants.Loser> archive = new ArrayList<>();
        for (Path cache : caches.values()) {
            archive.addAll(Invariants.losers(cache.resolve("state.db")));
        }
        q.conflictsArchived = archive.size();
        inv.checkLedgers(ledgers, nodes, archive, dbs);
        for (HubWriter writer : direct) {
            inv.checkHubWriter(writer, dbs);
        }
        if (inv.archivedInsteadOfApplied > 0) {
            // Newest wins, and two rows that collided on an integer key both survive: the newest write of a key
            // found only in the conflict archive is lost to its user.
            inv.violations.add(inv.archivedInsteadOfApplied + " newest writes are only in the conflict archive: "
                    + inv.archivedSamples);
        }
        return q;
    }

    /** Syncs every replica until a whole round is idle; returns each slot's node id. */
    private Map<String, String> settle(String hub, Map<String, Path> caches) {
        Map<String, CrashChild.Agent> agents = new LinkedHashMap<>();
        try {
            caches.forEach((slot, cache) -> agents.put(slot, CrashChild.Agent.open(hub, cache,
                    UnaryOperator.identity())));
            for (int round = 1; round <= MAX_ROUNDS; round++) {
                boolean idle = true;
                for (CrashChild.Agent a : agents.values()) {
                    CycleRecord r = a.mirror().sync();
                    if (!r.succeeded()) {
                        System.out.println("settling: " + r);
                    }
                    idle &= r.outcome() == CycleRecord.Outcome.IDLE;
                }
                if (idle) {
                    settleRounds = round;
                    break;
                }
            }
            if (settleRounds == 0) {
                settleRounds = MAX_ROUNDS;
                checks.violations.add("the replicas did not become idle in " + MAX_ROUNDS + " rounds of syncing");
            }
            Map<String, String> nodes = new LinkedHashMap<>();
            agents.forEach((slot, a) -> nodes.put(slot, a.mirror().store().replica().node()));
            return nodes;
        } finally {
            agents.values().forEach(CrashChild.Agent::close);
        }
    }
}
