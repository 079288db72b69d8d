package io.sharemirror.store;

import io.sharemirror.sync.Clash;
import io.sharemirror.sync.ClashesFound;
import io.sharemirror.sync.Journal;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.LocalChange.Known;
import io.sharemirror.sync.Plan;
import io.sharemirror.sync.PlanOutdatedException;
import io.sharemirror.sync.Row;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a {@link Plan} inside the agent's write transaction on the replica: checks that every key's pending version
 * is the one the plan was made on, archives the losers, then carries out the steps. The rows taken from the hub are
 * written last, as one {@link WholeBatch}, so a batch that is valid as a whole (a swap of UNIQUE values) applies whole.
 */
final class PlanApplier {

    private final RowIo writer;
    private final PendingQueue queue;
    private final WaitingRows waiting;

    PlanApplier(RowIo writer) {
        this.writer = writer;
        this.queue = new PendingQueue(writer);
        this.waiting = new WaitingRows(writer);
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
        plan.archive().forEach(journal::archive); // durable before the winners replace the losers
        waiting.releaseFromHub(plan.expected().keySet());
        Map<Key, Row> taken = new LinkedHashMap<>();
        for (Plan.Step step : plan.steps()) {
            if (step instanceof Plan.TakeRow take) {
                taken.remove(take.key()); // keeps the batch in step order
                taken.put(take.key(), take.row());
            } else {
                apply(step, now);
            }
        }
        List<Clash> clashes = new WholeBatch(writer, taken).write();
        if (!clashes.isEmpty()) {
            throw new ClashesFound(clashes);
        }
    }

    private void apply(Plan.Step step, long now) throws SQLException {
        Key key = step.key();
        if (step instanceof Plan.Forget) {
            queue.forget(key);
        } else if (step instanceof Plan.Mark mark) {
            queue.mark(key, mark.known(), mark.replaced());
        } else if (step instanceof Plan.Move move) {
            if (writer.read(Key.ofInteger(key.table(), move.to())) != null) {
                throw new PlanOutdatedException("a row was made here on the free key " + move.to() + " of "
                        + key.table() + " while a colliding row was being moved there");
            }
            queue.queue(writer.rekey(key, move.to()), move.ts(), Known.NEW);
        } else if (step instanceof Plan.Repoint repoint) {
            Followers.repoint(writer, repoint);
        } else if (step instanceof Plan.Requeue requeue) {
            queue.queue(key, requeue.ts(), Known.ON_HUB);
        } else if (step instanceof Plan.Hold hold) {
            waiting.holdFromHub(hold.change(), hold.clash(), now);
        } else {
            throw new IllegalArgumentException("unknown step " + step);
        }
    }
}
