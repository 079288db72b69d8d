package io.sharemirror.store;

import io.sharemirror.sync.Retry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.tinylog.Logger;

/**
 * The hub's log: the {@code _sm_*} tables an agent adds to a hub and the triggers that log every change a direct
 * writer makes there (ARCHITECTURE.md#capture). All DDL is idempotent; trigger bodies must run on any SQLite a direct writer may
 * use (3.35+), see {@link Instrumentation}.
 */
public final class HubLog {

    public static final List<String> TABLES = List.of(
            // cols: the columns an agent's push of an edit changed (ChangedColumns), NULL for the whole row, as
            // every direct writer's change is
            "CREATE TABLE IF NOT EXISTS _sm_log(seq INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT NOT NULL,"
                    + " pk TEXT NOT NULL, op TEXT NOT NULL, origin TEXT, ts INTEGER NOT NULL, cols TEXT)",
            "CREATE TABLE IF NOT EXISTS _sm_ctx(applying INTEGER NOT NULL, displaced TEXT)",
            "INSERT INTO _sm_ctx(applying) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM _sm_ctx)",
            "CREATE TABLE IF NOT EXISTS _sm_nodes(node TEXT PRIMARY KEY, last_seq INTEGER NOT NULL,"
                    + " last_seen INTEGER NOT NULL)",
            // An agent that found committed changes gone from the hub says so here; every agent stops syncing the hub
            // until someone who repaired it deletes the rows.
            "CREATE TABLE IF NOT EXISTS _sm_damage(at INTEGER NOT NULL, node TEXT NOT NULL, what TEXT NOT NULL)");

    /** The tables {@link #TABLES} and the rowid canary make. */
    static final List<String> TABLE_NAMES = List.of("_sm_log", "_sm_ctx", "_sm_nodes", "_sm_damage",
            RowidGuard.CANARY);

    private HubLog() {
    }

    /** Hub triggers log every change by a writer other than an agent (the agent sets {@code _sm_ctx.applying}). */
    static List<String> triggers(TableInfo t) {
        String when = "WHEN (SELECT applying FROM _sm_ctx) = 0";
        String table = Sql.literal(t.name());
        // The rows an upsert removed for holding its UNIQUE values are logged as deleted before it.
        String displaced = DisplacedRows.keys(t, "_sm_ctx").map(keys -> "INSERT INTO _sm_log(tbl, pk, op, origin, ts)"
                + " SELECT " + table + ", d.value, 'D', NULL, " + Instrumentation.NOW_MS + " FROM " + keys + " AS d; ")
                .orElse("");
        List<String> triggers = new ArrayList<>(Instrumentation.changeTriggers(t, "_sm_h", when, (key, op) ->
                (op.equals("D") ? "" : displaced) + "INSERT INTO _sm_log(tbl, pk, op, origin, ts) VALUES(" + table
                        + ", " + key + ", " + Sql.literal(op) + ", NULL, " + Instrumentation.NOW_MS + ");"));
        triggers.addAll(DisplacedRows.noteTriggers(t, "_sm_h", "_sm_ctx", when));
        return triggers;
    }

    /**
     * Replaces a table's hub log triggers after a schema change the agent made there: those of its old name (a renamed
     * table keeps them, still logging that name) and of its new one; a table without a key made anew gets its empty
     * index back ({@link RowidGuard}).
     */
    static void replaceTriggers(Connection c, String oldName, TableInfo t) throws SQLException {
        List<String> ddl = new ArrayList<>();
        for (String table : List.of(oldName, t.name())) {
            for (String kind : List.of("i_", "u_", "k_", "d_", "r_", "q_")) {
                ddl.add("DROP TRIGGER IF EXISTS " + Sql.ident("_sm_h" + kind + table));
            }
        }
        ddl.addAll(triggers(t));
        ddl.addAll(RowidGuard.keepIndexes(List.of(t)));
        Instrumentation.execute(c, ddl);
    }

    static void install(Connection c, Collection<TableInfo> tables) throws SQLException {
        List<String> ddl = new ArrayList<>(TABLES);
        // A hub instrumented by an older version.
        if (!Instrumentation.names(c, "table", "\\_sm\\_ctx").isEmpty()
                && !Instrumentation.hasColumn(c, "_sm_ctx", "displaced")) {
            ddl.add("ALTER TABLE _sm_ctx ADD COLUMN displaced TEXT");
        }
        if (!Instrumentation.names(c, "table", "\\_sm\\_log").isEmpty()
                && !Instrumentation.hasColumn(c, "_sm_log", "cols")) {
            ddl.add("ALTER TABLE _sm_log ADD COLUMN cols TEXT"); // its entries are whole rows
        }
        ddl.addAll(RowidGuard.canaryDdl());
        ddl.addAll(RowidGuard.regap());
        ddl.addAll(Instrumentation.triggersToMake(c, triggers(tables)));
        ddl.addAll(RowidGuard.keepIndexes(tables));
        Instrumentation.execute(c, ddl);
    }

    static List<String> triggers(Collection<TableInfo> tables) {
        List<String> triggers = new ArrayList<>();
        tables.forEach(t -> triggers.addAll(triggers(t)));
        return triggers;
    }

    /**
     * What to drop from a fresh copy of the hub before it becomes a replica: every {@code _sm_*} object (the hub's log
     * and its triggers, and any look-alike of the replica's own objects: one named like a capture trigger would keep
     * the real one from being installed) and every trigger of the application's that names one of them (it could wipe
     * pending writes or fire when the agent applies pulled rows). The application's other triggers, tables, views and
     * indexes stay: its triggers run there for its own writes, and the agent suspends them for its own
     * ({@link TriggerSuspension}).
     */
    static List<String> objectsToDrop(Connection c, String database) throws SQLException {
        List<String> ddl = new ArrayList<>();
        for (String trigger : Instrumentation.names(c, "trigger", Instrumentation.OWN)) {
            ddl.add("DROP TRIGGER " + Sql.ident(trigger));
        }
        for (AppTriggers.Trigger t : AppTriggers.read(c)) {
            if (t.role() == AppTriggers.Role.MEDDLES) {
                Logger.warn("{}: trigger {} on the hub names ShareMirror's own objects (_sm_*); it is not copied into"
                        + " the replica", database, t.name());
                ddl.add("DROP TRIGGER " + Sql.ident(t.name()));
            }
        }
        for (String view : Instrumentation.names(c, "view", Instrumentation.OWN)) {
            ddl.add("DROP VIEW " + Sql.ident(view));
        }
        for (String index : Instrumentation.names(c, "index", Instrumentation.OWN)) {
            ddl.add("DROP INDEX " + Sql.ident(index));
        }
        for (String table : Instrumentation.names(c, "table", Instrumentation.OWN)) {
            ddl.add("DROP TABLE " + Sql.ident(table));
        }
        return ddl;
    }

    /** Installs missing hub objects in one write transaction; returns the hub's schema cookie afterwards. */
    static long installMissing(Connection c, Retry retry, String database, String hubLocation)
            throws SQLException {
        Map<String, TableInfo> all = Schema.read(c, t -> true);
        boolean complete = Instrumentation.names(c, "table", Instrumentation.OWN).containsAll(TABLE_NAMES)
                && Instrumentation.hasColumn(c, "_sm_log", "cols")
                && Instrumentation.triggersToMake(c, triggers(all.values())).isEmpty()
                && RowidGuard.complete(c, all.values());
        if (!complete) {
            retry.onBusy(() -> {
                try (Statement s = c.createStatement()) {
                    s.execute("BEGIN IMMEDIATE");
                    try {
                        install(c, Schema.read(c, t -> true).values());
                        s.execute("COMMIT");
                    } catch (SQLException e) {
                        RowIo.rollbackQuietly(c);
                        throw e;
                    }
                } catch (SQLException e) {
                    throw SqliteErrors.classifyHub("installing ShareMirror's log and triggers on " + hubLocation, e);
                }
            });
            Logger.info("{}: installed change logging on the hub for {} tables", database, all.size());
        }
        return Long.parseLong(SingleValue.of(c, "PRAGMA schema_version"));
    }
}
