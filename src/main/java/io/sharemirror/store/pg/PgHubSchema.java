package io.sharemirror.store.pg;

import io.sharemirror.store.SchemaDigest;
import io.sharemirror.store.Sql;
import io.sharemirror.sync.HubSchema;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.Row;
import io.sharemirror.sync.SchemaObject;
import io.sharemirror.sync.SchemaStep;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A PostgreSQL hub's schema verbs (ARCHITECTURE.md#schema-changes), on the hub's connection. The hub's schema truth is
 * {@code _sm_schema}: the application's objects as SQLite text, which only agents write ({@link #apply}), with the
 * cookie and the application's schema number in {@code _sm_meta}. A table's {@link SchemaObject#root()} is its
 * PostgreSQL oid, which a RENAME keeps and a DROP and CREATE does not, so a rename made through this hub reads as one
 * on every replica. Errors are named as the schema check's.
 */
public final class PgHubSchema implements HubSchema {

    /** What an error here says was being done (as {@code store.SchemaSync.WHAT}). */
    private static final String WHAT = "matching the replica's tables to the hub's";

    private final Connection pg;
    private final Predicate<String> mirrored;
    private final Consumer<Map<String, PgTable>> syncTables;
    /** The tables as {@link #tables()} last read them, for {@link #syncTablesExcept}. */
    private Map<String, PgTable> lastRead = Map.of();

    /**
     * @param pg the hub's connection, with no transaction open between verbs
     * @param syncTables hears which tables the hub's reads and pushes know from now on
     */
    public PgHubSchema(Connection pg, Predicate<String> mirrored, Consumer<Map<String, PgTable>> syncTables) {
        this.pg = pg;
        this.mirrored = mirrored;
        this.syncTables = syncTables;
    }

    /** ShareMirror's own objects and every table's, made where missing. */
    @Override
    public long instrument() {
        return transaction(false, () -> {
            PgCatalog.install(pg);
            for (PgTable t : PgTables.read(pg, t -> true).values()) {
                PgCatalog.installTable(pg, t);
            }
            return version(pg).cookie();
        });
    }

    @Override
    public Version version() {
        return transaction(true, () -> version(pg));
    }

    @Override
    public Map<String, SchemaObject> definitions() {
        return transaction(true, () -> {
            Map<String, SchemaObject> objects = new TreeMap<>();
            try (Statement s = pg.createStatement(); ResultSet r = s.executeQuery("SELECT type, name, tbl, sql,"
                    + " CASE WHEN type = 'table' THEN coalesce(to_regclass(quote_ident(name))::oid::bigint, 0)"
                    + " ELSE 0 END FROM _sm_schema")) {
                while (r.next()) {
                    SchemaObject d = new SchemaObject(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                            r.getLong(5));
                    if (mirrored.test(d.table())) {
                        objects.put(d.key(), d);
                    }
                }
            }
            return objects;
        });
    }

    @Override
    public Map<String, Table> tables() {
        Map<String, PgTable> read = transaction(true, () -> PgTables.read(pg, mirrored));
        lastRead = read;
        Map<String, Table> tables = new TreeMap<>();
        read.forEach((name, t) -> tables.put(name, new Table(name, t.info().columns(), t.info().keyColumns(),
                t.info().keyless())));
        return tables;
    }

    @Override
    public Map<Key, Row> rows(String table, List<String> columns) {
        return transaction(true, () -> {
            PgTable t = PgTables.read(pg, table::equalsIgnoreCase).values().stream().findFirst()
                    .orElseThrow(() -> new SQLException("the hub has no table " + table));
            List<String> named = new ArrayList<>();
            for (String column : columns) {
                named.add(t.info().columns().stream().filter(column::equalsIgnoreCase).findFirst()
                        .orElseThrow(() -> new SQLException("table " + table + " on the hub has no column " + column)));
            }
            Map<Key, Row> rows = new LinkedHashMap<>();
            try (PreparedStatement s = pg.prepareStatement("SELECT " + PgKeys.keyText(t, "") + ", "
                    + Sql.idents(named.stream().map(t::column).toList()) + " FROM " + Sql.ident(t.name()))) {
                s.setFetchSize(1_000);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        List<Object> values = new ArrayList<>(named.size());
                        for (int i = 0; i < named.size(); i++) {
                            values.add(PgValues.read(r, i + 2, t.type(named.get(i))).toRowValue());
                        }
                        rows.put(new Key(t.name(), r.getString(1)), new Row(columns, values));
                    }
                }
            }
            return rows;
        });
    }

    /**
     * In one transaction that holds the push lock, with direct writers' capture skipped: the steps, each made by
     * {@link PgSchemaChange}; the cookie moved and the schema number set.
     */
    @Override
    public Map<String, List<LocalChange>> apply(List<SchemaStep> steps, Map<String, SchemaObject> source, String node,
                                                long userVersion) {
        return transaction(false, () -> {
            // The push's lock (PgPush), so pushes and schema changes go one at a time.
            try (Statement s = pg.createStatement()) {
                s.execute("LOCK TABLE _sm_nodes IN SHARE ROW EXCLUSIVE MODE");
            }
            try (PreparedStatement s = pg.prepareStatement("SELECT set_config('sharemirror.node', ?, true)")) {
                s.setString(1, node);
                s.executeQuery().close();
            }
            Map<String, List<LocalChange>> dropped = new LinkedHashMap<>();
            try (PgSchemaModel model = PgSchemaModel.read(pg)) {
                PgSchemaChange change = new PgSchemaChange(pg, model, source, node, dropped);
                for (SchemaStep step : steps) {
                    change.make(step);
                }
            }
            try (PreparedStatement s = pg.prepareStatement("UPDATE _sm_meta SET cookie = cookie + 1,"
                    + " user_version = ?")) {
                s.setLong(1, userVersion);
                s.executeUpdate();
            }
            return dropped;
        });
    }

    /**
     * Nothing to follow here. On an SQLite hub a program without ShareMirror may rename a table, and its log
     * triggers keep logging the old name until an agent sees it. On this hub the definitions are {@code _sm_schema},
     * which only agents write, and an agent's rename ({@link #apply}) already logged every row again under the new name
     * in the same transaction; a table renamed on PostgreSQL by hand is not seen as renamed at all (its definition
     * still names the old table, whose reads then fail naming it).
     */
    @Override
    public void followRenames(List<SchemaStep> renames, String node) {
    }

    @Override
    public void syncTablesExcept(Set<String> leftOut) {
        Map<String, PgTable> kept = new TreeMap<>(lastRead);
        kept.keySet().removeAll(leftOut);
        syncTables.accept(kept);
    }

    private static Version version(Connection pg) throws SQLException {
        long cookie;
        long userVersion;
        try (Statement s = pg.createStatement(); ResultSet r = s.executeQuery("SELECT cookie, user_version"
                + " FROM _sm_meta")) {
            r.next();
            cookie = r.getLong(1);
            userVersion = r.getLong(2);
        }
        try (Statement s = pg.createStatement(); ResultSet r = s.executeQuery("SELECT type, name, tbl, sql"
                + " FROM _sm_schema ORDER BY type COLLATE \"C\", name COLLATE \"C\"")) {
            return new Version(cookie, userVersion, SchemaDigest.of(r), null);
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException;
    }

    /**
     * One transaction, REPEATABLE READ READ ONLY for reads, so what a verb reads is one snapshot; the connection is
     * left in the commit mode it had.
     */
    private <T> T transaction(boolean readOnly, Work<T> work) {
        try {
            boolean autoCommit = pg.getAutoCommit();
            pg.setAutoCommit(false);
            try {
                if (readOnly) {
                    try (Statement s = pg.createStatement()) {
                        s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                    }
                }
                T result = work.run();
                pg.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                pg.rollback();
                throw e;
            } finally {
                pg.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw PgFailures.classify(WHAT, e);
        }
    }
}
