package io.sharemirror.store;

import io.sharemirror.sync.MirrorMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tinylog.Logger;

/**
 * The {@code _sm_*} objects ShareMirror adds to the hub and to each replica (DESIGN.md §4). All DDL is
 * idempotent; trigger bodies must run on any SQLite a direct writer or third-party program may use
 * (3.35+), so they use only julianday, json_array/json_object, hex and UPSERT.
 *
 * <p>Over 400 lines: the replica's capture and the hub's log are two jobs in one class; issue 18 splits them with the
 * narrow hub port, whose hub implementation owns the hub's half.
 */
final class Instrumentation {

    /** LIKE pattern of ShareMirror's own object names. */
    static final String OWN = "\\_sm\\_%";

    /**
     * Milliseconds since the epoch, computed inside SQLite so every writer stamps the same way. Rounded, not cut:
     * julianday is a double, and half the time the product lands a hair under the true millisecond.
     */
    private static final String NOW_MS = "CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)";

    /** Advances the replica's hybrid clock for one local change, in the file server's time, as capture does. */
    static final String TICK = "UPDATE _sm_state SET clock = max(clock + 1, " + NOW_MS + " + clock_offset)";

    static final String BLOCKED_MESSAGE =
            "ShareMirror is re-cloning this replica (Clear Cache); retry in a moment";

    private Instrumentation() {
    }

    // ---- hub ----

    static final List<String> HUB_TABLES = List.of(
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

    /** The tables {@link #HUB_TABLES} and the rowid canary make. */
    static final List<String> HUB_TABLE_NAMES = List.of("_sm_log", "_sm_ctx", "_sm_nodes", "_sm_damage",
            RowidGuard.CANARY);

    /** Hub triggers log every change by a writer other than an agent (the agent sets {@code _sm_ctx.applying}). */
    static List<String> hubTriggers(TableInfo t) {
        String when = "WHEN (SELECT applying FROM _sm_ctx) = 0";
        String table = Sql.literal(t.name());
        // The rows an upsert removed for holding its UNIQUE values are logged as deleted before it.
        String displaced = DisplacedRows.keys(t, "_sm_ctx").map(keys -> "INSERT INTO _sm_log(tbl, pk, op, origin, ts)"
                + " SELECT " + table + ", d.value, 'D', NULL, " + NOW_MS + " FROM " + keys + " AS d; ").orElse("");
        List<String> triggers = new ArrayList<>(changeTriggers(t, "_sm_h", when, (key, op) ->
                (op.equals("D") ? "" : displaced) + "INSERT INTO _sm_log(tbl, pk, op, origin, ts) VALUES(" + table
                        + ", " + key + ", " + Sql.literal(op) + ", NULL, " + NOW_MS + ");"));
        triggers.addAll(DisplacedRows.noteTriggers(t, "_sm_h", "_sm_ctx", when));
        return triggers;
    }

    /**
     * Replaces a table's hub log triggers after a schema change the agent made there: those of its old name (a renamed
     * table keeps them, still logging that name) and of its new one; a table without a key made anew gets its empty
     * index back ({@link RowidGuard}).
     */
    static void replaceHubTriggers(Connection c, String oldName, TableInfo t) throws SQLException {
        List<String> ddl = new ArrayList<>();
        for (String table : List.of(oldName, t.name())) {
            for (String kind : List.of("i_", "u_", "k_", "d_", "r_", "q_")) {
                ddl.add("DROP TRIGGER IF EXISTS " + Sql.ident("_sm_h" + kind + table));
            }
        }
        ddl.addAll(hubTriggers(t));
        ddl.addAll(RowidGuard.keepIndexes(List.of(t)));
        execute(c, ddl);
    }

    static void installHub(Connection c, Collection<TableInfo> tables) throws SQLException {
        List<String> ddl = new ArrayList<>(HUB_TABLES);
        // A hub instrumented by an older version.
        if (!names(c, "table", "\\_sm\\_ctx").isEmpty() && !hasColumn(c, "_sm_ctx", "displaced")) {
            ddl.add("ALTER TABLE _sm_ctx ADD COLUMN displaced TEXT");
        }
        if (!names(c, "table", "\\_sm\\_log").isEmpty() && !hasColumn(c, "_sm_log", "cols")) {
            ddl.add("ALTER TABLE _sm_log ADD COLUMN cols TEXT"); // its entries are whole rows
        }
        ddl.addAll(RowidGuard.canaryDdl());
        ddl.addAll(RowidGuard.regap());
        ddl.addAll(triggersToMake(c, hubTriggers(tables)));
        ddl.addAll(RowidGuard.keepIndexes(tables));
        execute(c, ddl);
    }

    static List<String> hubTriggers(Collection<TableInfo> tables) {
        List<String> triggers = new ArrayList<>();
        tables.forEach(t -> triggers.addAll(hubTriggers(t)));
        return triggers;
    }

    static List<String> captureTriggers(Collection<TableInfo> tables) {
        List<String> triggers = new ArrayList<>();
        tables.forEach(t -> triggers.addAll(captureTriggers(t)));
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
    static List<String> dropHubObjects(Connection c, String database) throws SQLException {
        List<String> ddl = new ArrayList<>();
        for (String trigger : names(c, "trigger", OWN)) {
            ddl.add("DROP TRIGGER " + Sql.ident(trigger));
        }
        for (AppTriggers.Trigger t : AppTriggers.read(c)) {
            if (t.role() == AppTriggers.Role.MEDDLES) {
                Logger.warn("{}: trigger {} on the hub names ShareMirror's own objects (_sm_*); it is not copied into"
                        + " the replica", database, t.name());
                ddl.add("DROP TRIGGER " + Sql.ident(t.name()));
            }
        }
        for (String view : names(c, "view", OWN)) {
            ddl.add("DROP VIEW " + Sql.ident(view));
        }
        for (String index : names(c, "index", OWN)) {
            ddl.add("DROP INDEX " + Sql.ident(index));
        }
        for (String table : names(c, "table", OWN)) {
            ddl.add("DROP TABLE " + Sql.ident(table));
        }
        return ddl;
    }

    // ---- replica ----

    /**
     * Tables the next push compares with the hub: their capture was found missing or wrong and repaired ({@code
     * missed} 1: what differs was written here, stamped now), or a schema change made here was pushed ({@code missed}
     * 0: what differs is the change's own result, stamped 0, so any other desktop's pending edit of a row wins).
     */
    private static final String UNCAPTURED_TABLE = "CREATE TABLE IF NOT EXISTS _sm_uncaptured(tbl TEXT PRIMARY KEY,"
            + " missed INTEGER NOT NULL)";

    /**
     * The offset of the file server's clock from this computer's, in ms, that capture triggers add to SQLite's
     * {@code 'now'}, and how far it can be off (NULL: never measured). See ServerClock.
     */
    static final List<String> CLOCK_COLUMNS = List.of("clock_offset INTEGER NOT NULL DEFAULT 0", "clock_error INTEGER");

    static final List<String> REPLICA_TABLES = List.of(
            "CREATE TABLE IF NOT EXISTS _sm_pending(tbl TEXT NOT NULL, pk TEXT NOT NULL, ts INTEGER NOT NULL,"
                    + " ver INTEGER NOT NULL, ins INTEGER NOT NULL, replaced INTEGER, deleted INTEGER, cols TEXT,"
                    + " PRIMARY KEY(tbl, pk)) WITHOUT ROWID",
            "CREATE TABLE IF NOT EXISTS _sm_state(applying INTEGER NOT NULL, clock INTEGER NOT NULL,"
                    + " cursor INTEGER NOT NULL, node TEXT NOT NULL, schema_version INTEGER NOT NULL,"
                    + " blocked INTEGER NOT NULL, replacing TEXT, schema_digest TEXT, rowids INTEGER, displaced TEXT,"
                    + " changing TEXT, "
                    + String.join(", ", CLOCK_COLUMNS) + ")",
            WaitingRows.TABLE, AheadStamps.TABLE, UNCAPTURED_TABLE, AgreedSchema.TABLE, RenumberedRows.TABLE);

    /**
     * Capture triggers queue each changed key once in {@code _sm_pending}, stamped by the replica's hybrid
     * logical clock: {@code max(clock + 1, now)}. {@code ins} says what the hub knows of the row (LocalChange.Known:
     * 0 on the hub, 1 new here, 2 revived); it becomes 1 when a change creates the key's row here: an insert, or a key
     * change that moved a row onto it. When the key already waits as a delete of a row the hub
     * knows ({@code ins = 0}, SQLite reusing the largest rowid), the new row is still a new row: {@code ins} becomes
     * 1 and {@code replaced} keeps the delete's time, for the push to log the delete before the insert. Every delete
     * also notes its time in {@code deleted}: a row deleted and made again while its push runs is a new row too, once
     * the push has put the first one on the hub. {@code cols} gathers the columns the key's updates changed since the
     * last sync (ChangedColumns); an insert or a delete makes it NULL, the whole row, until the key is synced. Now is
     * in reference time: SQLite's clock (whichever program writes)
     * plus the measured offset of the file server's, {@code clock_offset}; a row another computer stamped far ahead is
     * stamped after that (AheadStamps).
     */
    static List<String> captureTriggers(TableInfo t) {
        String when = "WHEN (SELECT applying FROM _sm_state) = 0";
        String table = Sql.literal(t.name());
        // The rows an upsert removed for holding its UNIQUE values are queued as deleted, stamped like it.
        String displaced = DisplacedRows.keys(t, "_sm_state").map(keys -> " INSERT INTO _sm_pending(tbl, pk, ts, ver, ins,"
                + " deleted) SELECT " + table + ", d.value, " + AheadStamps.stamp(table, "d.value") + ", 1, 0, "
                + AheadStamps.stamp(table, "d.value") + " FROM " + keys + " AS d WHERE 1 ON CONFLICT(tbl, pk) DO UPDATE"
                + " SET ts = excluded.ts, ver = ver + 1, deleted = excluded.deleted, cols = NULL;"
                + " UPDATE _sm_ahead SET ts = ts + 1"
                + " WHERE tbl = " + table + " AND pk IN (SELECT value FROM " + keys + ");").orElse("");
        List<String> triggers = new ArrayList<>(changeTriggers(t, "_sm_c", when, (key, op) ->
                "SELECT RAISE(ABORT, " + Sql.literal(BLOCKED_MESSAGE) + ") FROM _sm_state WHERE blocked = 1;"
                        + " " + TICK + ";"
                        + " INSERT INTO _sm_pending(tbl, pk, ts, ver, ins, deleted, cols) VALUES(" + Sql.literal(t.name())
                        + ", " + key + ", " + AheadStamps.stamp(Sql.literal(t.name()), key) + ", 1, "
                        + created(t, op, key) + ", "
                        + (op.equals("D") ? AheadStamps.stamp(Sql.literal(t.name()), key) : "NULL") + ", "
                        + columns(t, op) + ")"
                        + " ON CONFLICT(tbl, pk) DO UPDATE SET ts = excluded.ts, ver = ver + 1,"
                        + " replaced = CASE WHEN excluded.ins = 1 AND ins = 0 THEN ts ELSE replaced END,"
                        + " ins = CASE WHEN excluded.ins = 1 THEN 1 ELSE ins END,"
                        + " deleted = coalesce(excluded.deleted, deleted),"
                        // A full-text table's are always whole rows; its triggers fire inside FTS5's own writes,
                        // where the json_each of the union reports the database malformed.
                        + " cols = " + (t.fts() != null ? "NULL" : ChangedColumns.accumulated("cols", "excluded.cols"))
                        + ";"
                        + (op.equals("U") ? " UPDATE _sm_state SET changing = NULL;" : "")
                        + " " + AheadStamps.advance(Sql.literal(t.name()), key) + (op.equals("D") ? "" : displaced)));
        triggers.addAll(DisplacedRows.noteTriggers(t, "_sm_c", "_sm_state", when));
        if (t.fts() != null) {
            return triggers; // see created(): an FTS table never replaces a row with INSERT OR REPLACE unseen
        }
        // INSERT OR REPLACE of an existing row fires only the insert trigger, which cannot see the old row: note
        // before the insert whether its key exists. The next insert's BEFORE trigger overwrites the note, so an
        // INSERT OR IGNORE that inserted nothing (and fired no AFTER trigger) leaves nothing stale behind.
        String key = Sql.keyJson("NEW.", t);
        String exists = "EXISTS (SELECT 1 FROM " + Sql.ident(t.name()) + " WHERE " + String.join(" AND ",
                t.keyColumns().stream().map(c -> Sql.ident(c) + " IS NEW." + Sql.ident(c)).toList()) + ")";
        triggers.add(trigger("_sm_cb_" + t.name(), "BEFORE INSERT ON " + Sql.ident(t.name()) + " " + when,
                "UPDATE _sm_state SET replacing = CASE WHEN " + exists + " THEN json_array("
                        + Sql.literal(t.name()) + ", " + key + ") END;"));
        // Each column an UPDATE sets is noted before the row is written, for the AFTER UPDATE trigger (ChangedColumns).
        List<String> columns = t.nonKeyColumns();
        for (int i = 0; i < columns.size(); i++) {
            triggers.add(trigger("_sm_co" + i + "_" + t.name(), "BEFORE UPDATE OF " + Sql.ident(columns.get(i)) + " ON "
                    + Sql.ident(t.name()) + " " + when, "UPDATE _sm_state SET changing = "
                    + ChangedColumns.noted("changing", columns.get(i)) + ";"));
        }
        return triggers;
    }

    /** The columns a change touched: those an update set, NULL (the whole row) for an insert or a delete. */
    private static String columns(TableInfo t, String op) {
        return op.equals("U") ? ChangedColumns.ofUpdate(t) : "NULL";
    }

    /**
     * Whether the change creates its key here: an insert that replaced no existing row, or the new key of a key
     * change (the key did not exist locally, so a concurrent insert of it elsewhere is a collision to re-key, not
     * an edit conflict). FTS writes every edit of a document to its content table as a delete and then an insert of
     * the same rowid, so there an insert creates its key only when the key has nothing pending yet: after its own
     * delete it is the second half of an edit.
     */
    private static String created(TableInfo t, String op, String key) {
        if (t.fts() != null && op.equals("I")) {
            return "NOT EXISTS (SELECT 1 FROM _sm_pending WHERE tbl = " + Sql.literal(t.name()) + " AND pk = " + key + ")";
        }
        return switch (op) {
            case "I" -> "((SELECT replacing FROM _sm_state) IS NOT json_array(" + Sql.literal(t.name()) + ", " + key + "))";
            case "U" -> "(" + Sql.keyChanged(t.triggerKey()) + ")";
            default -> "0";
        };
    }

    /**
     * Adds what a replica cloned by an older version lacks, so capture triggers installed now (for a table added on
     * the hub) can run in it, gives tables without a declared key their empty index ({@link RowidGuard}), and makes
     * the capture triggers the ones this version makes (they record reused keys, stamp in the file server's time).
     */
    static void upgradeReplica(Connection c, Collection<TableInfo> tables) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String column : List.of("replacing TEXT", "rowids INTEGER", "schema_digest TEXT", "displaced TEXT")) {
                if (!hasColumn(c, "_sm_state", column.substring(0, column.indexOf(' ')))) {
                    s.execute("ALTER TABLE _sm_state ADD COLUMN " + column);
                }
            }
            execute(c, List.of(WaitingRows.TABLE, RenumberedRows.TABLE));
            if (replicaMode(c) == MirrorMode.READ_WRITE) {
                execute(c, RowidGuard.keepIndexes(tables));
            }
            s.execute(UNCAPTURED_TABLE);
            s.execute(AgreedSchema.TABLE);
            List<String> ddl = new ArrayList<>();
            for (String column : List.of("replaced INTEGER", "deleted INTEGER", "cols TEXT")) {
                if (!hasColumn(c, "_sm_pending", column.substring(0, column.indexOf(' ')))) {
                    ddl.add("ALTER TABLE _sm_pending ADD COLUMN " + column); // NULL cols: whole rows, as they were
                }
            }
            if (!hasColumn(c, "_sm_state", "changing")) {
                ddl.add("ALTER TABLE _sm_state ADD COLUMN changing TEXT");
            }
            if (!hasColumn(c, "_sm_state", "clock_offset")) {
                CLOCK_COLUMNS.forEach(column -> ddl.add("ALTER TABLE _sm_state ADD COLUMN " + column));
                ddl.add(AheadStamps.TABLE);
            }
            if (replicaMode(c) == MirrorMode.READ_WRITE) {
                ddl.addAll(triggersToMake(c, captureTriggers(tables)));
            }
            if (ddl.isEmpty()) {
                return;
            }
            s.execute("BEGIN IMMEDIATE");
            try {
                execute(c, ddl);
                s.execute("COMMIT");
            } catch (SQLException e) {
                s.execute("ROLLBACK");
                throw e;
            }
        }
    }

    static boolean hasColumn(Connection c, String table, String column) throws SQLException {
        try (var s = c.prepareStatement("SELECT count(*) FROM pragma_table_info(?) WHERE name = ?")) {
            s.setString(1, table);
            s.setString(2, column);
            try (var r = s.executeQuery()) {
                r.next();
                return r.getInt(1) > 0;
            }
        }
    }

    static void installReplica(Connection c, Collection<TableInfo> tables) throws SQLException {
        List<String> ddl = new ArrayList<>(REPLICA_TABLES);
        ddl.addAll(triggersToMake(c, captureTriggers(tables)));
        ddl.addAll(RowidGuard.keepIndexes(tables));
        execute(c, ddl);
    }

    // ---- read-only copy ----

    /** Present only in a replica made as a read-only copy (mode: read-only). */
    static final String READ_ONLY_MARKER = "_sm_read_only";

    static String readOnlyMessage(String database) {
        return "ShareMirror: " + database + " is mirrored read-only (mode: read-only); writes are not allowed";
    }

    /**
     * A read-only copy has the replica's state tables (so the agent treats it like any replica, with nothing ever
     * pending) and, instead of capture, triggers stored in the file that refuse every change to a user table: the
     * refusal names the mode whichever program writes, Java, Python or the sqlite3 shell.
     */
    static void installReadOnlyReplica(Connection c, Iterable<TableInfo> tables, String database) throws SQLException {
        List<String> ddl = new ArrayList<>(REPLICA_TABLES);
        ddl.add("CREATE TABLE IF NOT EXISTS " + READ_ONLY_MARKER + "(note TEXT)");
        String refuse = "SELECT RAISE(ABORT, " + Sql.literal(readOnlyMessage(database)) + ");";
        for (TableInfo t : tables) {
            String table = Sql.ident(t.triggerTable());
            ddl.add(trigger("_sm_gi_" + t.name(), "BEFORE INSERT ON " + table, refuse));
            ddl.add(trigger("_sm_gu_" + t.name(), "BEFORE UPDATE ON " + table, refuse));
            ddl.add(trigger("_sm_gd_" + t.name(), "BEFORE DELETE ON " + table, refuse));
        }
        execute(c, ddl);
    }

    /** What a replica file was made for, or null when it is not a replica ShareMirror finished making. */
    static MirrorMode replicaMode(Connection c) throws SQLException {
        List<String> tables = names(c, "table", OWN);
        if (!tables.containsAll(List.of("_sm_state", "_sm_pending"))) {
            return null;
        }
        return tables.contains(READ_ONLY_MARKER) ? MirrorMode.READ_ONLY : MirrorMode.READ_WRITE;
    }

    // ---- shared ----

    /** Builds a statement body from the key expression and the operation letter (I, U or D). */
    private interface Body {
        String of(String keyExpression, String op);
    }

    /** Four triggers per table: insert, update (new key), key change (old key, as a delete), delete. */
    private static List<String> changeTriggers(TableInfo t, String prefix, String when, Body body) {
        String table = Sql.ident(t.triggerTable());
        String newKey = Sql.keyJson("NEW.", t.triggerKey(), t.keyCollations());
        String oldKey = Sql.keyJson("OLD.", t.triggerKey(), t.keyCollations());
        return List.of(
                trigger(prefix + "i_" + t.name(), "AFTER INSERT ON " + table + " " + when, body.of(newKey, "I")),
                trigger(prefix + "u_" + t.name(), "AFTER UPDATE ON " + table + " " + when, body.of(newKey, "U")),
                trigger(prefix + "k_" + t.name(), "AFTER UPDATE ON " + table + " " + when + " AND ("
                        + Sql.keyChanged(t.triggerKey()) + ")", body.of(oldKey, "D")),
                trigger(prefix + "d_" + t.name(), "AFTER DELETE ON " + table + " " + when, body.of(oldKey, "D")));
    }

    private static String trigger(String name, String event, String body) {
        return "CREATE TRIGGER " + Sql.ident(name) + " " + event + " BEGIN " + body + " END";
    }

    /**
     * The statements that make the triggers in {@code c} exactly the wanted ones: each that is missing is created,
     * each whose stored SQL differs (made by an older version, or by someone else under our name) is made again.
     * Nothing when they are all there, so its emptiness also says whether they are.
     */
    static List<String> triggersToMake(Connection c, Collection<String> wanted) throws SQLException {
        Map<String, String> stored = new HashMap<>();
        try (var s = c.prepareStatement("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'");
             var r = s.executeQuery()) {
            while (r.next()) {
                stored.put(r.getString(1), r.getString(2));
            }
        }
        List<String> ddl = new ArrayList<>();
        for (String create : wanted) {
            String name = quotedNameAt(create, "CREATE TRIGGER ".length());
            if (!create.equals(stored.get(name))) {
                if (stored.containsKey(name)) {
                    ddl.add("DROP TRIGGER " + Sql.ident(name));
                }
                ddl.add(create);
            }
        }
        return ddl;
    }

    /** The identifier {@link Sql#ident} quoted at {@code start} of {@code sql}, unquoted. */
    private static String quotedNameAt(String sql, int start) {
        StringBuilder name = new StringBuilder();
        for (int i = start + 1; ; i++) {
            char c = sql.charAt(i);
            if (c == '"') {
                if (sql.charAt(i + 1) != '"') {
                    return name.toString();
                }
                i++;
            }
            name.append(c);
        }
    }

    /** Names of schema objects of one type matching a LIKE pattern (with {@code \} as escape). */
    static List<String> names(Connection c, String type, String likePattern) throws SQLException {
        List<String> names = new ArrayList<>();
        try (var s = c.prepareStatement("SELECT name FROM sqlite_master WHERE type = ? AND name LIKE ? ESCAPE '\\'")) {
            s.setString(1, type);
            s.setString(2, likePattern);
            try (var r = s.executeQuery()) {
                while (r.next()) {
                    names.add(r.getString(1));
                }
            }
        }
        return names;
    }

    static void execute(Connection c, List<String> statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
