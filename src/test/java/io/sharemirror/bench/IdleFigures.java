package io.sharemirror.bench;

import io.sharemirror.config.Tuning;
import io.sharemirror.store.Cluster;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.util.List;

/**
 * B4: what a replica costs the share while nothing changes: one idle sync cycle (the default interval's), and one
 * hub-change poll (made every {@code hub_poll_interval} between cycles), in share operations and time.
 */
final class IdleFigures {

    private static final long SYNC_INTERVAL_SECONDS = 30;

    private IdleFigures() {
    }

    static List<Row> measure(BenchSettings settings, SlowShare share, ItemData data, Path work) throws Exception {
        try (Cluster cluster = new Cluster(work, data.hub)) {
            share.fast();
            Cluster.Node node = cluster.add(ConflictPolicy.NEWEST_WINS);
            node.sync();
            share.slow();
            node.sync(); // the first cycle on the slow share reads what the clone's cycle left cold
            int times = settings.cycles() * 4;
            Samples[] cycles = new Samples[1];
            SlowShare.Ops cycleOps = share.ops(() -> cycles[0] = Samples.of(times, () -> {
                CycleRecord r = node.sync();
                if (r.outcome() != CycleRecord.Outcome.IDLE) {
                    throw new IllegalStateException("B4 expects an idle cycle, got " + r);
                }
            }));
            Samples[] polls = new Samples[1];
            SlowShare.Ops pollOps = share.ops(() -> polls[0] = Samples.of(times, () -> {
                if (node.mirror().hubChanged()) {
                    throw new IllegalStateException("B4: the poll saw a change on a hub nobody writes");
                }
            }));
            double perCycle = cycleOps.per(times);
            double perPoll = pollOps.per(times);
            double pollSeconds = Tuning.DEFAULTS.hubPollInterval().toMillis() / 1000.0;
            double pollsPerMinute = 60 / pollSeconds;
            double perMinute = pollsPerMinute * perPoll + 60.0 / SYNC_INTERVAL_SECONDS * perCycle;

            Row cycle = new Row("B4", "idle sync cycle");
            cycle.shareMirror = Row.time(cycles[0].medianMs());
            cycle.shareOps = Row.number(perCycle) + " per cycle";
            cycle.target = "≤ 10 operations, ≤ 3 × latency (" + Row.time(3 * share.latencyMs()) + ")";
            cycle.met(perCycle <= 10 && cycles[0].medianMs() <= 3 * share.latencyMs())
                    .value("cycle_ms", cycles[0].medianMs()).value("ops_per_cycle", perCycle);
            cycle.note = "nothing pending, hub log at the cursor; the share operations by kind over " + times
                    + " cycles: " + cycleOps.byKind();
            Row poll = new Row("B4", "hub-change poll between cycles");
            poll.shareMirror = Row.time(polls[0].medianMs()) + " per poll";
            poll.shareOps = Row.number(perPoll) + " per poll; " + Row.number(perMinute) + " per idle minute";
            poll.target = "a handful of operations";
            poll.compared = Row.number(pollsPerMinute) + " polls and " + 60 / SYNC_INTERVAL_SECONDS
                    + " idle cycles per minute (defaults)";
            poll.value("poll_ms", polls[0].medianMs()).value("ops_per_poll", perPoll)
                    .value("ops_per_idle_minute", perMinute);
            poll.note = "PRAGMA data_version on the kept-open hub connection; share operations by kind over " + times
                    + " polls: " + pollOps.byKind();
            return List.of(cycle, poll);
        }
    }
}
