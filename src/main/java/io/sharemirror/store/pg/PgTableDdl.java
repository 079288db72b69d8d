package io.sharemirror.store.pg;

import io.sharemirror.store.Schema;
import io.sharemirror.store.Sql;
import io.sharemirror.store.TableInfo;
import java.nio.charset.StandardCharsets;
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

/**
 * A SQLite table as the PostgreSQL hub holds it (pg-design.md): the same names, always quoted; each column of the type
 * {@link PgValues#typeFor} gives its declared type and the values present; NOT NULL on the key columns; and for a table
 * without a declared key, {@code _sm_rowid bigint NOT NULL} holding SQLite's rowid. Only what identifies rows and what
 * values are is carried: CHECK, FOREIGN KEY, DEFAULT and other NOT NULL stay SQLite text in {@code _sm_schema}, which
 * the replicas enforce. The definition is read by SQLite itself ({@link Schema#read}), never parsed here. What phase 1
 * cannot carry is refused ({@link PgTableRefused}): a virtual table, a name PostgreSQL cannot take, a key column that is
 * not an integer, text or BLOB. A WITHOUT ROWID table declares its key, so it is an ordinary table here.
 */
public final class PgTableDdl {

    /** PostgreSQL's longest name, in bytes (NAMEDATALEN - 1); a longer one would be cut, silently. */
    private static final int LONGEST_NAME = 63;

    private final TableInfo info;
    /** By TableInfo column (the rowid too). */
    private final Map<String, PgType> types;
    private final String definition;

    private PgTableDdl(TableInfo info, Map<String, PgType> types, String definition) {
        this.info = info;
        this.types = types;
        this.definition = definition;
    }

    /** The table a CREATE TABLE statement makes, holding {@code present} values by column (none for a new table). */
    public static PgTableDdl of(String createTable, Map<String, ? extends Iterable<SqliteValue>> present)
            throws SQLException {
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite::memory:");
             Statement s = sqlite.createStatement()) {
            s.execute(createTable);
            String name;
            try (ResultSet r = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                name = r.getString(1);
            }
            return of(sqlite, name, present);
        }
    }

    /** Table {@code name} as an SQLite connection holds it, holding {@code present} values by column. */
    public static PgTableDdl of(Connection sqlite, String name, Map<String, ? extends Iterable<SqliteValue>> present)
            throws SQLException {
        String definition = definition(sqlite, name);
        if (definition.regionMatches(true, 0, "CREATE VIRTUAL", 0, "CREATE VIRTUAL".length())) {
            throw new PgTableRefused("table " + name + " is a virtual table (" + definition + "): the PostgreSQL hub"
                    + " holds ordinary tables only, no full-text or other virtual tables; leave it out of the sync"
                    + " (tables: exclude in config.yaml) or keep this database on a file hub");
        }
        TableInfo info = Schema.read(sqlite, name::equals).get(name);
        refuseName("table name " + name, name, "rename the table (ALTER TABLE ... RENAME TO ...)");
        Map<String, String> declared = declaredTypes(sqlite, name);
        Map<String, PgType> types = new LinkedHashMap<>();
        for (String column : info.columns()) {
            boolean rowid = info.keyless() && column.equals(info.keyColumns().get(0));
            if (info.keyless() && column.equals(PgTable.ROWID)) {
                throw new PgTableRefused("table " + name + " declares no primary key, so the PostgreSQL hub keeps its"
                        + " rowid in a column named " + PgTable.ROWID + ", and it has a column of that name: rename"
                        + " that column or declare a primary key");
            }
            refuseName("column " + column + " of table " + name, column,
                    "rename the column (ALTER TABLE ... RENAME COLUMN ...)");
            Iterable<SqliteValue> values = present.containsKey(column) ? present.get(column) : List.of();
            types.put(column, rowid ? PgType.BIGINT : PgValues.typeFor(declared.get(column), values));
        }
        for (String key : info.keyColumns()) {
            refuseKey(name, key, types.get(key), declared.get(key),
                    present.containsKey(key) ? present.get(key) : List.of());
        }
        return new PgTableDdl(info, types, definition);
    }

    /** SQLite's description of the table. */
    public TableInfo info() {
        return info;
    }

    /** The PostgreSQL type of one of {@link TableInfo#columns()}. */
    public PgType type(String column) {
        return types.get(column);
    }

    /** The table's definition as SQLite keeps it: what {@code _sm_schema} holds. */
    public String definition() {
        return definition;
    }

    /** PostgreSQL's CREATE TABLE for it. */
    public String createTable() {
        List<String> columns = new ArrayList<>();
        for (String column : info.columns()) {
            columns.add(Sql.ident(pgColumn(info, column)) + " " + types.get(column).sql()
                    + (info.keyColumns().contains(column) ? " NOT NULL" : ""));
        }
        return "CREATE TABLE " + Sql.ident(info.name()) + " (" + String.join(", ", columns) + ")";
    }

    /**
     * Makes it on the hub, in the caller's transaction: the table, its {@code _sm_schema} row (replacing one of the same
     * name) and {@code _sm_columns} rows, and its own objects ({@link PgCatalog#installTable}); returns the table as
     * the hub now reads it.
     */
    public PgTable create(Connection pg) throws SQLException {
        try (Statement s = pg.createStatement()) {
            s.execute(createTable());
        }
        try (PreparedStatement s = pg.prepareStatement("INSERT INTO _sm_schema(type, name, tbl, sql)"
                + " VALUES('table', ?, ?, ?) ON CONFLICT (type, lower(name))"
                + " DO UPDATE SET name = excluded.name, tbl = excluded.tbl, sql = excluded.sql")) {
            s.setString(1, info.name());
            s.setString(2, info.name());
            s.setString(3, definition);
            s.executeUpdate();
        }
        recordColumns(pg, info, types);
        PgTable made = PgTables.read(pg, info.name()::equals).get(info.name());
        PgCatalog.installTable(pg, made);
        return made;
    }

    /** The type of each of a table's columns in {@code _sm_columns}, replacing what was there. */
    static void recordColumns(Connection pg, TableInfo info, Map<String, PgType> types) throws SQLException {
        try (PreparedStatement s = pg.prepareStatement("DELETE FROM _sm_columns WHERE tbl = ?")) {
            s.setString(1, info.name());
            s.executeUpdate();
        }
        try (PreparedStatement s = pg.prepareStatement("INSERT INTO _sm_columns(tbl, col, pgtype) VALUES(?, ?, ?)")) {
            for (String column : info.columns()) {
                s.setString(1, info.name());
                s.setString(2, pgColumn(info, column));
                s.setString(3, types.get(column).name());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** The PostgreSQL column of a TableInfo column: a keyless table's rowid is {@link PgTable#ROWID}. */
    private static String pgColumn(TableInfo info, String column) {
        return new PgTable(info, Map.of(), List.of()).column(column);
    }

    private static String definition(Connection sqlite, String name) throws SQLException {
        try (PreparedStatement s = sqlite.prepareStatement("SELECT sql FROM sqlite_master WHERE type = 'table'"
                + " AND name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new SQLException("no table " + name + " in the definition");
                }
                return r.getString(1);
            }
        }
    }

    private static Map<String, String> declaredTypes(Connection sqlite, String table) throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        try (PreparedStatement s = sqlite.prepareStatement("SELECT name, type FROM pragma_table_xinfo(?)"
                + " WHERE hidden = 0")) {
            s.setString(1, table);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    types.put(r.getString(1), r.getString(2));
                }
            }
        }
        return types;
    }

    private static void refuseName(String what, String name, String todo) throws PgTableRefused {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (name.indexOf('\0') >= 0) {
            throw new PgTableRefused(what + " holds a NUL character, which PostgreSQL names cannot: " + todo);
        }
        if (bytes > LONGEST_NAME) {
            throw new PgTableRefused(what + " is " + bytes + " bytes long in UTF-8, and PostgreSQL takes names of at"
                    + " most " + LONGEST_NAME + " bytes: " + todo + " to a shorter name");
        }
    }

    private static void refuseKey(String table, String key, PgType type, String declared,
                                  Iterable<SqliteValue> present) throws PgTableRefused {
        String column = "key column " + key + " of table " + table;
        if (type != PgType.BIGINT && type != PgType.TEXT && type != PgType.BYTEA) {
            throw new PgTableRefused(column + " is declared " + Sql.literal(declared) + (present.iterator().hasNext()
                    ? " with the values it holds" : "") + ", which makes it " + (type == PgType.TAGGED
                    ? "tagged bytea (any class of value)" : type.sql()) + " on the PostgreSQL hub; a key there must"
                    + " be integers, text or BLOBs (bigint, text or bytea): declare the column INTEGER, TEXT or BLOB"
                    + " and give it values of that kind, or give the table another primary key");
        }
        for (SqliteValue v : present) {
            if (v.storageClass() == SqliteValue.StorageClass.NULL) {
                throw new PgTableRefused(column + " is NULL in some rows (SQLite lets a PRIMARY KEY of a table with"
                        + " rowids hold NULL, PostgreSQL does not): give those rows a key value first");
            }
        }
    }
}
