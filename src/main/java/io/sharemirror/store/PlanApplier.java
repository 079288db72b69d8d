package io.sharemirror.store;

import io.sharemirror.sync.Clash;
import io.sharemirror.sync.ClashesFound;
import io.sharemirror.sync.Journal;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.LocalChange.Known;
import io.sharemirror.sync.Orphan;
import io.sharemirror.sync.OrphansFound;
import io.sharemirror.sync.Plan;
import io.sharemirror.sync.PlanOutdatedException;
import io.sharemirror.sync.Row;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a {@link Plan} inside the agent's write transaction on the replica: checks that every key's pending version
 * is the one the plan was made on, carries out the steps, and archives the losers before the commit. The rows taken
 * from the hub are written as one {@link WholeBatch}, so a batch that is valid as a whole (a swap of UNIQUE values)
 * applies whole; the steps that change those rows further or queue them come after. Then the rows written must not
 * point at rows that are gone where a change of ours is involved ({@link ForeignKeyCheck}).
 */
final class PlanApplier {

    private final RowIo writer;
    private final PendingQueue queue;
    private final WaitingRows waiting;
    private final RenumberedRows renumbered;

    PlanApplier(RowIo writer) {
        this.writer = writer;
        this.queue = new PendingQueue(writer);
        this.waiting = new WaitingRows(writer);
        this.renumbered = new RenumberedRows(writer);
    }

    /**
     * @throws PlanOutdatedException when a key changed here since the plan was made
     * @throws ClashesFound when rows taken from the hub break constraints here; nothing of the plan stays written
     */
    void apply(Plan plan, Journal journal, long now) throws SQLException {
        for (Map.Entry<Key, Long> expected : plan.expected().entrySet()) {
            if (queue.version(expected.getKey()) != expected.getValue()) {
                throw new PlanOutdatedException("a row of " + expected.getKey().table() + " changed here while its"
                        + " changes from the hub were being applied");
            }
        }
        waiting.releaseFromHub(plan.expected().keySet());
        Map<Key, Row> taken = new LinkedHashMap<>();
        List<Key> cascaded = new ArrayList<>();
        List<Plan.Step> after = new ArrayList<>();
        for (Plan.Step step : plan.steps()) {
            if (step instanceof Plan.TakeRow take) {
                taken.remove(take.key()); // keeps the batch in step order
                taken.put(take.key(), take.row());
            } else if (step instanceof Plan.ClearReference || step instanceof Plan.Requeue) {
                after.add(step); // they change rows and queue them once the hub's rows are in
            } else {
                if (step instanceof Plan.Cascade) {
                    cascaded.add(step.key()); // before the hub's rows: one of them may take this one's values
                    taken.remove(step.key()); // a hub's row the plan took before deciding it goes after all
                }
                apply(step, now);
            }
        }
        List<Clash> clashes = new WholeBatch(writer, taken).write();
        if (!clashes.isEmpty()) {
            throw new ClashesFound(clashes);
        }
        for (Plan.Step step : after) {
            apply(step, now);
        }
        List<Orphan> orphans = new ForeignKeyCheck(writer).after(taken.keySet(), cascaded, plan.replaced());
        if (!orphans.isEmpty()) {
            throw new OrphansFound(orphans);
        }
        // Durable before the winners replace the losers (the commit): only a plan that holds is archived, so an
        // attempt given up for what it met leaves no loser behind that never lost.
        plan.archive().forEach(journal::archive);
    }

    private void apply(Plan.Step step, long now) throws SQLException {
        Key key = step.key();
        if (step instanceof Plan.Forget) {
            queue.forget(key);
        } else if (step instanceof Plan.Mark mark) {
            queue.mark(key, mark.known(), mark.replaced());
        } else if (step instanceof Plan.WholeRow) {
            queue.wholeRow(key);
        } else if (step instanceof Plan.Move move) {
            if (writer.read(Key.ofInteger(key.table(), move.to())) != null) {
                throw new PlanOutdatedException("a row was made here on the free key " + move.to() + " of "
                        + key.table() + " while a colliding row was being moved there");
            }
            queue.queue(writer.rekey(key, move.to()), move.ts(), Known.NEW, null);
            renumbered.note(key.table(), key.integer().orElseThrow(), move.to(), now);
        } else if (step instanceof Plan.Repoint repoint) {
            Followers.repoint(writer, repoint);
        } else if (step instanceof Plan.Requeue requeue) {
            queue.queue(key, requeue.ts(), requeue.known(), requeue.columns());
        } else if (step instanceof Plan.ClearReference clear) {
            clearReference(clear);
        } else if (step instanceof Plan.Cascade cascade) {
            writer.delete(key);
            if (cascade.queued()) {
                queue.queue(key, cascade.ts(), Known.ON_HUB, null);
            } else {
                queue.forget(key);
            }
        } else if (step instanceof Plan.Hold hold) {
            waiting.holdFromHub(hold.change(), hold.clash(), now);
        } else if (step instanceof Plan.Release) {
            waiting.releaseOurs(List.of(key));
        } else {
            throw new IllegalArgumentException("unknown step " + step);
        }
    }

    /** ON DELETE SET NULL or SET DEFAULT, done for SQLite: to the column's default where it is a constant, else NULL. */
    private void clearReference(Plan.ClearReference clear) throws SQLException {
        TableInfo t = writer.table(clear.key().table());
        List<String> values = new ArrayList<>();
        for (String column : clear.columns()) {
            String fallback = clear.toDefault() ? Schema.constantDefault(writer.connection(), t.name(), column) : null;
            values.add(Sql.ident(column) + " = " + (fallback == null ? "NULL" : fallback));
        }
        PreparedStatement s = writer.statement("UPDATE " + Sql.ident(t.name()) + " SET " + String.join(", ", values)
                + " WHERE " + Sql.matchesKey(t.keyColumns(), 1));
        KeyText.bind(s, 1, clear.key().pk());
        s.executeUpdate();
    }
}
