package io.sharemirror.store;

import io.sharemirror.sync.HubSchema;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.Retry;
import io.sharemirror.sync.Row;
import io.sharemirror.sync.SchemaObject;
import io.sharemirror.sync.SchemaStep;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The SQLite hub's schema verbs, on its kept-open connection: its definitions from {@code sqlite_master}, its changes
 * made with {@link DdlReplay} and its log triggers ({@link HubSchemaPush}). Errors are named as the schema check's.
 */
final class SqliteHubSchema implements HubSchema {

    private final SqliteHub hub;
    private final Connection hc;
    private final Predicate<String> mirrored;
    private final String database;
    private final Retry retry;
    /** The tables as {@link #tables()} last read them, for {@link #syncTablesExcept}. */
    private Map<String, TableInfo> lastRead = Map.of();

    SqliteHubSchema(SqliteHub hub, Predicate<String> mirrored, String database, Retry retry) {
        this.hub = hub;
        this.hc = hub.rows().connection();
        this.mirrored = mirrored;
        this.database = database;
        this.retry = retry;
    }

    @Override
    public long instrument() {
        return matching(() -> HubLog.installMissing(hc, retry, database, hub.location));
    }

    /** One read transaction: a dozen fewer than the whole check, when this is all that is needed. */
    @Override
    public Version version() {
        return hub.within("reading the hub's schema", () -> new Version(
                Long.parseLong(SingleValue.of(hc, "PRAGMA schema_version")), UserVersion.of(hc),
                SchemaDigest.of(hc),
                RowidGuard.largestCanaryRowid(hc)));
    }

    @Override
    public Map<String, SchemaObject> definitions() {
        return matching(() -> SchemaObjects.read(hc, mirrored));
    }

    @Override
    public Map<String, Table> tables() {
        lastRead = matching(() -> Schema.read(hc, mirrored));
        Map<String, Table> tables = new TreeMap<>();
        lastRead.forEach((name, t) -> tables.put(name, t.asHubTable()));
        return tables;
    }

    @Override
    public Map<Key, Row> rows(String table, List<String> columns) {
        return matching(() -> {
            TableInfo t = Schema.read(hc, n -> n.equalsIgnoreCase(table)).get(table);
            Map<Key, Row> rows = new LinkedHashMap<>();
            SchemaRows.byKey(hc, t, columns).forEach((pk, values) -> rows.put(new Key(t.name(), pk),
                    new Row(columns, values)));
            return rows;
        });
    }

    @Override
    public Map<String, List<LocalChange>> apply(List<SchemaStep> steps, Map<String, SchemaObject> source, String node,
                                                long userVersion) {
        Map<String, List<LocalChange>> refused = new LinkedHashMap<>();
        return matching(() -> {
            HubSchemaPush.push(hc, steps, source, node, refused, userVersion);
            return refused;
        });
    }

    @Override
    public void followRenames(List<SchemaStep> renames, String node) {
        matching(() -> {
            HubSchemaPush.relogRenamedOnHub(hc, renames, node);
            return null;
        });
    }

    @Override
    public void syncTablesExcept(Set<String> leftOut) {
        Map<String, TableInfo> kept = new TreeMap<>(lastRead);
        kept.keySet().removeAll(leftOut);
        hub.rows().tables(kept);
        hub.rows().forgetStatements();
    }

    private static <T> T matching(HubReads.SqlWork<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw SqliteErrors.classify(SchemaSync.WHAT, e);
        }
    }
}
