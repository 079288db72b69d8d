package io.sharemirror.sync;

import io.sharemirror.sync.LocalChange.Known;
import io.sharemirror.sync.Plan.TakeRow;
import java.time.Instant;

/**
 * What becomes of the row that gives up its UNIQUE values to another row, whoever decided: the policy ({@link Planner})
 * or a person ({@link WayOutPlanner}). The version that loses is archived with why.
 */
final class ClashLosers {

    private final String database;
    private final String node;
    private final Instant now;
    private final References references;

    ClashLosers(String database, String node, Instant now, References references) {
        this.database = database;
        this.node = node;
        this.now = now;
        this.references = references;
    }

    /**
     * Our row gives the values up: it goes back to the hub's version of it, or with none ({@code hubVersion} null) it
     * goes, its delete queued (stamped {@code ts}) where the hub has it. {@code winner} is the version that keeps them.
     */
    void ours(LocalChange holder, Row hubVersion, RemoteChange winner, String why, long ts, Found found,
              PlanBuilder batch, PlanInputs inputs) {
        batch.archive.add(new ConflictRecord(database, holder.key(), now, "hub", why, holder.row(), holder.ts(), node,
                winner.row(), winner.ts(), winner.origin()));
        batch.forget(holder.key());
        if (hubVersion != null) {
            batch.steps.add(new TakeRow(holder.key(), hubVersion));
            return;
        }
        if (holder.known() != Known.NEW) {
            Row onHub = inputs.hubRow(holder.key());
            batch.archive.add(new ConflictRecord(database, holder.key(), now, "hub", why + "; its version on the hub"
                    + " cannot keep its values either, so the row goes", null, winner.ts(), node, onHub, winner.ts(),
                    winner.origin()));
        }
        references.delete(holder, ts, found, batch, inputs);
    }

    /**
     * Their change gives the values up and is undone on the hub: our version of the row ({@code ours}) is queued over
     * it, stamped {@code ts}, or with none here their row is deleted there, and what its delete reaches follows.
     */
    void theirs(RemoteChange theirs, Row ours, long ts, String why, Found found, PlanBuilder batch, PlanInputs inputs) {
        batch.archive.add(new ConflictRecord(database, theirs.key(), now, "local", why, ours, ts, node, theirs.row(),
                theirs.ts(), theirs.origin()));
        batch.forget(theirs.key());
        if (ours != null) {
            batch.requeue(theirs.key(), ours, ts, null); // it holds its values here meanwhile
        } else {
            references.delete(theirs.key(), ts, found, batch, inputs); // their new row goes, and its own
        }
    }
}
