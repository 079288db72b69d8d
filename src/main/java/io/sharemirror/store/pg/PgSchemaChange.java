package io.sharemirror.store.pg;

import io.sharemirror.store.DdlReplay;
import io.sharemirror.store.HubSchemaPush;
import io.sharemirror.store.Schema;
import io.sharemirror.store.SchemaRows;
import io.sharemirror.store.Sql;
import io.sharemirror.store.TableInfo;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.SchemaObject;
import io.sharemirror.sync.SchemaStep;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Makes schema steps on a PostgreSQL hub inside the caller's transaction ({@link PgHubSchema#apply}). Each step is first
 * made by SQLite on the hub's definitions ({@link PgSchemaModel}, with {@code store.DdlReplay}, as on a replica), which
 * then become {@code _sm_schema}; the tables follow on PostgreSQL: made, dropped, renamed in place when nothing else
 * changed, columns added in place when existing rows just get NULL; any other change of a table (a type, a constraint,
 * a dropped column: SQLite's rebuild) runs on the table's rows in a scratch SQLite with the same {@code DdlReplay}, so
 * every value and every row left out is what each replica's SQLite makes of it, and the result becomes the new
 * PostgreSQL table with types chosen for its values. Indexes, views and triggers are SQLite text only, but a UNIQUE
 * index is also PostgreSQL's ({@link PgCatalog#installTable}). As on an SQLite hub, what a rebuild did to rows is not
 * logged (replicas make the same change and copy the table in); a renamed table's rows are logged again under its new
 * name.
 */
final class PgSchemaChange {

    /** ShareMirror's own objects of a table: every one's name starts so (pg-design.md). */
    private static final String OWN = "\\_sm\\_%";
    /** Its UNIQUE indexes. */
    private static final String UNIQUES = "\\_sm\\_u\\_%";

    /** A CHECK among added column definitions: SQLite tests it on the rows there are, so they must go through it. */
    private static final Pattern CHECK = Pattern.compile("\\bCHECK\\b", Pattern.CASE_INSENSITIVE);

    private final Connection pg;
    private final PgSchemaModel model;
    private final Map<String, SchemaObject> source;
    private final String node;
    private final Map<String, List<LocalChange>> dropped;

    /** {@code dropped} gathers the hub's rows a changed definition left out, under the sentence that says why. */
    PgSchemaChange(Connection pg, PgSchemaModel model, Map<String, SchemaObject> source, String node,
                   Map<String, List<LocalChange>> dropped) {
        this.pg = pg;
        this.model = model;
        this.source = source;
        this.node = node;
        this.dropped = dropped;
    }

    void make(SchemaStep step) throws SQLException {
        Map<String, PgTable> before = PgTables.read(pg, t -> true);
        List<SchemaObject> definitionsBefore = PgSchemaModel.definitions(pg);
        DdlReplay.apply(model.sqlite(), step, source);
        model.writeBack(pg);
        SchemaObject from = step.from();
        SchemaObject into = step.into();
        boolean table = (into != null ? into : from).isTable();
        if (table && step.kind() == SchemaStep.Kind.CREATE) {
            PgTableDdl.of(model.sqlite(), into.name(), Map.of()).create(pg);
        } else if (table && step.kind() == SchemaStep.Kind.DROP) {
            dropTable(from.name());
        } else if (table) {
            PgTable was = before.get(from.name());
            boolean renamed = step.kind() == SchemaStep.Kind.RENAME;
            if (renamed && renamedOnly(from, into)) {
                uninstall(from.name(), OWN); // their names and the capture's logged name are the old name's
                execute("ALTER TABLE " + Sql.ident(from.name()) + " RENAME TO " + Sql.ident(into.name()));
                execute("UPDATE _sm_columns SET tbl = " + Sql.literal(into.name()) + " WHERE tbl = "
                        + Sql.literal(from.name()));
                PgCatalog.installTable(pg, tableNow(into.name()));
            } else if (!renamed && addsNullColumnsOnly(from, into, was)) {
                addColumns(was);
            } else {
                rebuild(step, was, definitionsBefore);
            }
            if (renamed) {
                relog(tableNow(into.name()));
            }
        } else if ((into != null ? into : from).type().equals("index")) {
            PgTable owner = tableNow((into != null ? into : from).table());
            if (owner != null) { // its UNIQUE indexes made again as they are now
                uninstall(owner.name(), UNIQUES);
                PgCatalog.installTable(pg, owner);
            }
        }
    }

    private PgTable tableNow(String name) throws SQLException {
        return PgTables.read(pg, name::equals).get(name);
    }

    /**
     * Drops the table's own indexes and triggers, with the triggers' functions, whose names are {@code LIKE} the
     * pattern: before the table is dropped (its functions would stay) or renamed (their names and the capture's
     * logged name are the old name's), and its UNIQUE indexes when an index changed.
     */
    private void uninstall(String table, String like) throws SQLException {
        List<String> ddl = new ArrayList<>();
        try (PreparedStatement s = pg.prepareStatement("SELECT 'DROP INDEX ' || quote_ident(c.relname) FROM pg_index i"
                + " JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = to_regclass(quote_ident(?))"
                + " AND c.relname LIKE ? UNION ALL SELECT 'DROP TRIGGER ' || quote_ident(tgname) || ' ON '"
                + " || quote_ident(?) || '; DROP FUNCTION ' || tgfoid::regprocedure FROM pg_trigger"
                + " WHERE tgrelid = to_regclass(quote_ident(?)) AND NOT tgisinternal AND tgname LIKE ?")) {
            s.setString(1, table);
            s.setString(2, like);
            s.setString(3, table);
            s.setString(4, table);
            s.setString(5, like);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ddl.add(r.getString(1));
                }
            }
        }
        for (String sql : ddl) {
            execute(sql);
        }
    }

    private void dropTable(String name) throws SQLException {
        uninstall(name, OWN);
        execute("DROP TABLE " + Sql.ident(name));
        execute("DELETE FROM _sm_columns WHERE tbl = " + Sql.literal(name));
        execute("DELETE FROM _sm_schema WHERE type = 'table' AND name = " + Sql.literal(name));
    }

    /** Whether SQLite's RENAME alone turns {@code from} into {@code into}, as DdlReplay finds before it alters more. */
    private static boolean renamedOnly(SchemaObject from, SchemaObject into) throws SQLException {
        try (Connection scratch = DriverManager.getConnection("jdbc:sqlite::memory:");
             Statement s = scratch.createStatement()) {
            s.execute(from.sql());
            s.execute("ALTER TABLE " + Sql.ident(from.name()) + " RENAME TO " + Sql.ident(into.name()));
            try (ResultSet r = s.executeQuery("SELECT sql FROM sqlite_master WHERE type = 'table'")) {
                return into.sql().equals(r.getString(1));
            }
        }
    }

    /**
     * Whether the change only appends columns that SQLite adds in place giving every row NULL: no default, no NOT
     * NULL, no CHECK (SQLite tests that on the rows, and rebuilds when one fails).
     */
    private boolean addsNullColumnsOnly(SchemaObject from, SchemaObject into, PgTable was) throws SQLException {
        String alter = "ALTER TABLE " + Sql.ident(from.name()) + " ADD COLUMN ";
        List<String> inPlace = DdlReplay.inPlace(from, into);
        if (inPlace.isEmpty() || !inPlace.stream().allMatch(sql -> sql.startsWith(alter))
                || inPlace.stream().anyMatch(sql -> CHECK.matcher(sql).find())) {
            return false;
        }
        TableInfo now = model.tables().get(into.name());
        if (!now.columns().subList(0, was.info().columns().size()).equals(was.info().columns())) {
            return false;
        }
        try (PreparedStatement s = model.sqlite().prepareStatement("SELECT count(*) FROM pragma_table_xinfo(?)"
                + " WHERE hidden = 0 AND cid >= ? AND (dflt_value IS NOT NULL OR \"notnull\")")) {
            s.setString(1, into.name());
            s.setInt(2, was.info().columns().size() - (was.info().keyless() ? 1 : 0));
            try (ResultSet r = s.executeQuery()) {
                return r.getInt(1) == 0;
            }
        }
    }

    private void addColumns(PgTable was) throws SQLException {
        PgTableDdl now = PgTableDdl.of(model.sqlite(), was.name(), Map.of());
        Map<String, PgType> types = new LinkedHashMap<>(was.types());
        for (String column : now.info().columns()) {
            if (!was.info().columns().contains(column)) {
                execute("ALTER TABLE " + Sql.ident(was.name()) + " ADD COLUMN " + Sql.ident(column) + " "
                        + now.type(column).sql());
                types.put(column, now.type(column));
            }
        }
        PgTableDdl.recordColumns(pg, now.info(), types);
        PgCatalog.installTable(pg, tableNow(was.name()));
    }

    /**
     * The step made on the table's rows by SQLite in a scratch database (the old table with its indexes, then
     * DdlReplay), and what it holds then made the new PostgreSQL table. A temporary file, not memory: SQLite deletes it
     * on close, and a large table spills there.
     */
    private void rebuild(SchemaStep step, PgTable was, List<SchemaObject> definitionsBefore) throws SQLException {
        try (Connection scratch = DriverManager.getConnection("jdbc:sqlite:")) {
            List<SchemaObject> old = new ArrayList<>(definitionsBefore.stream().filter(d -> d.table()
                    .equalsIgnoreCase(was.name()) && (d.isTable() || d.type().equals("index"))).toList());
            PgSchemaModel.make(scratch, old);
            try (SqliteExact.Inserter insert = new SqliteExact.Inserter(scratch, was.name(), was.info().columns())) {
                WholeTable.read(pg, was, insert::insert);
            }
            TableInfo oldInfo = Schema.read(scratch, was.name()::equals).get(was.name());
            List<LocalChange> rows = step.kind() == SchemaStep.Kind.ALTER ? SchemaRows.all(scratch, oldInfo) : List.of();
            DdlReplay.apply(scratch, step, source);
            List<LocalChange> left = rows.isEmpty() ? List.of() : SchemaRows.missing(scratch, rows);
            if (!left.isEmpty()) {
                dropped.put(HubSchemaPush.droppedRows(was.name(), step.into().sql()), left);
            }
            String name = step.into().name();
            TableInfo now = Schema.read(scratch, name::equals).get(name);
            List<List<SqliteValue>> kept = SqliteExact.rows(scratch, now);
            Map<String, List<SqliteValue>> present = new LinkedHashMap<>();
            for (int i = 0; i < now.columns().size(); i++) {
                present.put(now.columns().get(i), SqliteExact.column(kept, i));
            }
            dropTable(was.name());
            WholeTable.write(pg, PgTableDdl.of(scratch, name, present).create(pg), kept);
        }
    }

    /**
     * Every row of a renamed table logged again under its new name, stamped with time 0, as on an SQLite hub: the
     * entries under the old name name no table any more, and a change still pending anywhere is newer.
     */
    private void relog(PgTable t) throws SQLException {
        try (PreparedStatement s = pg.prepareStatement("INSERT INTO _sm_log(tbl, pk, op, origin, ts) SELECT ?, "
                + PgKeys.keyText(t, "") + ", 'U', ?, 0 FROM " + Sql.ident(t.name()))) {
            s.setString(1, t.name());
            s.setString(2, node);
            s.executeUpdate();
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = pg.createStatement()) {
            s.execute(sql);
        }
    }
}
