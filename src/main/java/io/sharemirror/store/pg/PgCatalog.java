package io.sharemirror.store.pg;

import io.sharemirror.store.Sql;
import io.sharemirror.store.UniqueIndex;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ShareMirror's own objects on a PostgreSQL hub (pg-design.md), and each mirrored table's.
 *
 * <p>MERGE: a stand-in for the core's {@code PgCatalog} (branch pgcore), replaced by it whole. It makes the design's own
 * tables and log numbering so the schema side can be tested, and of a table only its key and UNIQUE indexes of plain
 * columns; the core's also makes the rowid filler and the capture trigger. The schema side relies on three verbs:
 * {@link #install}, {@link #installTable} (idempotent; makes the table's UNIQUE indexes exactly as {@code PgTable}
 * says, dropping those it no longer has) and {@link #uninstallTable} (before a table is dropped or renamed).
 */
public final class PgCatalog {

    /** A column name as a UNIQUE constraint's item names it, with its collation. */
    private static final Pattern PLAIN_ITEM = Pattern.compile(
            "(?:\"((?:[^\"]|\"\")+)\"|\\[([^\\]]+)]|`([^`]+)`|(\\w+))(?:\\s+COLLATE\\s+\"?(\\w+)\"?)?",
            Pattern.CASE_INSENSITIVE);

    /** The advisory lock a push holds for its whole transaction, so pushes and schema changes go one at a time. */
    public static final long PUSH_LOCK = 1836412002;

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
                "CREATE OR REPLACE FUNCTION _sm_now_ms() RETURNS bigint LANGUAGE sql VOLATILE"
                        + " AS $$SELECT round(extract(epoch FROM clock_timestamp()) * 1000)::bigint$$",
                "CREATE OR REPLACE FUNCTION _sm_nocase(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT"
                        + " AS $$SELECT translate($1, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')$$",
                "CREATE OR REPLACE FUNCTION _sm_log_number() RETURNS trigger LANGUAGE plpgsql AS $$"
                        + " DECLARE r record; BEGIN"
                        + " IF (SELECT seq FROM _sm_log WHERE id = NEW.id) IS NULL THEN"
                        + " PERFORM pg_advisory_xact_lock(1836412001);"
                        + " FOR r IN SELECT id FROM _sm_log WHERE txid = pg_current_xact_id() AND seq IS NULL"
                        + " ORDER BY id LOOP UPDATE _sm_log SET seq = nextval('_sm_log_seq') WHERE id = r.id; END LOOP;"
                        + " PERFORM pg_notify('sharemirror', ''); END IF; RETURN NULL; END $$",
                "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '_sm_log_number') THEN"
                        + " CREATE CONSTRAINT TRIGGER _sm_log_number AFTER INSERT ON _sm_log DEFERRABLE INITIALLY"
                        + " DEFERRED FOR EACH ROW EXECUTE FUNCTION _sm_log_number(); END IF; END $$"));
    }

    /** The table's own objects, made where missing; its UNIQUE indexes made exactly as {@code t} has them. */
    public static void installTable(Connection c, PgTable t) throws SQLException {
        String h = hash(t.name());
        String table = Sql.ident(t.name());
        List<String> ddl = new ArrayList<>();
        List<String> key = new ArrayList<>();
        for (int i = 0; i < t.info().keyColumns().size(); i++) {
            key.add(PgKeys.keyExpression(t, i));
        }
        ddl.add("CREATE UNIQUE INDEX IF NOT EXISTS " + Sql.ident("_sm_key_" + h) + " ON " + table + " ("
                + String.join(", ", key) + ")");
        ddl.add("DO $$ DECLARE i text; BEGIN FOR i IN SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"
                + " AND indexname LIKE " + Sql.literal("\\_sm\\_u\\_" + h + "\\_%") + " LOOP"
                + " EXECUTE 'DROP INDEX ' || quote_ident(i); END LOOP; END $$");
        List<UniqueIndex> uniques = t.info().uniques();
        for (int u = 0; u < uniques.size(); u++) {
            List<String> items = new ArrayList<>();
            for (String item : uniques.get(u).items()) {
                Matcher m = PLAIN_ITEM.matcher(item.strip());
                if (!m.matches()) {
                    items = null; // an expression: the core translates these
                    break;
                }
                String name = m.group(1) != null ? m.group(1).replace("\"\"", "\"")
                        : m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4);
                String column = Sql.ident(name);
                String collation = m.group(5) == null ? "BINARY" : m.group(5).toUpperCase(java.util.Locale.ROOT);
                items.add(collation.equals("NOCASE") ? "_sm_nocase(" + column + ")"
                        : collation.equals("RTRIM") ? "rtrim(" + column + ", ' ')" : column);
            }
            if (items != null && uniques.get(u).where() == null) {
                ddl.add("CREATE UNIQUE INDEX " + Sql.ident("_sm_u_" + h + "_" + u) + " ON " + table + " ("
                        + String.join(", ", items) + ")");
            }
        }
        execute(c, ddl);
    }

    /** Drops the table's own objects that carry its name, before the table is dropped or renamed. */
    public static void uninstallTable(Connection c, String table) throws SQLException {
        String h = hash(table);
        execute(c, List.of("DO $$ DECLARE i text; BEGIN FOR i IN SELECT indexname FROM pg_indexes"
                + " WHERE schemaname = 'public' AND (indexname = " + Sql.literal("_sm_key_" + h)
                + " OR indexname LIKE " + Sql.literal("\\_sm\\_u\\_" + h + "\\_%") + ") LOOP"
                + " EXECUTE 'DROP INDEX ' || quote_ident(i); END LOOP; END $$"));
    }

    /** The first 12 hex digits of the SHA-256 of a table's name: its own objects' names stay within 63 bytes. */
    public static String hash(String table) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(table.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
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
