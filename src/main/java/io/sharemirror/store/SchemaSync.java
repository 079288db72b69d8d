package io.sharemirror.store;

import io.sharemirror.store.SchemaMerge.Plan;
import io.sharemirror.sync.HubSchema;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.Row;
import io.sharemirror.sync.SchemaChange;
import io.sharemirror.sync.SchemaObject;
import io.sharemirror.sync.SchemaStep;
import io.sharemirror.sync.SchemaStep.Side;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Matches a replica's schema and its hub's (ARCHITECTURE.md#schema-changes), both ways: a three-way comparison with the
 * schema both last agreed on ({@link SchemaMerge}) says which side changed what; each change is made on the other
 * side: on the hub through its schema verbs ({@link HubSchema#apply}), in one write transaction before the rows that
 * depend on it are pushed; on the replica by {@link ReplicaSchemaChange}, with its capture triggers, and the hub's rows
 * of each changed table copied in. Knows no hub kind. Refused, and reported every cycle until someone acts: a changed
 * primary key (pending keys would name other rows), a table dropped on the hub while this replica holds changes to it.
 */
final class SchemaSync {

    /** What an error in a schema check says was being done, whichever side it came from. */
    static final String WHAT = "matching the replica's tables to the hub's";

    private final Predicate<String> mirrored;
    /** Whether this process has compared the whole schema once: what a check leaves out of the sync is not stored. */
    private boolean checked;

    SchemaSync(Predicate<String> mirrored) {
        this.mirrored = mirrored;
    }

    /** What the hub's schema gained reaches the replica and the replica's the hub; the rest is reported. */
    SchemaChange sync(HubSchema hub, SqliteReplica r) {
        try {
            Optional<SchemaChange> same = sameDefinitions(hub, r);
            if (same.isPresent()) {
                return same.get();
            }
            SchemaChange change = new Check(hub, r).run(hub.instrument());
            checked = true;
            return change;
        } catch (SQLException e) {
            throw SqliteErrors.classify(WHAT, e);
        }
    }

    /** One whole schema check: the plan, made on each side, then the rows reconciled and the agreement recorded. */
    private final class Check {

        private final HubSchema hub;
        private final SqliteReplica r;
        private final Connection lc;
        private final ReplicaSchemaChange replica;
        private final List<String> said = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private final List<String> blocking = new ArrayList<>();
        /** Tables left out of the sync until someone acts. */
        private final Set<String> left = new HashSet<>();
        private final Map<String, List<LocalChange>> archived = new LinkedHashMap<>();
        private final List<SchemaStep> toHub = new ArrayList<>();
        private final List<SchemaStep> toReplica = new ArrayList<>();

        Check(HubSchema hub, SqliteReplica r) {
            this.hub = hub;
            this.r = r;
            this.lc = r.rows().connection();
            this.replica = new ReplicaSchemaChange(hub, r, mirrored);
        }

        SchemaChange run(long version) throws SQLException {
            Map<String, SchemaObject> local = SchemaObjects.read(lc, mirrored);
            Map<String, SchemaObject> onHub = hub.definitions();
            AgreedSchema.Agreed agreed = AgreedSchema.read(lc);
            if (agreed.isEmpty()) {
                agreed = alike(local, onHub, agreed.userVersion()); // the first match of a replica made before the agreed schema was kept
            }
            Plan plan = SchemaMerge.plan(local, onHub, agreed);
            long localNumber = UserVersion.of(lc);
            long hubNumber = hub.version().userVersion();
            long number = SchemaMerge.userVersion(localNumber, hubNumber, agreed.userVersion());
            Map<String, TableInfo> localTables = Schema.read(lc, mirrored);
            sort(plan, localTables, hub.tables());
            refuseConflicts(plan, local, onHub, localTables);
            dropWhatTheHubDropped(plan, local);
            if (!toHub.isEmpty() || number != hubNumber) {
                archived.putAll(hub.apply(toHub, local, pusher(localTables), number));
                toHub.forEach(s -> said.add(describe(s, "on this desktop", "pushed to the hub")));
            }
            changeReplica(onHub, localTables, number);
            if (localNumber != hubNumber) {
                said.add(describeNumber(localNumber, hubNumber, number));
            }
            Map<String, HubSchema.Table> hubTables = hub.tables();
            String renumbered = renumberedRows(hubTables.values());
            if (renumbered != null) {
                hubTables.values().stream().filter(HubSchema.Table::keyless).forEach(t -> left.add(t.name()));
                blocking.add(renumbered);
            }
            Map<String, SchemaObject> localNow = SchemaObjects.read(lc, mirrored);
            Map<String, SchemaObject> hubNow = hub.definitions();
            AgreedSchema.Agreed last = agreed;
            r.write("recording the agreed schema", () -> {
                AgreedSchema.record(lc, localNow, hubNow, last, number);
                return null;
            });
            hub.syncTablesExcept(left);
            if (blocking.isEmpty()) {
                r.state().updateSchemaVersion(version, hub.version().digest());
            }
            return new SchemaChange(said, problems, blocking, version, archived);
        }

        /**
         * Whether the hub's rows of tables without a declared key were renumbered since this replica matched them
         * ({@link RowidGuard}): a sentence naming them, or null. Without such tables the replica just notes the canary.
         */
        private String renumberedRows(Collection<HubSchema.Table> tables) {
            Long now = hub.version().rowidCanary();
            Long expected = r.state().matchedRowids();
            if (now == null || now.equals(expected)) {
                return null;
            }
            List<String> keyless = tables.stream().filter(HubSchema.Table::keyless).map(HubSchema.Table::name).toList();
            if (expected == null || keyless.isEmpty()) {
                r.state().matchedRowids(now);
                return null;
            }
            return "the hub's rows of " + String.join(", ", keyless) + " (tables without a primary key, known by"
                    + " rowid) were renumbered, as a VACUUM by an SQLite that does not keep their rowids does; the rows"
                    + " here no longer name the hub's, so " + (keyless.size() == 1 ? "it is" : "they are") + " not"
                    + " synced until the replica is made afresh";
        }

        /** This replica, with its rows of the tables it alters on the hub. */
        private HubSchema.Pusher pusher(Map<String, TableInfo> localTables) throws SQLException {
            Map<String, Map<Key, Row>> rows = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (SchemaStep step : toHub) {
                TableInfo t = step.kind() == SchemaStep.Kind.ALTER ? localTables.get(step.into().name()) : null;
                if (t != null) {
                    Map<Key, Row> byKey = new LinkedHashMap<>();
                    SchemaRows.byKey(lc, t, t.columns()).forEach((pk, values) -> byKey.put(new Key(t.name(), pk),
                            new Row(t.columns(), values)));
                    rows.put(t.name(), byKey);
                }
            }
            return new HubSchema.Pusher(r.node(), r.cursor(), rows);
        }

        /** Each step to its side, or refused when it changes a table's key. */
        private void sort(Plan plan, Map<String, TableInfo> localTables, Map<String, HubSchema.Table> hubTables) {
            for (SchemaStep step : plan.steps()) {
                String keyChange = keyChange(step, localTables, hubTables);
                if (keyChange != null) {
                    left.add(step.table());
                    blocking.add(keyChange);
                } else {
                    (step.on() == Side.HUB ? toHub : toReplica).add(step);
                }
            }
        }

        /**
         * The hub's changes made here, with the pending writes of renamed tables, capture and the hub's rows; the
         * pending writes the hub's new definitions refuse are archived.
         */
        private void changeReplica(Map<String, SchemaObject> onHub, Map<String, TableInfo> localTables, long number)
                throws SQLException {
            List<SchemaStep> renames = new ArrayList<>(toHub);
            renames.addAll(toReplica);
            renames.removeIf(step -> step.kind() != SchemaStep.Kind.RENAME);
            replica.renamePending(renames);
            List<LocalChange> pendingBefore = replica.pendingOfAlteredTables(toReplica);
            Set<String> copied = replica.make(toReplica, onHub, number);
            toReplica.forEach(s -> said.add(describe(s, "on the hub", "made here too")));
            Set<String> pushed = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            toHub.forEach(s -> pushed.add(s.table()));
            List<LocalChange> refused = replica.reconcile(copied, pushed, left, localTables, pendingBefore);
            if (!refused.isEmpty()) {
                archived.put("this local write was made under the old definition of its table, which the hub changed"
                        + " (" + refused.size() + " such writes); it does not fit the new one and is kept here, and"
                        + " Restore writes it back", refused);
            }
        }

        /** A table changed both ways differently: the hub's version is taken, the local rows archived. */
        private void refuseConflicts(Plan plan, Map<String, SchemaObject> local, Map<String, SchemaObject> onHub,
                                     Map<String, TableInfo> localTables) throws SQLException {
            for (String table : plan.conflicts()) {
                TableInfo t = localTables.get(table);
                SchemaObject l = local.get(SchemaObject.key("table", table));
                SchemaObject hv = onHub.get(SchemaObject.key("table", table));
                String why = "table " + table + " was changed on this desktop and on the hub in different ways; the"
                        + " hub's version (" + (hv == null ? "dropped" : hv.sql()) + ") is taken, this desktop's ("
                        + (l == null ? "dropped" : l.sql()) + ") refused; its rows here are archived";
                problems.add(why);
                if (t != null && hv != null) {
                    archived.put(why, SchemaRows.all(lc, t));
                    r.write("dropping the refused changes to " + table, () -> SchemaRows.dropPending(lc, table));
                }
            }
        }

        /** A table the hub dropped goes here too, unless this desktop holds changes to it: then it is reported. */
        private void dropWhatTheHubDropped(Plan plan, Map<String, SchemaObject> local) throws SQLException {
            Set<String> marked = CaptureCheck.marked(lc).keySet();
            for (String table : plan.droppedOnHub()) {
                long pending = r.pendingCount(table);
                if (pending == 0 && !marked.contains(table)) {
                    // Its rows went with the hub's table; nothing of this desktop's is in them.
                    toReplica.add(0, new SchemaStep(Side.REPLICA, SchemaStep.Kind.DROP,
                            local.get(SchemaObject.key("table", table)), null));
                } else {
                    left.add(table);
                    blocking.add("table " + table + " was dropped on the hub; " + (pending == 0 ? "writes made here"
                            + " while its capture had stopped" : pending + " local change" + (pending == 1 ? "" : "s"))
                            + " to it cannot be pushed");
                }
            }
        }
    }

    /**
     * Whether nothing needs matching: the hub's definitions are those last matched (its cookie may have moved: an
     * agent's push that suspended the application's triggers, {@link TriggerSuspension}, does that) and the replica's
     * are the agreed ones. Then the new cookie is recorded and that is all: one read transaction on the hub, against a
     * dozen for the whole check. The first check of a process is always whole.
     */
    private Optional<SchemaChange> sameDefinitions(HubSchema hub, SqliteReplica r) throws SQLException {
        if (!checked) {
            return Optional.empty();
        }
        if (!AgreedSchema.holds(r.rows().connection(), mirrored)) {
            return Optional.empty();
        }
        HubSchema.Version now = hub.version();
        // A renumbering VACUUM changes no definition; the whole check reports it. So does a new schema number.
        if (!now.digest().equals(r.state().knownSchemaDigest())
                || now.userVersion() != r.knownSchema().userVersion()
                || !Objects.equals(now.rowidCanary(), r.state().matchedRowids())) {
            return Optional.empty();
        }
        r.state().updateSchemaVersion(now.cookie(), now.digest());
        return Optional.of(new SchemaChange(List.of(), List.of(), List.of(), now.cookie(), Map.of()));
    }

    /** What both sides hold alike, taken as agreed when nothing was recorded yet. */
    private static AgreedSchema.Agreed alike(Map<String, SchemaObject> local, Map<String, SchemaObject> hub,
                                             Long userVersion) {
        Map<String, SchemaObject> defs = new TreeMap<>();
        Map<String, Long> hubRoots = new TreeMap<>();
        for (SchemaObject l : local.values()) {
            SchemaObject h = hub.get(l.key());
            if (SchemaMerge.same(l, h)) {
                defs.put(l.key(), l);
                hubRoots.put(l.key(), h.root());
            }
        }
        return new AgreedSchema.Agreed(defs, hubRoots, userVersion);
    }

    /** Why a step is refused when it changes a table's key, or null. */
    private static String keyChange(SchemaStep step, Map<String, TableInfo> local, Map<String, HubSchema.Table> hub) {
        if (step.kind() != SchemaStep.Kind.ALTER || !step.into().isTable()) {
            return null;
        }
        TableInfo l = local.get(step.into().name());
        HubSchema.Table h = hub.get(step.into().name());
        if (l == null || h == null || l.keyColumns().equals(h.keyColumns())) {
            return null;
        }
        String where = step.on() == Side.HUB ? "on this desktop" : "on the hub";
        List<String> was = step.on() == Side.HUB ? h.keyColumns() : l.keyColumns();
        List<String> now = step.on() == Side.HUB ? l.keyColumns() : h.keyColumns();
        return "the key of table " + step.table() + " changed " + where + " (from " + String.join(", ", was)
                + " to " + String.join(", ", now) + "); its rows are not synced until the replica is made"
                + " afresh";
    }

    /** What became of the application's schema number when the two sides' differed. */
    private static String describeNumber(long local, long hub, long number) {
        String what = "the application's schema number (PRAGMA user_version) " + number;
        return number == local ? what + " set on this desktop was pushed to the hub (it said " + hub + ")"
                : what + " set on the hub was taken here (it said " + local + ")";
    }

    /** "table supplier was created on this desktop and pushed to the hub", and the like. */
    private static String describe(SchemaStep s, String where, String then) {
        SchemaObject d = s.into() != null ? s.into() : s.from();
        String what = d.type() + " " + d.name();
        return switch (s.kind()) {
            case CREATE -> what + " was created " + where + " and " + then;
            case DROP -> what + " was dropped " + where + " and " + (then.startsWith("pushed") ? "on the hub too"
                    : "here too");
            case RENAME -> "table " + s.from().name() + " was renamed to " + d.name() + " " + where + " and " + then;
            case ALTER -> what + " was changed " + where + " (now " + d.sql() + ") and " + then;
        };
    }
}
