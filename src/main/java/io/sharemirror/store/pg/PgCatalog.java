package io.sharemirror.store.pg;

import io.sharemirror.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * ShareMirror's own objects on a PostgreSQL hub (pg-design.md), and each mirrored table's.
 *
 * <p>MERGE: a stand-in with the signatures of the core's {@code PgCatalog} (branch pgcore), replaced by it whole. It
 * makes the design's own tables and the log numbered at commit, so the schema side can be tested, and of a table its
 * key and UNIQUE indexes; the core's also makes the rowid filler and the capture trigger.
 */
public final class PgCatalog {

    private PgCatalog() {
    }

    /** ShareMirror's own tables, sequence and functions, made where missing. */
    public static void install(Connection c) throws SQLException {
        execute(c, List.of(
                "CREATE TABLE IF NOT EXISTS _sm_meta(one boolean PRIMARY KEY DEFAULT true CHECK (one),"
                        + " cookie bigint NOT NULL, user_version bigint NOT NULL)",
                "INSERT INTO _sm_meta VALUES (true, 1, 0) ON CONFLICT DO NOTHING",
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
                "CREATE TABLE IF NOT EXISTS _sm_nodes(node text PRIMARY KEY, last_seq bigint NOT NULL,"
                        + " last_seen bigint NOT NULL)",
                "CREATE TABLE IF NOT EXISTS _sm_damage(at bigint NOT NULL, node text NOT NULL, what text NOT NULL)",
                "CREATE OR REPLACE FUNCTION _sm_nocase(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT"
                        + " AS $$SELECT translate($1, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')$$",
                "CREATE OR REPLACE FUNCTION _sm_log_number() RETURNS trigger LANGUAGE plpgsql AS $$"
                        + " DECLARE r record; BEGIN"
                        + " IF (SELECT seq FROM _sm_log WHERE id = NEW.id) IS NULL THEN"
                        + " PERFORM pg_advisory_xact_lock(1836412001);"
                        + " FOR r IN SELECT id FROM _sm_log WHERE txid = pg_current_xact_id() AND seq IS NULL"
                        + " ORDER BY id LOOP UPDATE _sm_log SET seq = nextval('_sm_log_seq') WHERE id = r.id; END LOOP;"
                        + " END IF; RETURN NULL; END $$",
                "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '_sm_log_number') THEN"
                        + " CREATE CONSTRAINT TRIGGER _sm_log_number AFTER INSERT ON _sm_log DEFERRABLE INITIALLY"
                        + " DEFERRED FOR EACH ROW EXECUTE FUNCTION _sm_log_number(); END IF; END $$"));
    }

    /** The table's key index and an index per UNIQUE constraint of plain columns, in the caller's transaction. */
    public static void installTable(Connection c, PgTable t) throws SQLException {
        List<String> ddl = new ArrayList<>();
        ddl.add("CREATE UNIQUE INDEX IF NOT EXISTS " + Sql.ident("_sm_key_" + t.hash()) + " ON " + t.quoted() + " ("
                + PgKeys.keyExpressions(t) + ")");
        for (PgTable.UniqueColumns u : t.uniques()) {
            if (u.index().where() == null && !u.columns().contains(null)) {
                List<String> items = new ArrayList<>();
                for (int i = 0; i < u.columns().size(); i++) {
                    items.add(PgKeys.compared(t.quotedColumn(u.columns().get(i)), u.collations().get(i)));
                }
                ddl.add("CREATE UNIQUE INDEX IF NOT EXISTS " + Sql.ident("_sm_u_" + t.hash() + "_"
                        + PgTable.hash(u.index().name())) + " ON " + t.quoted() + " (" + String.join(", ", items) + ")");
            }
        }
        execute(c, ddl);
    }

    private static void execute(Connection c, List<String> ddl) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : ddl) {
                s.execute(sql);
            }
        }
    }
}
