package io.sharemirror.sync;

import java.time.Instant;
import java.util.List;

/**
 * A row made here that the agent moved to another integer key: a row made elsewhere took its key on the hub first, and
 * both rows live (ARCHITECTURE.md#one-sync-cycle, resolve). Not a conflict: nothing was lost, but an application that keeps ids must
 * know; the replica's {@code _sm_renumbered} table says the same.
 */
public record Renumbering(String database, String table, long from, long to, Instant at) {

    /** The renumberings a plan made (its {@link Plan.Move} steps), at {@code at}. */
    static List<Renumbering> of(String database, Plan plan, Instant at) {
        return plan.steps().stream().filter(Plan.Move.class::isInstance).map(Plan.Move.class::cast)
                .map(m -> new Renumbering(database, m.key().table(), m.key().integer().orElseThrow(), m.to(), at))
                .toList();
    }

    /** "artist 276 made here was renumbered 277 (276 was taken on the hub)". */
    public String describe() {
        return table + " " + from + " made here was renumbered " + to + " (" + from + " was taken on the hub)";
    }
}
