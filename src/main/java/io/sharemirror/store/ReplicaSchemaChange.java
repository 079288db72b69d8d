package io.sharemirror.store;

import io.sharemirror.sync.HubSchema;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.SchemaObject;
import io.sharemirror.sync.SchemaStep;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The replica's half of a schema check ({@link SchemaSync}): the hub's schema changes made here ({@link DdlReplay}),
 * the pending writes of renamed and changed tables carried along, capture reinstalled, and the rows of the tables the
 * hub changed copied in from it ({@link HubSchema#rows}).
 */
final class ReplicaSchemaChange {

    private final HubSchema hub;
    private final SqliteReplica r;
    private final Connection lc;
    private final Predicate<String> mirrored;

    ReplicaSchemaChange(HubSchema hub, SqliteReplica r, Predicate<String> mirrored) {
        this.hub = hub;
        this.r = r;
        this.lc = r.rows().connection();
        this.mirrored = mirrored;
    }

    /** The pending writes of a renamed table (renamed on either side) follow it. */
    void renamePending(List<SchemaStep> renames) {
        if (!renames.isEmpty()) {
            r.write("renaming the pending writes of renamed tables", () -> {
                for (SchemaStep step : renames) {
                    CaptureRecovery.rename(lc, step.from().name(), step.into().name());
                }
                return null;
            });
        }
    }

    /** The pending writes, with their rows, of the tables the hub altered: a rebuild here may refuse them. */
    List<LocalChange> pendingOfAlteredTables(List<SchemaStep> toReplica) {
        Set<String> altered = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        toReplica.stream().filter(step -> step.kind() == SchemaStep.Kind.ALTER && step.into().isTable())
                .forEach(step -> altered.add(step.into().name()));
        return altered.isEmpty() ? List.of() : r.pending(Integer.MAX_VALUE).stream()
                .filter(p -> altered.contains(p.key().table()) && p.row() != null).toList();
    }

    /**
     * Makes the hub's changes here, and the schema number {@code userVersion} in the same transaction (an application
     * starting meanwhile never finds the new schema under the old number and runs its migration again); returns the
     * tables made or changed, whose rows come from the hub.
     */
    Set<String> make(List<SchemaStep> toReplica, Map<String, SchemaObject> onHub, long userVersion)
            throws SQLException {
        Set<String> copied = new TreeSet<>();
        boolean renumber = UserVersion.of(lc) != userVersion;
        if (toReplica.isEmpty() && !renumber) {
            return copied;
        }
        hub.followRenames(toReplica.stream().filter(step -> step.kind() == SchemaStep.Kind.RENAME).toList(), r.node());
        r.write("changing the replica's schema as the hub's changed", () -> {
            for (SchemaStep step : toReplica) {
                DdlReplay.apply(lc, step, onHub);
                if (step.into() != null && step.into().isTable()) {
                    copied.add(step.into().name());
                }
            }
            if (renumber) {
                UserVersion.set(lc, userVersion);
            }
            return null;
        });
        return copied;
    }

    /**
     * Capture for every table as it is now; the tables changed here ({@code pushed}) compared with the hub at the next
     * push (what the migration did to their rows is pushed); the rows of the tables the hub changed ({@code copied},
     * but those {@code left} out) copied in. Returns this desktop's pending writes that the hub's new definitions
     * refuse, dropped from the queue: the caller archives them.
     */
    List<LocalChange> reconcile(Set<String> copied, Set<String> pushed, Set<String> left,
                                Map<String, TableInfo> before, List<LocalChange> pendingBefore) throws SQLException {
        Map<String, HubSchema.Table> hubTables = hub.tables();
        Map<String, TableInfo> localTables = Schema.read(lc, mirrored);
        r.rows().tables(localTables);
        r.rows().forgetStatements();
        for (String table : CaptureCheck.repair(lc, localTables)) {
            if (!pushed.contains(table)) {
                r.write("unmarking " + table, () -> CaptureRecovery.unmark(lc, table)); // its rows come from the hub
            }
        }
        for (String table : pushed) {
            if (localTables.containsKey(table)) {
                r.write("marking " + table, () -> CaptureRecovery.mark(lc, table));
            }
        }
        for (String table : copied) {
            HubSchema.Table t = hubTables.get(table);
            if (t != null && localTables.containsKey(table) && !left.contains(table)) {
                SchemaRows.copy(hub, r, t, t.columns());
                TableInfo was = before.get(table);
                List<String> gained = was == null ? List.of()
                        : t.columns().stream().filter(c -> !was.columns().contains(c)).toList();
                if (!gained.isEmpty()) {
                    List<String> keyAndNew = new ArrayList<>(t.keyColumns());
                    keyAndNew.addAll(gained);
                    SchemaRows.copy(hub, r, t, keyAndNew); // pending rows get the hub's values of columns new here
                }
            }
        }
        List<LocalChange> refused = pendingBefore.isEmpty() ? List.of() : SchemaRows.missing(lc, pendingBefore);
        if (!refused.isEmpty()) {
            r.write("dropping local writes the new definition refuses", () -> {
                for (LocalChange p : refused) {
                    SchemaRows.dropPending(lc, p.key());
                }
                return null;
            });
        }
        return refused;
    }
}
