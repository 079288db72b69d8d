package io.sharemirror.store;

import io.sharemirror.sync.Key;
import io.sharemirror.sync.Row;
import io.sharemirror.sync.SchemaChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.tinylog.Logger;

/** Matches a replica's schema to its hub's (DESIGN.md §5, schema changes). */
final class SchemaSync {

    /** An SQL literal: a string, a signed number, a blob, NULL, TRUE or FALSE. */
    private static final String LITERAL =
            "'(?:[^']|'')*'|[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|[xX]'[0-9a-fA-F]*'|(?i:NULL|TRUE|FALSE)";

    private final String name;
    private final Predicate<String> mirrored;
    /** Whether this process has compared the whole schema once: what a check leaves out of the sync is not stored. */
    private boolean checked;

    SchemaSync(String name, Predicate<String> mirrored) {
        this.name = name;
        this.mirrored = mirrored;
    }

    /**
     * Adds what the hub gained. What it lost is not guessed at: a dropped table, or one whose primary key changed,
     * is left out of the sync (the replica's keys no longer name the hub's rows) by leaving it out of the hub's
     * tables, so nothing is pushed to it or pulled from it; it is reported as blocking while it is dropped under
     * local changes, or rekeyed. The schema cookie is recorded only when nothing
     * blocks, so every cycle looks again until the hub or a fresh replica resolves it. A cookie that moved while the
     * definitions stayed the same (see {@link SchemaDigest}) costs no more than reading them, once this process has
     * made a full check.
     */
    SchemaChange run(SqliteHub h, SqliteReplica r, long version) throws SQLException {
        Connection hc = h.rows().connection();
        String digest = SchemaDigest.of(hc);
        List<String> added = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> blocking = new ArrayList<>();
        Set<String> left = new HashSet<>();
        Map<String, TableInfo> hubTables = Schema.read(hc, mirrored);
        Map<String, TableInfo> localTables = Schema.read(r.rows().connection(), mirrored);
        for (TableInfo t : hubTables.values()) {
            TableInfo local = localTables.get(t.name());
            if (local == null) {
                addTable(hc, r, t);
                added.add("table " + t.name());
            } else if (!local.keyColumns().equals(t.keyColumns())) {
                left.add(t.name());
                blocking.add("the key of table " + t.name() + " changed on the hub (from "
                        + String.join(", ", local.keyColumns()) + " to " + String.join(", ", t.keyColumns())
                        + "); its rows are not synced until the replica is made afresh");
            } else {
                List<String> newColumns = t.columns().stream().filter(c -> !local.columns().contains(c)).toList();
                if (!newColumns.isEmpty()) {
                    addColumns(hc, r, t, newColumns);
                    newColumns.forEach(c -> added.add("column " + t.name() + "." + c));
                }
                local.columns().stream().filter(c -> !t.columns().contains(c)).forEach(c -> problems.add(
                        "column " + t.name() + "." + c + " is gone from the hub; its values are no longer synced"));
            }
        }
        for (String t : localTables.keySet()) {
            if (hubTables.containsKey(t)) {
                continue;
            }
            left.add(t);
            long pending = r.pendingCount(t);
            if (pending == 0) {
                problems.add("table " + t + " is gone from the hub; the replica keeps its last rows");
            } else {
                blocking.add("table " + t + " was dropped on the hub; " + pending + " local change"
                        + (pending == 1 ? "" : "s") + " to it cannot be pushed");
            }
        }
        h.rows().tables(without(hubTables, left));
        h.rows().forgetStatements();
        r.rows().tables(Schema.read(r.rows().connection(), mirrored));
        r.rows().forgetStatements();
        checked = true;
        if (blocking.isEmpty()) {
            r.updateSchemaVersion(version, digest);
        }
        return new SchemaChange(added, problems, blocking, version);
    }

    /**
     * Whether only the hub's schema cookie moved since the last match, its definitions the same: an agent's push that
     * suspended the application's triggers ({@link TriggerSuspension}) does that. Then the new cookie is recorded and
     * that is all: one read transaction on the hub, against a dozen for the whole check. The first check of a process
     * is always whole.
     */
    Optional<SchemaChange> sameDefinitions(SqliteHub h, SqliteReplica r) {
        if (!checked) {
            return Optional.empty();
        }
        Connection hc = h.rows().connection();
        Object[] now = h.within("reading the hub's schema", () -> new Object[] {
            Long.parseLong(SqliteMirrorStore.single(hc, "PRAGMA schema_version")), SchemaDigest.of(hc)});
        if (!now[1].equals(r.knownSchemaDigest())) {
            return Optional.empty();
        }
        r.updateSchemaVersion((Long) now[0], (String) now[1]);
        return Optional.of(new SchemaChange(List.of(), List.of(), List.of(), (Long) now[0]));
    }

    private static Map<String, TableInfo> without(Map<String, TableInfo> tables, Set<String> names) {
        Map<String, TableInfo> kept = new TreeMap<>(tables);
        kept.keySet().removeAll(names);
        return kept;
    }

    /**
     * Creates a table the hub gained, with its indexes, its capture triggers and the application's triggers on it
     * (those that name none of ShareMirror's objects), and copies its rows once.
     */
    private void addTable(Connection hub, SqliteReplica r, TableInfo t) throws SQLException {
        List<String> ddl = new ArrayList<>();
        try (PreparedStatement s = hub.prepareStatement("SELECT sql FROM sqlite_master WHERE tbl_name = ?"
                + " AND type IN ('table', 'index') AND sql IS NOT NULL AND name NOT LIKE '\\_sm\\_%' ESCAPE '\\'"
                + " ORDER BY type = 'index'")) {
            s.setString(1, t.name());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ddl.add(rs.getString(1));
                }
            }
        }
        ddl.addAll(Instrumentation.captureTriggers(t));
        for (AppTriggers.Trigger trigger : AppTriggers.read(hub)) {
            if (trigger.table().equalsIgnoreCase(t.name())) {
                if (trigger.role() == AppTriggers.Role.MEDDLES) {
                    Logger.warn("{}: trigger {} on the hub names ShareMirror's own objects; it is not copied into the"
                            + " replica", name, trigger.name());
                } else {
                    ddl.add(trigger.sql());
                }
            }
        }
        Connection local = r.rows().connection();
        r.write("adding table " + t.name(), () -> {
            Instrumentation.execute(local, ddl);
            return null;
        });
        r.rows().tables(Schema.read(local, mirrored));
        copyRows(hub, r, t, t.columns());
    }

    /**
     * Adds columns the hub gained, with their type and, when it is a literal, their default and NOT NULL: rows the
     * replica's applications insert later must get the hub's default, not NULL (which NOT NULL refuses on push).
     */
    private void addColumns(Connection hub, SqliteReplica r, TableInfo t, List<String> columns) throws SQLException {
        Map<String, String> definitions = new java.util.HashMap<>();
        try (PreparedStatement s = hub.prepareStatement("SELECT name, type, \"notnull\", dflt_value FROM pragma_table_xinfo(?)")) {
            s.setString(1, t.name());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(2);
                    String definition = type.matches("[A-Za-z0-9_ (),]*") ? " " + type : "";
                    String dflt = rs.getString(4);
                    // Only a literal is copied (all ADD COLUMN accepts anyway); it is SQL text from the hub's schema.
                    if (dflt != null && dflt.matches(LITERAL)) {
                        definition += " DEFAULT " + dflt;
                        if (rs.getInt(3) == 1 && !dflt.equalsIgnoreCase("NULL")) {
                            definition += " NOT NULL";
                        }
                    }
                    definitions.put(rs.getString(1), definition);
                }
            }
        }
        Connection local = r.rows().connection();
        r.write("adding columns to " + t.name(), () -> {
            List<String> ddl = new ArrayList<>();
            for (String c : columns) {
                ddl.add("ALTER TABLE " + Sql.ident(t.name()) + " ADD COLUMN " + Sql.ident(c) + definitions.getOrDefault(c, ""));
            }
            Instrumentation.execute(local, ddl);
            return null;
        });
        r.rows().tables(Schema.read(local, mirrored));
        List<String> keyAndNew = new ArrayList<>(t.keyColumns());
        keyAndNew.addAll(columns);
        copyRows(hub, r, t, keyAndNew);
    }

    /**
     * Copies the given columns of every hub row into the replica. A key with a pending local change keeps its
     * own values, except that columns new to the replica are filled in (else its push would blank them).
     */
    private void copyRows(Connection hub, SqliteReplica r, TableInfo t, List<String> columns) throws SQLException {
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
