package io.sharemirror.store;

import io.sharemirror.store.SchemaMerge.Plan;
import io.sharemirror.store.SchemaMerge.Side;
import io.sharemirror.store.SchemaMerge.Step;
import io.sharemirror.store.SchemaObjects.Def;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.Row;
import io.sharemirror.sync.SchemaChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Matches a replica's schema and its hub's (DESIGN.md §5, schema changes), both ways: a three-way comparison with the
 * schema both last agreed on ({@link SchemaMerge}) says which side changed what; each change is made on the other side
 * ({@link DdlReplay}): on the hub in one write transaction before the rows that depend on it are pushed, with its log
 * triggers; on the replica with its capture triggers, and the hub's rows of each changed table copied in. Refused, and
 * reported every cycle until someone acts: a changed primary key (pending keys would name other rows), a table dropped
 * on the hub while this replica holds changes to it.
 */
final class SchemaSync {

    private final String name;
    private final Predicate<String> mirrored;
    /** Whether this process has compared the whole schema once: what a check leaves out of the sync is not stored. */
    private boolean checked;

    SchemaSync(String name, Predicate<String> mirrored) {
        this.name = name;
        this.mirrored = mirrored;
    }

    SchemaChange run(SqliteHub h, SqliteReplica r, long version) throws SQLException {
        Connection hc = h.rows().connection();
        Connection lc = r.rows().connection();
        Map<String, Def> local = SchemaObjects.read(lc, mirrored);
        Map<String, Def> hub = SchemaObjects.read(hc, mirrored);
        AgreedSchema.Agreed agreed = AgreedSchema.read(lc);
        if (agreed.isEmpty()) {
            agreed = alike(local, hub); // the first match of a replica made before the agreed schema was kept
        }
        Plan plan = SchemaMerge.plan(local, hub, agreed);
        Map<String, TableInfo> hubTables = Schema.read(hc, mirrored);
        Map<String, TableInfo> localTables = Schema.read(lc, mirrored);
        List<String> said = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> blocking = new ArrayList<>();
        Set<String> left = new HashSet<>();
        Map<String, List<LocalChange>> archived = new LinkedHashMap<>();
        List<Step> toHub = new ArrayList<>();
        List<Step> toReplica = new ArrayList<>();
        for (Step step : plan.steps()) {
            String keyChange = keyChange(step, localTables, hubTables);
            if (keyChange != null) {
                left.add(step.table());
                blocking.add(keyChange);
            } else {
                (step.on() == Side.HUB ? toHub : toReplica).add(step);
            }
        }
        for (String table : plan.conflicts()) {
            TableInfo t = localTables.get(table);
            Def l = local.get(SchemaObjects.key("table", table));
            Def hv = hub.get(SchemaObjects.key("table", table));
            String why = "table " + table + " was changed on this desktop and on the hub in different ways; the hub's"
                    + " version (" + (hv == null ? "dropped" : hv.sql()) + ") is taken, this desktop's ("
                    + (l == null ? "dropped" : l.sql()) + ") refused; its rows here are archived";
            problems.add(why);
            if (t != null && hv != null) {
                archived.put(why, rows(lc, t));
                r.write("dropping the refused changes to " + table, () -> dropPending(lc, table));
            }
        }
        Set<String> marked = CaptureCheck.marked(lc).keySet();
        for (String table : plan.droppedOnHub()) {
            long pending = r.pendingCount(table);
            if (pending == 0 && !marked.contains(table)) {
                toReplica.add(0, new Step(Side.REPLICA, SchemaMerge.Kind.DROP, local.get(SchemaObjects.key("table",
                        table)), null)); // its rows went with the hub's table; nothing of this desktop's is in them
            } else {
                left.add(table);
                blocking.add("table " + table + " was dropped on the hub; " + (pending == 0 ? "writes made here while"
                        + " its capture had stopped" : pending + " local change" + (pending == 1 ? "" : "s"))
                        + " to it cannot be pushed");
            }
        }
        if (!toHub.isEmpty()) {
            pushDdl(hc, toHub, local, r.node(), archived);
            toHub.forEach(s -> said.add(describe(s, "on this desktop", "pushed to the hub")));
        }
        List<Step> renames = new ArrayList<>(toHub);
        renames.addAll(toReplica);
        renames.removeIf(step -> step.kind() != SchemaMerge.Kind.RENAME);
        if (!renames.isEmpty()) {
            r.write("renaming the pending writes of renamed tables", () -> {
                for (Step step : renames) {
                    CaptureRecovery.rename(lc, step.from().name(), step.into().name());
                }
                return null;
            });
        }
        Set<String> copied = new TreeSet<>();
        Set<String> altered = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        toReplica.stream().filter(step -> step.kind() == SchemaMerge.Kind.ALTER && step.into().isTable())
                .forEach(step -> altered.add(step.into().name()));
        List<LocalChange> pendingBefore = altered.isEmpty() ? List.of()
                : r.pending(Integer.MAX_VALUE).stream().filter(p -> altered.contains(p.key().table())
                        && p.row() != null).toList();
        if (!toReplica.isEmpty()) {
            relogRenamedOnHub(hc, toReplica, r.node());
            r.write("changing the replica's schema as the hub's changed", () -> {
                for (Step step : toReplica) {
                    DdlReplay.apply(lc, step, hub);
                    if (step.into() != null && step.into().isTable()) {
                        copied.add(step.into().name());
                    }
                }
                return null;
            });
            toReplica.forEach(s -> said.add(describe(s, "on the hub", "made here too")));
        }
        hubTables = Schema.read(hc, mirrored);
        Map<String, TableInfo> before = localTables;
        localTables = Schema.read(lc, mirrored);
        r.rows().tables(localTables);
        r.rows().forgetStatements();
        List<String> repaired = CaptureCheck.repair(lc, localTables);
        Set<String> pushedTables = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        toHub.forEach(s -> pushedTables.add(s.table()));
        for (String table : repaired) {
            if (!pushedTables.contains(table)) {
                r.write("unmarking " + table, () -> CaptureRecovery.unmark(lc, table)); // its rows come from the hub
            }
        }
        for (String table : pushedTables) {
            if (localTables.containsKey(table)) {
                // The rows the change made or moved here (a migration that transformed them) are compared and pushed.
                r.write("marking " + table, () -> CaptureRecovery.mark(lc, table));
            }
        }
        for (String table : copied) {
            TableInfo t = hubTables.get(table);
            if (t != null && localTables.containsKey(table) && !left.contains(table)) {
                copyRows(hc, r, t, t.columns());
                TableInfo was = before.get(table);
                if (was != null) {
                    List<String> gained = t.columns().stream().filter(c -> !was.columns().contains(c)).toList();
                    if (!gained.isEmpty()) {
                        List<String> keyAndNew = new ArrayList<>(t.keyColumns());
                        keyAndNew.addAll(gained);
                        copyRows(hc, r, t, keyAndNew); // pending rows get the hub's values of columns new here
                    }
                }
            }
        }
        if (!pendingBefore.isEmpty()) {
            List<LocalChange> refused = missing(lc, pendingBefore);
            if (!refused.isEmpty()) {
                archived.put("this local write was made under the old definition of its table, which the hub changed"
                        + " (" + refused.size() + " such writes); it does not fit the new one and is kept here, and"
                        + " Restore writes it back", refused);
                r.write("dropping local writes the new definition refuses", () -> {
                    for (LocalChange p : refused) {
                        dropPending(lc, p.key());
                    }
                    return null;
                });
            }
        }
        Map<String, Def> localNow = SchemaObjects.read(lc, mirrored);
        Map<String, Def> hubNow = SchemaObjects.read(hc, mirrored);
        AgreedSchema.Agreed last = agreed;
        r.write("recording the agreed schema", () -> {
            AgreedSchema.record(lc, localNow, hubNow, last);
            return null;
        });
        h.rows().tables(without(hubTables, left));
        h.rows().forgetStatements();
        checked = true;
        if (blocking.isEmpty()) {
            r.updateSchemaVersion(version, SchemaDigest.of(hc));
        }
        return new SchemaChange(said, problems, blocking, version, archived);
    }

    /**
     * Whether nothing needs matching: the hub's definitions are those last matched (its cookie may have moved: an
     * agent's push that suspended the application's triggers, {@link TriggerSuspension}, does that) and the replica's
     * are the agreed ones. Then the new cookie is recorded and that is all: one read transaction on the hub, against a
     * dozen for the whole check. The first check of a process is always whole.
     */
    Optional<SchemaChange> sameDefinitions(SqliteHub h, SqliteReplica r) throws SQLException {
        if (!checked) {
            return Optional.empty();
        }
        if (!AgreedSchema.holds(r.rows().connection(), mirrored)) {
            return Optional.empty();
        }
        Connection hc = h.rows().connection();
        Object[] now = h.within("reading the hub's schema", () -> new Object[] {
            Long.parseLong(SqliteMirrorStore.single(hc, "PRAGMA schema_version")), SchemaDigest.of(hc)});
        if (!now[1].equals(r.knownSchemaDigest())) {
            return Optional.empty();
        }
        r.updateSchemaVersion((Long) now[0], (String) now[1]);
        return Optional.of(new SchemaChange(List.of(), List.of(), List.of(), (Long) now[0], Map.of()));
    }

    /** What both sides hold alike, taken as agreed when nothing was recorded yet. */
    private static AgreedSchema.Agreed alike(Map<String, Def> local, Map<String, Def> hub) {
        Map<String, Def> defs = new TreeMap<>();
        Map<String, Long> hubRoots = new TreeMap<>();
        for (Def l : local.values()) {
            Def h = hub.get(l.key());
            if (SchemaMerge.same(l, h)) {
                defs.put(l.key(), l);
                hubRoots.put(l.key(), h.root());
            }
        }
        return new AgreedSchema.Agreed(defs, hubRoots);
    }

    /** Why a step is refused when it changes a table's key, or null. */
    private static String keyChange(Step step, Map<String, TableInfo> local, Map<String, TableInfo> hub) {
        if (step.kind() != SchemaMerge.Kind.ALTER || !step.into().isTable()) {
            return null;
        }
        TableInfo l = local.get(step.into().name());
        TableInfo h = hub.get(step.into().name());
        if (l == null || h == null || l.keyColumns().equals(h.keyColumns())) {
            return null;
        }
        String where = step.on() == Side.HUB ? "on this desktop" : "on the hub";
        TableInfo was = step.on() == Side.HUB ? h : l;
        TableInfo now = step.on() == Side.HUB ? l : h;
        return "the key of table " + step.table() + " changed " + where + " (from " + String.join(", ", was.keyColumns())
                + " to " + String.join(", ", now.keyColumns()) + "); its rows are not synced until the replica is made"
                + " afresh";
    }

    /**
     * The schema changes made here, on the hub in one write transaction, with the hub's log triggers for them. A
     * renamed table has its rows logged again under the new name ({@link #relog}).
     */
    private static void pushDdl(Connection hc, List<Step> steps, Map<String, Def> local, String node,
                                Map<String, List<LocalChange>> archived) throws SQLException {
        hubWrite(hc, () -> {
            for (Step step : steps) {
                TableInfo was = step.kind() == SchemaMerge.Kind.ALTER && step.from().isTable()
                        ? Schema.read(hc, n -> n.equalsIgnoreCase(step.from().name())).get(step.from().name()) : null;
                List<LocalChange> before = was == null ? List.of() : rows(hc, was);
                DdlReplay.apply(hc, step, local);
                if (!before.isEmpty()) {
                    List<LocalChange> refused = missing(hc, before);
                    if (!refused.isEmpty()) {
                        archived.put("this row of table " + was.name() + " was on the hub under its old definition"
                                + " and does not fit the new one made on this desktop (" + step.into().sql() + ");"
                                + " it is kept here, and Restore writes it back", refused);
                    }
                }
                if (step.into() != null && step.into().isTable()) {
                    TableInfo t = Schema.read(hc, n -> n.equalsIgnoreCase(step.into().name())).get(step.into().name());
                    if (t != null) {
                        Instrumentation.replaceHubTriggers(hc, step.from() == null ? t.name() : step.from().name(), t);
                        if (step.kind() == SchemaMerge.Kind.RENAME) {
                            relog(hc, t, node);
                        }
                    }
                }
            }
        });
    }

    /**
     * A table renamed on the hub by a program without ShareMirror keeps log triggers that log its old name, and the
     * pulls of every desktop skip a name no table has: the first agent to see the rename replaces them and logs every
     * row again under the new name, in one hub transaction.
     */
    private static void relogRenamedOnHub(Connection hc, List<Step> toReplica, String node) throws SQLException {
        for (Step step : toReplica) {
            if (step.kind() != SchemaMerge.Kind.RENAME
                    || DdlReplay.storedSql(hc, "_sm_hi_" + step.from().name()) == null) {
                continue;
            }
            hubWrite(hc, () -> {
                TableInfo t = Schema.read(hc, n -> n.equalsIgnoreCase(step.into().name())).get(step.into().name());
                if (t != null) {
                    Instrumentation.replaceHubTriggers(hc, step.from().name(), t);
                    relog(hc, t, node);
                }
            });
        }
    }

    /**
     * Logs every row of a renamed table under its new name, stamped with time 0: the log entries under the old name
     * name no table any more, and a desktop that has not pulled them gets each row's current values from these; a
     * change still pending anywhere is newer and wins over them.
     */
    private static void relog(Connection hc, TableInfo t, String node) throws SQLException {
        try (PreparedStatement s = hc.prepareStatement("INSERT INTO _sm_log(tbl, pk, op, origin, ts) SELECT ?, "
                + Sql.keyJson("", t.keyColumns()) + ", 'U', ?, 0 FROM " + Sql.ident(t.name()))) {
            s.setString(1, t.name());
            s.setString(2, node);
            s.executeUpdate();
        }
    }

    @FunctionalInterface
    private interface HubWork {
        void run() throws SQLException;
    }

    /** One write transaction on the hub. */
    private static void hubWrite(Connection hc, HubWork work) throws SQLException {
        try (Statement s = hc.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                work.run();
                s.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                RowIo.rollbackQuietly(hc);
                throw e;
            }
        }
    }

    /** "table supplier was created on this desktop and pushed to the hub", and the like. */
    private static String describe(Step s, String where, String then) {
        Def d = s.into() != null ? s.into() : s.from();
        String what = d.type() + " " + d.name();
        return switch (s.kind()) {
            case CREATE -> what + " was created " + where + " and " + then;
            case DROP -> what + " was dropped " + where + " and " + (then.startsWith("pushed") ? "on the hub too"
                    : "here too");
            case RENAME -> "table " + s.from().name() + " was renamed to " + d.name() + " " + where + " and " + then;
            case ALTER -> what + " was changed " + where + " (now " + d.sql() + ") and " + then;
        };
    }

    /** Every row of a table, as local changes for the archive. */
    private static List<LocalChange> rows(Connection c, TableInfo t) throws SQLException {
        List<LocalChange> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT " + Sql.keyJson("", t.keyColumns()) + ", "
                + Sql.idents(t.columns()) + " FROM " + Sql.ident(t.name()));
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                List<Object> values = new ArrayList<>();
                for (int i = 2; i <= t.columns().size() + 1; i++) {
                    values.add(rs.getObject(i));
                }
                rows.add(new LocalChange(new Key(t.name(), rs.getString(1)), System.currentTimeMillis(), 0,
                        LocalChange.Known.ON_HUB, t.integerKey(), new Row(t.columns(), values), 0));
            }
        }
        return rows;
    }

    /** Those of {@code rows} whose key has no row any more on {@code c} (each names its table). */
    private static List<LocalChange> missing(Connection c, List<LocalChange> rows) throws SQLException {
        RowIo now = new RowIo(c, Schema.read(c, t -> true));
        List<LocalChange> gone = new ArrayList<>();
        try {
            for (LocalChange row : rows) {
                if (now.read(row.key()) == null) {
                    gone.add(row);
                }
            }
        } finally {
            now.forgetStatements();
        }
        return gone;
    }

    private static void dropPending(Connection c, Key key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM _sm_pending WHERE tbl = ? AND pk = ?")) {
            s.setString(1, key.table());
            s.setString(2, key.pk());
            s.executeUpdate();
        }
    }

    private static Void dropPending(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM _sm_pending WHERE tbl = ?")) {
            s.setString(1, table);
            s.executeUpdate();
        }
        return null;
    }

    private static Map<String, TableInfo> without(Map<String, TableInfo> tables, Set<String> names) {
        Map<String, TableInfo> kept = new TreeMap<>(tables);
        kept.keySet().removeAll(names);
        return kept;
    }

    /**
     * Copies the given columns of every hub row into the replica. A key with a pending local change keeps its
     * own values, except that columns new to the replica are filled in (else its push would blank them).
     */
    private static void copyRows(Connection hub, SqliteReplica r, TableInfo t, List<String> columns) throws SQLException {
        List<Key> keys = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement s = hub.prepareStatement("SELECT " + Sql.keyJson("", t.keyColumns()) + ", "
                + Sql.idents(columns) + " FROM " + Sql.ident(t.name()));
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                keys.add(new Key(t.name(), rs.getString(1)));
                List<Object> values = new ArrayList<>(columns.size());
                for (int i = 2; i <= columns.size() + 1; i++) {
                    values.add(rs.getObject(i));
                }
                rows.add(new Row(columns, values));
            }
        }
        RowIo local = r.rows();
        boolean wholeRows = columns.size() == t.columns().size();
        r.writeRows("copying rows of " + t.name() + " from the hub", () -> {
            PreparedStatement pending = local.statement("SELECT 1 FROM _sm_pending WHERE tbl = ? AND pk = ?");
            for (int i = 0; i < keys.size(); i++) {
                Key key = keys.get(i);
                pending.setString(1, key.table());
                pending.setString(2, key.pk());
                boolean isPending;
                try (ResultSet rs = pending.executeQuery()) {
                    isPending = rs.next();
                }
                if (isPending && (wholeRows || local.read(key) == null)) {
                    continue;
                }
                local.upsert(key, rows.get(i));
            }
            return null;
        });
    }

}
