package io.sharemirror.store;

import io.sharemirror.sync.MirrorMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A replica's capture: the {@code _sm_*} tables ShareMirror adds to each replica, the triggers that queue every local
 * change in {@code _sm_pending}, and the refusing triggers of a read-only copy (ARCHITECTURE.md#capture). All DDL is idempotent;
 * trigger bodies must run on any SQLite a third-party program may use (3.35+), see {@link Instrumentation}.
 */
final class ReplicaCapture {

    /** Advances the replica's hybrid clock for one local change, in the file server's time, as capture does. */
    static final String TICK =
            "UPDATE _sm_state SET clock = max(clock + 1, " + Instrumentation.NOW_MS + " + clock_offset)";

    static final String BLOCKED_MESSAGE =
            "ShareMirror is re-cloning this replica (Clear Cache); retry in a moment";

    private ReplicaCapture() {
    }

    static List<String> triggers(Collection<TableInfo> tables) {
        List<String> triggers = new ArrayList<>();
        tables.forEach(t -> triggers.addAll(triggers(t)));
        return triggers;
    }

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

    static final List<String> TABLES = List.of(
            "CREATE TABLE IF NOT EXISTS _sm_pending(tbl TEXT NOT NULL, pk TEXT NOT NULL, ts INTEGER NOT NULL,"
                    + " ver INTEGER NOT NULL, ins INTEGER NOT NULL, replaced INTEGER, deleted INTEGER, cols TEXT,"
                    + " PRIMARY KEY(tbl, pk)) WITHOUT ROWID",
            "CREATE TABLE IF NOT EXISTS _sm_state(applying INTEGER NOT NULL, clock INTEGER NOT NULL,"
                    + " cursor INTEGER NOT NULL, node TEXT NOT NULL, schema_version INTEGER NOT NULL,"
                    + " blocked INTEGER NOT NULL, replacing TEXT, schema_digest TEXT, rowids INTEGER, displaced TEXT,"
                    + " changing TEXT, agreed_user_version INTEGER, "
                    + String.join(", ", CLOCK_COLUMNS) + ")",
            WaitingRows.TABLE, AheadStamps.TABLE, UNCAPTURED_TABLE, AgreedSchema.TABLE, RenumberedRows.TABLE,
            PulledPastCursor.TABLE);

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
    static List<String> triggers(TableInfo t) {
        String when = "WHEN (SELECT applying FROM _sm_state) = 0";
        String table = Sql.literal(t.name());
        // The rows an upsert removed for holding its UNIQUE values are queued as deleted, stamped like it.
        String displaced = DisplacedRows.keys(t, "_sm_state").map(keys -> " INSERT INTO _sm_pending(tbl, pk, ts, ver, ins,"
                + " deleted) SELECT " + table + ", d.value, " + AheadStamps.stamp(table, "d.value") + ", 1, 0, "
                + AheadStamps.stamp(table, "d.value") + " FROM " + keys + " AS d WHERE 1 ON CONFLICT(tbl, pk) DO UPDATE"
                + " SET ts = excluded.ts, ver = ver + 1, deleted = excluded.deleted, cols = NULL;"
                + " UPDATE _sm_ahead SET ts = ts + 1"
                + " WHERE tbl = " + table + " AND pk IN (SELECT value FROM " + keys + ");").orElse("");
        List<String> triggers = new ArrayList<>(Instrumentation.changeTriggers(t, "_sm_c", when, (key, op) ->
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
        triggers.add(Instrumentation.trigger("_sm_cb_" + t.name(),
                "BEFORE INSERT ON " + Sql.ident(t.name()) + " " + when,
                "UPDATE _sm_state SET replacing = CASE WHEN " + exists + " THEN json_array("
                        + Sql.literal(t.name()) + ", " + key + ") END;"));
        // Each column an UPDATE sets is noted before the row is written, for the AFTER UPDATE trigger (ChangedColumns).
        List<String> columns = t.nonKeyColumns();
        for (int i = 0; i < columns.size(); i++) {
            triggers.add(Instrumentation.trigger("_sm_co" + i + "_" + t.name(),
                    "BEFORE UPDATE OF " + Sql.ident(columns.get(i)) + " ON "
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
    static void upgrade(Connection c, Collection<TableInfo> tables) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String column : List.of("replacing TEXT", "rowids INTEGER", "schema_digest TEXT", "displaced TEXT",
                    "agreed_user_version INTEGER")) {
                if (!Instrumentation.hasColumn(c, "_sm_state", column.substring(0, column.indexOf(' ')))) {
                    s.execute("ALTER TABLE _sm_state ADD COLUMN " + column);
                }
            }
            Instrumentation.execute(c, List.of(WaitingRows.TABLE, RenumberedRows.TABLE, PulledPastCursor.TABLE));
            if (replicaMode(c) == MirrorMode.READ_WRITE) {
                Instrumentation.execute(c, RowidGuard.keepIndexes(tables));
            }
            s.execute(UNCAPTURED_TABLE);
            s.execute(AgreedSchema.TABLE);
            List<String> ddl = new ArrayList<>();
            for (String column : List.of("replaced INTEGER", "deleted INTEGER", "cols TEXT")) {
                if (!Instrumentation.hasColumn(c, "_sm_pending", column.substring(0, column.indexOf(' ')))) {
                    ddl.add("ALTER TABLE _sm_pending ADD COLUMN " + column); // NULL cols: whole rows, as they were
                }
            }
            if (!Instrumentation.hasColumn(c, "_sm_state", "changing")) {
                ddl.add("ALTER TABLE _sm_state ADD COLUMN changing TEXT");
            }
            if (!Instrumentation.hasColumn(c, "_sm_state", "clock_offset")) {
                CLOCK_COLUMNS.forEach(column -> ddl.add("ALTER TABLE _sm_state ADD COLUMN " + column));
                ddl.add(AheadStamps.TABLE);
            }
            if (replicaMode(c) == MirrorMode.READ_WRITE) {
                ddl.addAll(Instrumentation.triggersToMake(c, triggers(tables)));
            }
            if (ddl.isEmpty()) {
                return;
            }
            s.execute("BEGIN IMMEDIATE");
            try {
                Instrumentation.execute(c, ddl);
                s.execute("COMMIT");
            } catch (SQLException e) {
                s.execute("ROLLBACK");
                throw e;
            }
        }
    }

    static void install(Connection c, Collection<TableInfo> tables) throws SQLException {
        List<String> ddl = new ArrayList<>(TABLES);
        ddl.addAll(Instrumentation.triggersToMake(c, triggers(tables)));
        ddl.addAll(RowidGuard.keepIndexes(tables));
        Instrumentation.execute(c, ddl);
    }

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
    static void installReadOnly(Connection c, Iterable<TableInfo> tables, String database) throws SQLException {
        List<String> ddl = new ArrayList<>(TABLES);
        ddl.add("CREATE TABLE IF NOT EXISTS " + READ_ONLY_MARKER + "(note TEXT)");
        String refuse = "SELECT RAISE(ABORT, " + Sql.literal(readOnlyMessage(database)) + ");";
        for (TableInfo t : tables) {
            String table = Sql.ident(t.triggerTable());
            ddl.add(Instrumentation.trigger("_sm_gi_" + t.name(), "BEFORE INSERT ON " + table, refuse));
            ddl.add(Instrumentation.trigger("_sm_gu_" + t.name(), "BEFORE UPDATE ON " + table, refuse));
            ddl.add(Instrumentation.trigger("_sm_gd_" + t.name(), "BEFORE DELETE ON " + table, refuse));
        }
        Instrumentation.execute(c, ddl);
    }

    /** What a replica file was made for, or null when it is not a replica ShareMirror finished making. */
    static MirrorMode replicaMode(Connection c) throws SQLException {
        List<String> tables = Instrumentation.names(c, "table", Instrumentation.OWN);
        if (!tables.containsAll(List.of("_sm_state", "_sm_pending"))) {
            return null;
        }
        return tables.contains(READ_ONLY_MARKER) ? MirrorMode.READ_ONLY : MirrorMode.READ_WRITE;
    }
}
