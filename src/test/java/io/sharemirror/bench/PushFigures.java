package io.sharemirror.bench;

import io.sharemirror.store.Cluster;
import io.sharemirror.store.ConnectionFactory;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Collections;
import java.util.List;

/**
 * B5: one cycle pushing {@code pushRows} changed rows, against the same rows written one by one straight to the hub
 * (timed on a sample and extrapolated: at 5 ms per share operation the whole would take half an hour). The hub's write
 * lock is timed by the journal's life ({@link JournalWatch}); the number of lives is the number of hub transactions.
 */
final class PushFigures {

    private PushFigures() {
    }

    static List<Row> measure(BenchSettings settings, SlowShare share, ItemData data, Path work) throws Exception {
        int rows = (int) Math.min(settings.pushRows(), data.rows);
        int pushes = Math.max(1, settings.cycles() / 2);
        long[] wall = new long[pushes];
        long[] lock = new long[pushes];
        int mostTransactions = 0;
        long ops = 0;
        String byKind = "";
        try (Cluster cluster = new Cluster(work, data.hub)) {
            share.fast();
            Cluster.Node node = cluster.add(ConflictPolicy.NEWEST_WINS);
            node.sync();
            share.slow();
            node.sync();
            for (int i = 0; i < pushes; i++) {
                node.exec("UPDATE item SET qty = qty + 1 WHERE id <= " + rows);
                CycleRecord[] record = new CycleRecord[1];
                int at = i;
                SlowShare.Ops cost;
                List<Double> lives;
                try (JournalWatch watch = JournalWatch.on(share.serverSide(data.hub))) {
                    cost = share.ops(() -> wall[at] = Samples.time(() -> record[0] = node.sync()));
                    lives = watch.stop();
                }
                if (record[0].pushed() != rows) {
                    throw new IllegalStateException("B5 pushed " + record[0].pushed() + " rows, not " + rows + ": "
                            + record[0]);
                }
                lock[i] = (long) ((lives.isEmpty() ? 0 : Collections.max(lives)) * 1e6);
                mostTransactions = Math.max(mostTransactions, lives.size());
                ops = Math.max(ops, cost.total());
                byKind = cost.byKind().toString();
            }
        }
        Samples push = Samples.ofNanos(wall);
        double lockMs = Samples.ofNanos(lock).medianMs();
        int sample = Math.min(settings.directSample(), rows);
        Samples direct;
        SlowShare.Ops directOps;
        try (Connection hub = new ConnectionFactory(Duration.ofSeconds(30)).open(data.plainTwin,
                ConnectionFactory.Kind.DIRECT); PreparedStatement s = hub.prepareStatement(
                "UPDATE item SET qty = qty + 1 WHERE id = ?")) {
            Samples[] out = new Samples[1];
            long[] key = {0};
            directOps = share.ops(() -> out[0] = Samples.of(sample, () -> {
                s.setLong(1, ++key[0]);
                s.executeUpdate();
            }));
            direct = out[0];
        }
        double directTotalMs = direct.medianMs() * rows;
        double ratio = directTotalMs / push.medianMs();

        Row row = new Row("B5", "push of " + Row.number(rows) + " changed rows");
        row.shareMirror = Row.time(push.medianMs()) + " per cycle, " + mostTransactions + " hub transaction(s), write lock"
                + " held " + Row.time(lockMs);
        row.compared = Row.time(directTotalMs) + " (" + Row.number(rows) + " single writes straight to the hub; n="
                + sample + " of " + Row.number(rows) + ", extrapolated from the median " + Row.time(direct.medianMs()) + ")";
        row.ratio = Row.times(ratio);
        row.shareOps = Row.number(ops) + " per push; " + Row.number(directOps.per(sample)) + " per single write";
        row.target = "one hub transaction; write lock ≤ 1 s; ≥ 50× less wall time";
        row.met(mostTransactions == 1 && lockMs <= 1000 && ratio >= 50)
                .value("push_ms", push.medianMs()).value("hub_transactions", mostTransactions)
                .value("lock_ms", lockMs).value("direct_write_ms", direct.medianMs())
                .value("direct_total_ms", directTotalMs).value("ratio", ratio).value("ops_per_push", ops);
        row.note = "the write lock is the hub journal's life, watched on the server's side; the push's share operations"
                + " by kind: " + byKind;
        return List.of(row);
    }
}
