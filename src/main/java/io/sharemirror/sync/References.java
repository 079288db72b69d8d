package io.sharemirror.sync;

import io.sharemirror.sync.LocalChange.Known;
import io.sharemirror.sync.Plan.Cascade;
import io.sharemirror.sync.Plan.ClearReference;
import io.sharemirror.sync.Plan.Requeue;
import io.sharemirror.sync.Plan.TakeRow;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Decides what happens to rows a change from the hub would leave pointing at rows that are gone ({@link Orphan}): as
 * if the delete had run after the other write on one database, as SQLite would have it. ON DELETE CASCADE: the row
 * pointing goes too, archived, and the rows pointing at it in turn follow (found by the next look, see
 * {@link Plan.Cascade}); SET NULL or SET DEFAULT: its reference is cleared; RESTRICT or NO ACTION (SQLite's default)
 * anywhere in what the delete reaches: the delete would have been refused, so it is undone, archived, and the row it
 * deleted comes back. Whatever changes here is queued, so the hub and every other replica end the same, and
 * foreign_key_check stays clean on every copy.
 */
final class References {

    private static final Set<String> RESTRICTING = Set.of("RESTRICT", "NO ACTION");

    private final String database;
    private final String node;
    private final Instant now;

    References(String database, String node, Instant now) {
        this.database = database;
        this.node = node;
        this.now = now;
    }

    /**
     * {@code change} is their delete of a row ours point at, or their row that points at one we deleted; {@code take}
     * takes the hub's version where it stands (settling any clash it meets).
     */
    void settle(RemoteChange change, Found found, PlanBuilder plan, PlanInputs inputs, Consumer<RemoteChange> take) {
        if (change.row() == null) {
            theirDelete(change, found, plan, inputs);
        } else {
            theirRow(change, found, plan, inputs, take);
        }
    }

    private void theirDelete(RemoteChange delete, Found found, PlanBuilder plan, PlanInputs inputs) {
        Key parent = delete.key();
        List<Orphan> reached = reached(parent, found);
        Optional<Orphan> refusing = reached.stream().filter(o -> refuses(List.of(o))).findFirst();
        if (refusing.isPresent()) {
            LocalChange child = plan.holding(refusing.get().child());
            long stamp = Math.max(child == null ? 0 : child.ts(), delete.ts() + 1);
            plan.archive.add(new ConflictRecord(database, parent, now, "local", "the delete of this row was undone: "
                    + describe(refusing.get().child()) + " points at what it deletes (ON DELETE "
                    + refusing.get().onDelete() + ")", inputs.localRow(parent), stamp, node, null, delete.ts(),
                    delete.origin()));
            plan.forget(parent);
            plan.steps.add(new Requeue(parent, stamp, Known.REVIVED));
            return;
        }
        plan.take(delete);
        follow(reached, delete.ts(), "on the hub", plan, inputs);
    }

    private void theirRow(RemoteChange row, Found found, PlanBuilder plan, PlanInputs inputs,
                          Consumer<RemoteChange> take) {
        List<Orphan> orphans = found.orphansOf(row.key(), false);
        long ourDelete = orphans.stream().map(o -> plan.pending(o.parent())).filter(Objects::nonNull)
                .mapToLong(LocalChange::ts).max().orElse(row.ts());
        Optional<Orphan> cascading = orphans.stream().filter(o -> o.onDelete().equals("CASCADE")).findFirst();
        List<Orphan> reached = cascading.isPresent() ? reached(row.key(), found) : List.of();
        boolean refused = refuses(orphans) || refuses(reached);
        if (refused) {
            for (Orphan o : orphans) {
                LocalChange ours = plan.pending(o.parent());
                if (ours == null) {
                    continue; // undone already, for another row that points at it
                }
                plan.archive.add(new ConflictRecord(database, o.parent(), now, "hub", "this computer's delete of this"
                        + " row was undone: " + describe(row.key()) + ", from the hub, points at it (ON DELETE "
                        + o.onDelete() + ")", null, ours.ts(), node, inputs.hubRow(o.parent()), row.ts(),
                        row.origin()));
                plan.forget(o.parent());
                plan.steps.add(new TakeRow(o.parent(), inputs.hubRow(o.parent())));
            }
            take.accept(row);
        } else if (cascading.isPresent()) {
            plan.archive.add(new ConflictRecord(database, row.key(), now, "local", describe(cascading.get().parent())
                    + ", which this row points at, was deleted on this computer (ON DELETE CASCADE)", null, ourDelete,
                    node, row.row(), row.ts(), row.origin()));
            plan.forget(row.key());
            plan.steps.add(new Cascade(row.key(), ourDelete, true));
            follow(reached, ourDelete, "on this computer", plan, inputs);
        } else {
            take.accept(row);
            for (Orphan o : orphans) {
                plan.steps.add(new ClearReference(row.key(), o.columns(), o.onDelete().equals("SET DEFAULT")));
            }
            plan.steps.add(new Requeue(row.key(), ourDelete, Known.ON_HUB));
        }
    }

    /**
     * Their row replaced the one ours pointed at (they deleted it and made a new row on its key): our rows follow the
     * delete of the row they meant, except under RESTRICT or NO ACTION, where they keep the key and so point at the
     * new row (the delete cannot be refused any more: a new row stands on its key).
     */
    void replaced(RemoteChange replace, Found found, PlanBuilder plan, PlanInputs inputs) {
        List<Orphan> reached = reached(replace.key(), found);
        if (!refuses(reached)) {
            follow(reached, replace.replaced(), "on the hub", plan, inputs);
        }
    }

    /**
     * Every row a delete of {@code root} reaches, as far as the looks so far have found them: the rows pointing at it,
     * and through each that cascades, the rows pointing at that one. Nearest first.
     */
    static List<Orphan> reached(Key root, Found found) {
        List<Orphan> reached = new ArrayList<>();
        Set<Key> seen = new HashSet<>(List.of(root));
        Deque<Key> gone = new ArrayDeque<>(List.of(root));
        while (!gone.isEmpty()) {
            for (Orphan o : found.pointingAt(gone.poll())) {
                reached.add(o);
                if (o.onDelete().equals("CASCADE") && seen.add(o.child())) {
                    gone.add(o.child());
                }
            }
        }
        return reached;
    }

    /** Whether SQLite would refuse a delete that reaches these rows (RESTRICT or NO ACTION among them). */
    static boolean refuses(List<Orphan> reached) {
        return reached.stream().anyMatch(o -> RESTRICTING.contains(o.onDelete()));
    }

    /**
     * Deletes a row here by the plan's decision (it lost a UNIQUE value), with its delete queued, and carries out what
     * that delete reaches as far as the looks so far found it; the next look finds the rest.
     */
    void delete(LocalChange row, long ts, Found found, PlanBuilder plan, PlanInputs inputs) {
        delete(row.key(), row.keyOnHub(), ts, found, plan, inputs);
    }

    /** As {@link #delete(LocalChange, long, Found, PlanBuilder, PlanInputs)}, for a row the hub has. */
    void delete(Key key, long ts, Found found, PlanBuilder plan, PlanInputs inputs) {
        delete(key, true, ts, found, plan, inputs);
    }

    private void delete(Key key, boolean onHub, long ts, Found found, PlanBuilder plan, PlanInputs inputs) {
        plan.steps.add(new Cascade(key, ts, onHub));
        follow(reached(key, found), ts, "on this computer", plan, inputs);
    }

    /** Carries out a delete's reach: rows that cascade go (archived, their delete queued), the others lose the key. */
    private void follow(List<Orphan> reached, long ts, String where, PlanBuilder plan, PlanInputs inputs) {
        Set<Key> done = new HashSet<>();
        for (Orphan o : reached) {
            if (!done.add(o.child())) {
                continue;
            }
            LocalChange child = plan.holding(o.child());
            if (o.onDelete().equals("CASCADE")) {
                plan.archive.add(new ConflictRecord(database, o.child(), now, "hub", describe(o.parent())
                        + ", which this row points at, was deleted " + where + " (ON DELETE CASCADE)",
                        child != null ? child.row() : inputs.localRow(o.child()), child != null ? child.ts() : ts, node,
                        null, ts, null));
                plan.forget(o.child());
                plan.steps.add(new Cascade(o.child(), ts, child == null || child.keyOnHub()));
            } else {
                plan.steps.add(new ClearReference(o.child(), o.columns(), o.onDelete().equals("SET DEFAULT")));
                if (child == null) {
                    plan.steps.add(new Requeue(o.child(), ts, Known.ON_HUB)); // the hub's copy needs it cleared too
                }
            }
        }
    }

    private static String describe(Key key) {
        return key.table() + " " + key.pk();
    }
}
