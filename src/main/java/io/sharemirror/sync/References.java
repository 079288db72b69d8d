package io.sharemirror.sync;

import io.sharemirror.sync.LocalChange.Known;
import io.sharemirror.sync.Plan.ClearReference;
import io.sharemirror.sync.Plan.Requeue;
import io.sharemirror.sync.Plan.TakeRow;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Decides what happens to rows a change from the hub would leave pointing at rows that are gone ({@link Orphan}): as
 * if the delete had run after the other write on one database, as SQLite would have it. ON DELETE CASCADE: the row
 * pointing goes too, archived; SET NULL or SET DEFAULT: its reference is cleared; RESTRICT or NO ACTION (SQLite's
 * default): the delete would have been refused, so it is undone, archived, and the row it deleted comes back. The
 * strictest of a row's foreign keys decides. Whatever changes here is queued, so the hub and every other replica end
 * the same; foreign_key_check stays clean on every copy.
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

    /** {@code change} is their delete of a row ours point at, or their row that points at one we deleted. */
    void settle(RemoteChange change, List<Orphan> orphans, PlanBuilder plan, PlanInputs inputs) {
        if (change.row() == null) {
            theirDelete(change, orphans, plan, inputs);
        } else {
            theirRow(change, orphans, plan, inputs);
        }
    }

    private void theirDelete(RemoteChange delete, List<Orphan> orphans, PlanBuilder plan, PlanInputs inputs) {
        Key parent = delete.key();
        if (orphans.stream().anyMatch(o -> RESTRICTING.contains(o.onDelete()))) {
            Orphan restricting = orphans.stream().filter(o -> RESTRICTING.contains(o.onDelete())).findFirst().get();
            LocalChange child = plan.pending(restricting.child());
            long stamp = Math.max(child == null ? 0 : child.ts(), delete.ts() + 1);
            plan.archive.add(new ConflictRecord(database, parent, now, "local", "the delete of this row was undone: "
                    + describe(restricting.child()) + ", changed on this computer, points at it (ON DELETE "
                    + restricting.onDelete() + ")", inputs.localRow(parent), stamp, node, null, delete.ts(),
                    delete.origin()));
            plan.forget(parent);
            plan.steps.add(new Requeue(parent, stamp, Known.REVIVED));
            return;
        }
        plan.take(delete);
        for (Orphan o : orphans) {
            LocalChange child = plan.pending(o.child());
            if (child == null) {
                continue; // changed here since the orphan was found: the next plan meets it as it is
            }
            if (o.onDelete().equals("CASCADE")) {
                plan.archive.add(new ConflictRecord(database, o.child(), now, "hub", describe(parent) + ", which this"
                        + " row points at, was deleted on the hub (ON DELETE CASCADE)", child.row(), child.ts(), node,
                        null, delete.ts(), delete.origin()));
                plan.forget(o.child());
                plan.steps.add(new TakeRow(o.child(), null));
                if (child.known() != Known.NEW) {
                    plan.steps.add(new Requeue(o.child(), delete.ts(), Known.ON_HUB));
                }
            } else {
                plan.steps.add(new ClearReference(o.child(), o.columns(), o.onDelete().equals("SET DEFAULT")));
            }
        }
    }

    private void theirRow(RemoteChange row, List<Orphan> orphans, PlanBuilder plan, PlanInputs inputs) {
        List<Orphan> restricting = orphans.stream().filter(o -> RESTRICTING.contains(o.onDelete())).toList();
        if (!restricting.isEmpty()) {
            for (Orphan o : restricting) {
                LocalChange ourDelete = plan.pending(o.parent());
                if (ourDelete == null) {
                    continue; // undone already, for another row that points at it
                }
                plan.archive.add(new ConflictRecord(database, o.parent(), now, "hub", "this computer's delete of this"
                        + " row was undone: " + describe(row.key()) + ", from the hub, points at it (ON DELETE "
                        + o.onDelete() + ")", null, ourDelete.ts(), node, inputs.hubRow(o.parent()), row.ts(),
                        row.origin()));
                plan.forget(o.parent());
                plan.steps.add(new TakeRow(o.parent(), inputs.hubRow(o.parent())));
            }
            plan.take(row);
            return;
        }
        long ourDelete = orphans.stream().map(o -> plan.pending(o.parent())).filter(java.util.Objects::nonNull)
                .mapToLong(LocalChange::ts).max().orElse(row.ts());
        if (orphans.stream().anyMatch(o -> o.onDelete().equals("CASCADE"))) {
            Key parent = orphans.stream().filter(o -> o.onDelete().equals("CASCADE")).findFirst().get().parent();
            plan.archive.add(new ConflictRecord(database, row.key(), now, "local", describe(parent) + ", which this"
                    + " row points at, was deleted on this computer (ON DELETE CASCADE)", null, ourDelete, node,
                    row.row(), row.ts(), row.origin()));
            plan.forget(row.key());
            plan.steps.add(new TakeRow(row.key(), null));
            plan.steps.add(new Requeue(row.key(), ourDelete, Known.ON_HUB));
            return;
        }
        plan.take(row);
        for (Orphan o : orphans) {
            plan.steps.add(new ClearReference(row.key(), o.columns(), o.onDelete().equals("SET DEFAULT")));
        }
        plan.steps.add(new Requeue(row.key(), ourDelete, Known.ON_HUB));
    }

    private static String describe(Key key) {
        return key.table() + " " + key.pk();
    }
}
