package io.sharemirror.store.pg;

import io.sharemirror.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * ShareMirror's own objects on a PostgreSQL hub, and what each mirrored table gets (docs/pg-design: the log, the
 * schema in SQLite's text, the column types, the capture of direct writers). All DDL is idempotent and runs under an
 * advisory lock, so agents connecting at once install it once.
 *
 * <p><b>Log order is commit order.</b> Log rows are inserted with {@code seq} NULL; a deferred constraint trigger
 * numbers all of a transaction's rows at its commit, under {@link #LOG_LOCK}, which it holds until the commit is
 * done. A commit is visible before its locks are released, so a reader that sees number N sees every number below it:
 * a transaction that began first but commits later gets a higher number, never one a reader has passed. Readers read
 * only numbered rows. A commit that fails after numbering leaves a gap, which cursors pass over.
 */
public final class PgCatalog {

    /** The channel every commit that numbered log rows, changed the schema mark or reported damage notifies. */
    public static final String CHANNEL = "sharemirror";
    /** The advisory lock held while a commit numbers its log rows. */
    static final long LOG_LOCK = 0x5368_4d4c_6f67L;
    private static final long INSTALL_LOCK = 0x5368_4d49_6e73L;

    private static final List<String> OWN = List.of(
            "CREATE TABLE IF NOT EXISTS _sm_meta(one boolean PRIMARY KEY DEFAULT true CHECK (one),"
                    + " cookie bigint NOT NULL, user_version bigint NOT NULL)",
            // The highest sequence number pruning may have deleted: numbers have gaps, so the oldest entry left
            // cannot tell whether a cursor below it missed anything.
            "ALTER TABLE _sm_meta ADD COLUMN IF NOT EXISTS pruned bigint NOT NULL DEFAULT 0",
            "INSERT INTO _sm_meta(one, cookie, user_version) VALUES (true, 1, 0) ON CONFLICT DO NOTHING",
            "CREATE TABLE IF NOT EXISTS _sm_schema(type text NOT NULL, name text NOT NULL, tbl text NOT NULL,"
                    + " sql text NOT NULL)",
            "CREATE UNIQUE INDEX IF NOT EXISTS _sm_schema_key ON _sm_schema(type, lower(name))",
            "CREATE TABLE IF NOT EXISTS _sm_columns(tbl text NOT NULL, col text NOT NULL, pgtype text NOT NULL,"
                    + " PRIMARY KEY (tbl, col))",
            "CREATE SEQUENCE IF NOT EXISTS _sm_log_seq",
            "CREATE TABLE IF NOT EXISTS _sm_log(id bigserial PRIMARY KEY, seq bigint UNIQUE,"
                    + " txid xid8 NOT NULL DEFAULT pg_current_xact_id(), tbl text NOT NULL, pk text NOT NULL,"
                    + " op text NOT NULL, origin text, ts bigint NOT NULL, cols text)",
            "CREATE INDEX IF NOT EXISTS _sm_log_unnumbered ON _sm_log(txid) WHERE seq IS NULL",
            // BeforeImages: the hub's row before a change found after a migration, under that change's entry
            "CREATE TABLE IF NOT EXISTS _sm_before(id bigint PRIMARY KEY REFERENCES _sm_log(id) ON DELETE CASCADE,"
                    + " row text NOT NULL)",
            "CREATE TABLE IF NOT EXISTS _sm_nodes(node text PRIMARY KEY, last_seq bigint NOT NULL,"
                    + " last_seen bigint NOT NULL)",
            "CREATE TABLE IF NOT EXISTS _sm_damage(at bigint NOT NULL, node text NOT NULL, what text NOT NULL)",
            "CREATE OR REPLACE FUNCTION _sm_now_ms() RETURNS bigint LANGUAGE sql VOLATILE"
                    + " AS 'SELECT round(extract(epoch FROM clock_timestamp()) * 1000)::bigint'",
            "CREATE OR REPLACE FUNCTION _sm_nocase(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE"
                    + " AS 'SELECT translate($1, ''ABCDEFGHIJKLMNOPQRSTUVWXYZ'', ''abcdefghijklmnopqrstuvwxyz'')'",
            "CREATE OR REPLACE FUNCTION _sm_log_number() RETURNS trigger LANGUAGE plpgsql AS " + Sql.literal(
                    "BEGIN"
                    + " IF EXISTS (SELECT 1 FROM _sm_log WHERE id = NEW.id AND seq IS NULL) THEN"
                    + " PERFORM pg_advisory_xact_lock(" + LOG_LOCK + ");"
                    + " UPDATE _sm_log l SET seq = n.seq FROM (SELECT id, nextval('_sm_log_seq') AS seq FROM"
                    + " (SELECT id FROM _sm_log WHERE txid = pg_current_xact_id() AND seq IS NULL ORDER BY id) o) n"
                    + " WHERE l.id = n.id;"
                    + " PERFORM pg_notify(" + Sql.literal(CHANNEL) + ", '');"
                    + " END IF;"
                    + " RETURN NULL;"
                    + " END"),
            // No OR REPLACE for constraint triggers.
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '_sm_log_number'"
                    + " AND tgrelid = '_sm_log'::regclass) THEN CREATE CONSTRAINT TRIGGER _sm_log_number AFTER INSERT"
                    + " ON _sm_log DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION _sm_log_number();"
                    + " END IF; END $$",
            "CREATE OR REPLACE FUNCTION _sm_notify() RETURNS trigger LANGUAGE plpgsql AS"
                    + " " + Sql.literal("BEGIN PERFORM pg_notify(" + Sql.literal(CHANNEL) + ", ''); RETURN NULL; END"),
            "CREATE OR REPLACE TRIGGER _sm_meta_notify AFTER INSERT OR UPDATE ON _sm_meta"
                    + " FOR EACH STATEMENT EXECUTE FUNCTION _sm_notify()",
            "CREATE OR REPLACE TRIGGER _sm_damage_notify AFTER INSERT OR DELETE ON _sm_damage"
                    + " FOR EACH STATEMENT EXECUTE FUNCTION _sm_notify()");

    private PgCatalog() {
    }

    /** Installs or completes ShareMirror's own objects; in a transaction of its own when {@code c} auto-commits. */
    public static void install(Connection c) throws SQLException {
        inTransaction(c, OWN);
    }

    /**
     * Gives one table, already created with its columns as {@link PgTable} says, what the hub needs of it: NOT NULL
     * and a unique index over its key as SQLite compares it, a unique index per UNIQUE constraint, the filler of an
     * integer key left NULL (as SQLite fills a rowid), and the trigger that logs every direct writer's change. Runs in
     * the caller's transaction; refuses (SQLSTATE 0A000) a key type or UNIQUE constraint it cannot keep as SQLite
     * does.
     */
    public static void installTable(Connection c, PgTable t) throws SQLException {
        PgKeys.refuseUnspellable(t);
        List<String> ddl = new ArrayList<>();
        for (String key : t.info().keyColumns()) {
            ddl.add("ALTER TABLE " + t.quoted() + " ALTER COLUMN " + t.quotedColumn(key) + " SET NOT NULL");
        }
        ddl.add("CREATE UNIQUE INDEX IF NOT EXISTS " + Sql.ident("_sm_key_" + t.hash()) + " ON " + t.quoted() + " ("
                + PgKeys.keyExpressions(t) + ")");
        for (PgTable.UniqueColumns u : t.uniques()) {
            ddl.add(uniqueIndex(t, u));
        }
        if (t.info().integerKey()) {
            ddl.addAll(rowidFiller(t));
        }
        ddl.addAll(capture(t));
        execute(c, ddl);
    }

    private static String uniqueIndex(PgTable t, PgTable.UniqueColumns u) throws SQLException {
        if (u.index().where() != null || u.columns().contains(null)) {
            throw new SQLException("the UNIQUE index " + u.index().name() + " of " + t.name() + " is "
                    + (u.index().where() != null ? "partial (WHERE " + u.index().where() + ")" : "over an expression")
                    + ", which the PostgreSQL hub cannot keep yet; make it a UNIQUE over plain columns, or keep the"
                    + " table on a file hub", "0A000");
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < u.columns().size(); i++) {
            items.add(PgKeys.compared(t.quotedColumn(u.columns().get(i)), u.collations().get(i)));
        }
        return "CREATE UNIQUE INDEX IF NOT EXISTS " + Sql.ident("_sm_u_" + t.hash() + "_" + PgTable.hash(
                u.index().name())) + " ON " + t.quoted() + " (" + String.join(", ", items) + ")";
    }

    /**
     * An integer key left NULL gets one above every key, as SQLite gives a rowid. First the push lock (PgPush), held
     * to the writer's commit: a push's uncommitted rows are invisible to max(), so without it the key given could be
     * one a push is writing (seen in benchmark B11: 7-15 % of such inserts failed on a duplicate key); and two such
     * writers queue, each seeing the other's row. A writer that names its key never waits for it.
     */
    private static List<String> rowidFiller(PgTable t) {
        String name = Sql.ident("_sm_r_" + t.hash());
        String key = t.quotedColumn(t.info().keyColumns().get(0));
        return List.of("CREATE OR REPLACE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS " + Sql.literal(
                        "BEGIN IF NEW." + key + " IS NULL THEN LOCK TABLE _sm_nodes IN SHARE ROW EXCLUSIVE MODE;"
                        + " NEW." + key + " := coalesce((SELECT max(" + key + ") FROM " + t.quoted() + "), 0) + 1;"
                        + " END IF; RETURN NEW; END"),
                "CREATE OR REPLACE TRIGGER " + name + " BEFORE INSERT ON " + t.quoted() + " FOR EACH ROW EXECUTE"
                        + " FUNCTION " + name + "()");
    }

    /**
     * Logs a direct writer's change as the file hub's triggers do (HubLog): whole rows, origin NULL, the server's
     * clock; an update that changed the key logs the old key deleted, then the new one. A push sets
     * {@code sharemirror.node} for its transaction and logs its rows itself.
     */
    private static List<String> capture(PgTable t) {
        String name = Sql.ident("_sm_h_" + t.hash());
        String table = Sql.literal(t.name());
        String keyChanged = t.info().keyColumns().stream()
                .map(k -> "OLD." + t.quotedColumn(k) + " IS DISTINCT FROM NEW." + t.quotedColumn(k))
                .collect(Collectors.joining(" OR "));
        String log = "INSERT INTO _sm_log(tbl, pk, op, origin, ts) VALUES (" + table + ", ";
        String body = "BEGIN"
                + " IF coalesce(current_setting('sharemirror.node', true), '') <> '' THEN RETURN NULL; END IF;"
                + " IF TG_OP = 'DELETE' THEN " + log + PgKeys.keyText(t, "OLD.") + ", 'D', NULL, _sm_now_ms());"
                + " ELSIF TG_OP = 'INSERT' THEN " + log + PgKeys.keyText(t, "NEW.") + ", 'I', NULL, _sm_now_ms());"
                + " ELSE"
                + " IF " + keyChanged + " THEN " + log + PgKeys.keyText(t, "OLD.") + ", 'D', NULL, _sm_now_ms());"
                + " END IF;"
                + " " + log + PgKeys.keyText(t, "NEW.") + ", 'U', NULL, _sm_now_ms());"
                + " END IF;"
                + " RETURN NULL;"
                + " END";
        // TRUNCATE fires no row trigger: every row it removes is logged deleted before it (SQLite has no TRUNCATE).
        String truncated = Sql.ident("_sm_t_" + t.hash());
        String truncateBody = "BEGIN"
                + " IF coalesce(current_setting('sharemirror.node', true), '') = '' THEN"
                + " INSERT INTO _sm_log(tbl, pk, op, origin, ts) SELECT " + table + ", " + PgKeys.keyText(t, "")
                + ", 'D', NULL, _sm_now_ms() FROM " + t.quoted() + ";"
                + " END IF;"
                + " RETURN NULL;"
                + " END";
        return List.of("CREATE OR REPLACE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS "
                        + Sql.literal(body),
                "CREATE OR REPLACE TRIGGER " + name + " AFTER INSERT OR UPDATE OR DELETE ON " + t.quoted()
                        + " FOR EACH ROW EXECUTE FUNCTION " + name + "()",
                "CREATE OR REPLACE FUNCTION " + truncated + "() RETURNS trigger LANGUAGE plpgsql AS "
                        + Sql.literal(truncateBody),
                "CREATE OR REPLACE TRIGGER " + truncated + " BEFORE TRUNCATE ON " + t.quoted()
                        + " FOR EACH STATEMENT EXECUTE FUNCTION " + truncated + "()");
    }

    private static void inTransaction(Connection c, List<String> ddl) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            execute(c, List.of("SELECT pg_advisory_xact_lock(" + INSTALL_LOCK + ")"));
            execute(c, ddl);
            if (autoCommit) {
                c.commit();
            }
        } catch (SQLException | RuntimeException e) {
            if (autoCommit) {
                c.rollback();
            }
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static void execute(Connection c, List<String> ddl) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : ddl) {
                s.execute(sql);
            }
        }
    }
}
