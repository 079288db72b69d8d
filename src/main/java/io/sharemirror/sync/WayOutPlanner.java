package io.sharemirror.sync;

import io.sharemirror.sync.LocalChange.Known;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans the way out a person chose for a change that waits ({@link Waiting}): where no policy could decide, or where
 * the rule broken is one no other row holds. Two rows are involved at most: this computer's ("mine": our change that
 * waits to be pushed, or our row that holds the values a change from the hub wants) and the hub's ("theirs"). The
 * loser is archived, with the person's choice as the reason, and treated as a policy's loser would be
 * ({@link ClashLosers}). Like {@link Planner} it reads and writes nothing.
 */
public final class WayOutPlanner {

    private final ClashLosers losers;

    public WayOutPlanner(String database, String node, Instant now) {
        this.losers = new ClashLosers(database, node, now, new References(database, node, now));
    }

    /**
     * @param chosen the waiting change the person chose for
     * @param waiting every change that waits: the other row's change may wait too, and goes with the same decision
     * @param pending the pending changes of the rows involved (and of rows found pointing at them)
     * @param found what earlier attempts of this plan met on the replica
     * @param stamp a stamp after every change the replica has seen or made: the decision is a change made now
     * @throws WayOutRefused when the choice cannot be carried out (the hint says what can)
     */
    public Plan plan(Waiting chosen, WayOut way, List<Waiting> waiting, Map<Key, LocalChange> pending,
                     PlanInputs inputs, Found found, long stamp) {
        Key mine = chosen.fromHub() ? chosen.clash().other() : chosen.key();
        Key theirs = chosen.fromHub() ? chosen.key() : chosen.clash().other();
        if (way != WayOut.DISCARD && chosen.clash().other() == null) {
            throw new WayOutRefused(chosen.key().describe() + " breaks " + chosen.clash().constraint() + ", a rule no other"
                    + " row holds: there is no other row to keep instead", "change its value (Edit Value), or"
                    + " discard the change");
        }
        boolean theirsLose = way == WayOut.KEEP_MINE || way == WayOut.DISCARD && chosen.fromHub();
        PlanBuilder batch = new PlanBuilder(pending);
        LocalChange ours = mine == null ? null : batch.pending(mine);
        Waiting theirsWaiting = chosen.fromHub() ? chosen : theirs == null ? null : find(waiting, theirs, true);
        if (theirs != null) {
            batch.pending(theirs); // the plan holds only while nothing changes there meanwhile
        }
        // Their row as the hub has it now; for a rule no other row holds, the hub's version of ours.
        RemoteChange hubSide = hubVersion(theirs != null ? theirs : mine, theirsWaiting, inputs);
        String why = reason(chosen, way);
        if (theirsLose) {
            losers.theirs(hubSide, inputs.localRow(theirs), Math.max(stamp, hubSide.ts() + 1), why, found, batch,
                    inputs);
        } else {
            LocalChange holder = ours != null ? ours : new LocalChange(mine, 0, 0, Known.ON_HUB,
                    mine.integer().isPresent(), inputs.localRow(mine), 0, 0, null);
            // Back to the hub's version of it, unless it is new here, or that version cannot stand beside theirs.
            boolean metTheirs = found.clashes().values().stream().anyMatch(c -> mine.equals(c.key())
                    || mine.equals(c.other()));
            Row back = holder.known() == Known.NEW || metTheirs ? null : inputs.hubRow(mine);
            if (back == null) {
                refuseWhereKept(mine, found);
            }
            losers.ours(holder, back, hubSide, why, stamp, found, batch, inputs);
            if (theirsWaiting != null) {
                batch.take(hubSide);
            }
        }
        if (mine != null && find(waiting, mine, false) != null) {
            batch.steps.add(new Plan.Release(mine));
        }
        return batch.build();
    }

    /**
     * The third way: both rows stay, and one of them takes the values the person typed for the constraint's columns,
     * as a local edit of it that is pushed. For a rule no other row holds, the way to edit the value of the row that
     * waits.
     *
     * @param row the row to change: the one that waits, or the other one the clash names
     * @param typed the new values by column; blank ones leave the column as it is
     * @param base the row as it is now: ours as the replica has it, theirs as the hub has it
     * @param pending the pending change of {@code row}, or null
     */
    public Rewrite rewrite(Waiting chosen, Key row, Map<String, String> typed, Row base, LocalChange pending) {
        boolean theirs = row.equals(chosen.fromHub() ? chosen.key() : chosen.clash().other());
        if (!row.equals(chosen.key()) && !row.equals(chosen.clash().other())) {
            throw new WayOutRefused(row.describe() + " is not one of the rows of this clash", "choose "
                    + chosen.key().describe() + (chosen.clash().other() == null ? "" : " or " + chosen.clash().other().describe()));
        }
        if (base == null) {
            throw new WayOutRefused(row.describe() + " is no longer " + (theirs ? "on the hub" : "here"),
                    "sync, and see whether the change still waits");
        }
        Map<String, String> values = new LinkedHashMap<>();
        typed.forEach((column, value) -> {
            if (value != null && !value.isBlank()) {
                values.put(column, value);
            }
        });
        if (values.isEmpty()) {
            throw new WayOutRefused("no new value was typed for " + row.describe(), "type a new value for "
                    + String.join(" or ", chosen.clash().columns().isEmpty() ? base.columns() : chosen.clash().columns()));
        }
        List<Object> after = new ArrayList<>(base.values());
        for (Map.Entry<String, String> v : values.entrySet()) {
            int at = base.columns().indexOf(v.getKey());
            if (at < 0) {
                throw new WayOutRefused(row.table() + " has no column " + v.getKey(), "its columns are "
                        + String.join(", ", base.columns()));
            }
            after.set(at, v.getValue());
        }
        // The hub's row, changed here, is an edit of that row; ours stays what it was (a row made here stays new).
        Known known = theirs || pending == null ? Known.ON_HUB : pending.known();
        return new Rewrite(row, new Row(base.columns(), after), List.copyOf(values.keySet()), known, theirs);
    }

    /**
     * A row written here as a person typed it, the way out of a clash: captured like an application's write (stamped,
     * queued, pushed), with {@code known} saying what the hub has of it.
     *
     * @param changed the columns typed
     * @param fromHub the row is the hub's: its waiting change is replaced by this write and waits no more
     */
    public record Rewrite(Key key, Row row, List<String> changed, Known known, boolean fromHub) {

        public Rewrite {
            changed = List.copyOf(changed);
        }
    }

    /** The hub's version of a row: the waiting change's stamp and origin when one waits, else unknown (0, ""). */
    private static RemoteChange hubVersion(Key key, Waiting waiting, PlanInputs inputs) {
        boolean known = waiting != null && waiting.key().equals(key);
        return new RemoteChange(key, known ? waiting.seq() : 0, known ? waiting.ts() : 0, known ? waiting.origin() : "",
                inputs.hubRow(key), false, 0, null, null);
    }

    /** A row of ours that must go cannot, while rows point at it under RESTRICT or NO ACTION. */
    private static void refuseWhereKept(Key mine, Found found) {
        References.reached(mine, found).stream().filter(o -> References.refuses(List.of(o))).findFirst().ifPresent(o -> {
            throw new WayOutRefused(mine.describe() + " cannot give up its values: it would have to go, and " + o.child().describe()
                    + " points at it (ON DELETE " + o.onDelete() + ")", "keep both rows under other values instead,"
                    + " or change " + o.child().describe() + " first");
        });
    }

    private static String reason(Waiting chosen, WayOut way) {
        String what = chosen.clash().constraint() + (chosen.clash().values().isEmpty() ? ""
                : ": " + chosen.clash().values() + " can belong to one row only");
        return what + "; " + switch (way) {
            case KEEP_MINE -> "this computer's row keeps it (Keep Mine, chosen on this computer)";
            case KEEP_THEIRS -> "the hub's row keeps it (Keep Theirs, chosen on this computer)";
            case DISCARD -> "the change that broke it was discarded (Discard, chosen on this computer)";
        };
    }

    private static Waiting find(List<Waiting> waiting, Key key, boolean fromHub) {
        return waiting.stream().filter(w -> w.key().equals(key) && w.fromHub() == fromHub).findFirst().orElse(null);
    }

}
