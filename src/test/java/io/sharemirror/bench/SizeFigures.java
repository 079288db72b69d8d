package io.sharemirror.bench;

import io.sharemirror.store.Cluster;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * B6 and B9, cost against database size. B6: the same number of changed rows, spread over the whole table, pushed by
 * one replica and pulled by another, on a small and a large hub. B9: one change the way people do it by hand (copy the
 * file down, change it, copy it back, with {@code cp} and the {@code sqlite3} shell) against one ShareMirror push.
 */
final class SizeFigures {

    private final BenchSettings settings;
    private final SlowShare share;

    SizeFigures(BenchSettings settings, SlowShare share) {
        this.settings = settings;
        this.share = share;
    }

    /** What one hub size cost. */
    private record Costs(ItemData data, Samples push, double pushOps, Samples pull, double pullOps, Samples single,
                         double singleOps, Samples copy, double copyOps) {
    }

    /** {@code sizes} from small to large; B6 compares the first with the last. */
    List<Row> measure(Path work, List<ItemData> sizes) throws Exception {
        List<Costs> costs = new ArrayList<>();
        for (ItemData data : sizes) {
            costs.add(measure(work.resolve(data.name), data));
        }
        List<Row> rows = new ArrayList<>();
        Costs small = costs.get(0);
        Costs large = costs.get(costs.size() - 1);
        rows.add(growth("push", small, large, small.push, large.push, small.pushOps, large.pushOps));
        rows.add(growth("pull", small, large, small.pull, large.pull, small.pullOps, large.pullOps));
        for (Costs c : costs) {
            rows.add(byHand(c));
        }
        return rows;
    }

    private Costs measure(Path work, ItemData data) throws Exception {
        try (Cluster cluster = new Cluster(work, data.hub)) {
            share.fast();
            Cluster.Node a = cluster.add(ConflictPolicy.NEWEST_WINS);
            Cluster.Node b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            share.slow();
            cluster.settle();
            int n = settings.cycles();
            long[] push = new long[n];
            long[] pull = new long[n];
            long pushOps = 0;
            long pullOps = 0;
            String changes = ItemData.touch(data.spreadKeys(settings.cycleChanges()));
            for (int i = 0; i < n; i++) {
                a.exec(changes);
                int at = i;
                pushOps += share.ops(() -> push[at] = timedCycle(a, "pushed", settings.cycleChanges())).total();
                pullOps += share.ops(() -> pull[at] = timedCycle(b, "pulled", settings.cycleChanges())).total();
            }
            long[] single = new long[n];
            long singleOps = 0;
            for (int i = 0; i < n; i++) {
                a.exec(ItemData.touch(new long[] {1 + i}));
                int at = i;
                singleOps += share.ops(() -> single[at] = timedCycle(a, "pushed", 1)).total();
            }
            Path local = work.resolve("by-hand.db");
            long[] copy = new long[settings.copies()];
            long copyOps = 0;
            for (int i = 0; i < copy.length; i++) {
                int at = i;
                copyOps += share.ops(() -> copy[at] = Samples.time(() -> {
                    run("cp", data.plainTwin.toString(), local.toString());
                    run("sqlite3", local.toString(), "UPDATE item SET qty = qty + 1 WHERE id = " + (1 + at));
                    run("cp", local.toString(), data.plainTwin.toString());
                })).total();
            }
            return new Costs(data, Samples.ofNanos(push), (double) pushOps / n, Samples.ofNanos(pull),
                    (double) pullOps / n, Samples.ofNanos(single), (double) singleOps / n, Samples.ofNanos(copy),
                    (double) copyOps / copy.length);
        }
    }

    private static long timedCycle(Cluster.Node node, String what, int expected) throws Exception {
        CycleRecord[] r = new CycleRecord[1];
        long nanos = Samples.time(() -> r[0] = node.sync());
        int moved = what.equals("pushed") ? r[0].pushed() : r[0].pulled();
        if (moved != expected) {
            throw new IllegalStateException("a measured cycle " + what + " " + moved + " rows, not " + expected + ": " + r[0]);
        }
        return nanos;
    }

    private Row growth(String kind, Costs small, Costs large, Samples smallCycle, Samples largeCycle, double smallOps,
                       double largeOps) throws IOException {
        double ratio = largeCycle.medianMs() / smallCycle.medianMs();
        Row row = new Row("B6", kind + " cycle of " + settings.cycleChanges() + " changed rows vs database size");
        row.shareMirror = Row.time(largeCycle.medianMs()) + " on " + mb(large.data) + " (" + Row.number(large.data.rows)
                + " rows)";
        row.compared = Row.time(smallCycle.medianMs()) + " on " + mb(small.data) + " (" + Row.number(small.data.rows)
                + " rows)";
        row.ratio = Row.times(ratio);
        row.shareOps = Row.number(largeOps) + " vs " + Row.number(smallOps) + " per cycle";
        row.target = "ratio ≤ 1.5";
        row.note = "the changed rows are spread evenly over each whole table, so on the large hub each sits on a page"
                + " of its own";
        return row.met(ratio <= 1.5).value("large_ms", largeCycle.medianMs()).value("small_ms", smallCycle.medianMs())
                .value("ratio", ratio).value("large_ops", largeOps).value("small_ops", smallOps);
    }

    private static Row byHand(Costs c) throws IOException {
        double ratio = c.copy.medianMs() / c.single.medianMs();
        Row row = new Row("B9", "whole-file copy per change, " + mb(c.data));
        row.shareMirror = Row.time(c.single.medianMs()) + " (a cycle pushing one change)";
        row.compared = Row.time(c.copy.medianMs()) + " (cp down, sqlite3 UPDATE, cp back)";
        row.ratio = Row.times(ratio);
        row.shareOps = Row.number(c.singleOps) + " vs " + Row.number(c.copyOps);
        row.target = "cost vs ShareMirror as the database grows";
        row.note = "a copied file also overwrites whatever others changed meanwhile; ShareMirror merges per row";
        return row.value("push_ms", c.single.medianMs()).value("copy_ms", c.copy.medianMs()).value("ratio", ratio)
                .value("push_ops", c.singleOps).value("copy_ops", c.copyOps).value("size_mb", c.data.sizeMb());
    }

    private static String mb(ItemData data) throws IOException {
        return String.format(Locale.ROOT, "%.0f MB", data.sizeMb());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
