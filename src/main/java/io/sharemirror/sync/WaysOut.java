package io.sharemirror.sync;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.tinylog.Logger;

/**
 * Carries out a person's way out of a change that waits ({@link Waiting}): reads what the {@link WayOutPlanner} needs
 * from the replica and the hub, then applies its plan, or writes the row as typed. The caller holds the store's
 * exclusive lock, as a cycle does.
 */
final class WaysOut {

    private final String name;
    private final MirrorStore store;
    private final Journal journal;
    private final Clock clock;

    WaysOut(String name, MirrorStore store, Journal journal, Clock clock) {
        this.name = name;
        this.store = store;
        this.journal = journal;
        this.clock = clock;
    }

    /** Keep mine, keep theirs, or discard the change. */
    void choose(Waiting chosen, WayOut way) {
        Replica replica = store.replica();
        List<Waiting> waiting = replica.waiting();
        Waiting current = stillWaiting(chosen, waiting);
        Hub hub = store.hub();
        WayOutPlanner planner = new WayOutPlanner(name, replica.node(), clock.now());
        long stamp = replica.stampNow();
        List<Key> keys = Stream.of(current.key(), current.clash().other()).filter(Objects::nonNull).toList();
        Replanning.apply(replica, replica.cursor(), journal, found -> planner.plan(current, way, waiting,
                replica.pendingFor(Replanning.involved(keys, found)), new LivePlanInputs(hub, replica), found, stamp));
        // The key and the values are row data, which stays in the cache folder: the log names the table.
        Logger.info("{}: a change of {} that waited was settled: {}", name, current.key().table(), way);
    }

    /** Keep both: {@code row} (the one that waits, or the other) takes the values typed, checked here and on the hub. */
    void rewrite(Waiting chosen, Key row, Map<String, String> typed) {
        Replica replica = store.replica();
        Waiting current = stillWaiting(chosen, replica.waiting());
        boolean theirs = row.equals(current.fromHub() ? current.key() : current.clash().other());
        List<Key> keys = List.of(row);
        Row base = (theirs ? store.hub().rows(keys) : replica.rows(keys)).get(row);
        WayOutPlanner.Rewrite rewrite = new WayOutPlanner(name, replica.node(), clock.now()).rewrite(current, row,
                typed, base, replica.pendingFor(keys).get(row));
        Clash onHub = store.hub().heldElsewhere(row, rewrite.row());
        if (onHub != null) {
            throw WayOutRefused.stillClashes(onHub, "on the hub");
        }
        replica.rewrite(rewrite);
        Logger.info("{}: a row of {} took other values so that a change that waited can be written", name,
                row.table());
    }

    /** The change as it waits now; a cycle may have settled it since the person saw it. */
    private static Waiting stillWaiting(Waiting chosen, List<Waiting> waiting) {
        return waiting.stream().filter(w -> w.key().equals(chosen.key()) && w.fromHub() == chosen.fromHub()).findFirst()
                .orElseThrow(() -> new WayOutRefused(chosen.key().describe() + " waits no more: a sync wrote it, or"
                        + " another way out settled it", "look at the rows that wait again"));
    }
}
