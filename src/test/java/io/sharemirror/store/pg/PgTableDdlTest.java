package io.sharemirror.store.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A SQLite definition becomes PostgreSQL's CREATE TABLE with SQLite's own reading of it; what phase 1 cannot carry is
 * refused with a message that names the table, the column, what the hub takes and what to do.
 */
class PgTableDdlTest {

    @Test
    void eachAffinityGetsItsTypeAndKeyColumnsAreNotNull() throws SQLException {
        PgTableDdl ddl = PgTableDdl.of("CREATE TABLE \"Order Lines\"(id INTEGER PRIMARY KEY, qty INT, price REAL,"
                + " note TEXT, scan BLOB, extra, total NUMERIC CHECK (total >= 0) DEFAULT 0)", Map.of());
        assertEquals("CREATE TABLE \"Order Lines\" (\"id\" bigint NOT NULL, \"qty\" bigint, \"price\" double precision,"
                + " \"note\" text, \"scan\" bytea, \"extra\" bytea, \"total\" numeric)", ddl.createTable());
        assertEquals(PgType.TAGGED, ddl.type("extra"));
        assertEquals("CREATE TABLE \"Order Lines\"(id INTEGER PRIMARY KEY, qty INT, price REAL, note TEXT, scan BLOB,"
                + " extra, total NUMERIC CHECK (total >= 0) DEFAULT 0)", ddl.definition());
    }

    @Test
    void aTableWithoutAKeyKeepsItsRowidAndAWithoutRowidTableItsKey() throws SQLException {
        PgTableDdl keyless = PgTableDdl.of("CREATE TABLE notes(body TEXT, at REAL)", Map.of());
        assertEquals("CREATE TABLE \"notes\" (\"_sm_rowid\" bigint NOT NULL, \"body\" text, \"at\" double precision)",
                keyless.createTable());
        PgTableDdl composite = PgTableDdl.of("CREATE TABLE codes(region TEXT COLLATE NOCASE, n INTEGER, label,"
                + " PRIMARY KEY (region, n)) WITHOUT ROWID", Map.of());
        assertEquals("CREATE TABLE \"codes\" (\"region\" text NOT NULL, \"n\" bigint NOT NULL, \"label\" bytea)",
                composite.createTable());
        assertEquals(List.of("NOCASE", "BINARY"), composite.info().keyCollations());
    }

    /**
     * Django's django_migrations, made empty: its {@code datetime} column must take the text Django writes there
     * (numeric refused it, so no migration record reached another desktop, which then re-ran every migration).
     */
    @Test
    void anEmptyDateOrTimeColumnIsTextAndOneOfNumbersStaysNumeric() throws SQLException {
        PgTableDdl empty = PgTableDdl.of("CREATE TABLE \"django_migrations\" (\"id\" integer NOT NULL PRIMARY KEY"
                + " AUTOINCREMENT, \"app\" varchar(255) NOT NULL, \"applied\" datetime NOT NULL, \"day\" date,"
                + " \"at\" TIMESTAMP, \"done\" bool NOT NULL, \"price\" decimal)", Map.of());
        assertEquals(PgType.TEXT, empty.type("applied"));
        assertEquals(PgType.TEXT, empty.type("day"));
        assertEquals(PgType.TEXT, empty.type("at"));
        assertEquals(PgType.NUMERIC, empty.type("done"));
        assertEquals(PgType.NUMERIC, empty.type("price"));
        PgTableDdl epoch = PgTableDdl.of("CREATE TABLE t(k INTEGER PRIMARY KEY, at DATETIME)",
                Map.of("at", List.of(SqliteValue.integer(1_700_000_000))));
        assertEquals(PgType.NUMERIC, epoch.type("at"));
    }

    @Test
    void theValuesPresentChooseTheType() throws SQLException {
        PgTableDdl ddl = PgTableDdl.of("CREATE TABLE m(k TEXT PRIMARY KEY, n INTEGER)",
                Map.of("n", List.of(SqliteValue.integer(1), SqliteValue.real(2.5))));
        assertEquals(PgType.NUMERIC, ddl.type("n"));
    }

    @Test
    void aKeyThatIsNeitherIntegerTextNorBlobIsRefused() {
        assertEquals("key column price of table quotes is declared 'REAL', which makes it double precision on the"
                + " PostgreSQL hub; a key there must be integers, text or BLOBs (bigint, text or bytea): declare the"
                + " column INTEGER, TEXT or BLOB and give it values of that kind, or give the table another primary"
                + " key", refusal("CREATE TABLE quotes(price REAL PRIMARY KEY)", Map.of()));
        assertEquals("key column k of table any_key is declared '', which makes it tagged bytea (any class of value) on"
                + " the PostgreSQL hub; a key there must be integers, text or BLOBs (bigint, text or bytea): declare"
                + " the column INTEGER, TEXT or BLOB and give it values of that kind, or give the table another"
                + " primary key", refusal("CREATE TABLE any_key(k PRIMARY KEY, v)", Map.of()));
        assertEquals("key column code of table mixed is declared 'TEXT' with the values it holds, which makes it tagged"
                + " bytea (any class of value) on the PostgreSQL hub; a key there must be integers, text or BLOBs"
                + " (bigint, text or bytea): declare the column INTEGER, TEXT or BLOB and give it values of that kind,"
                + " or give the table another primary key", refusal("CREATE TABLE mixed(code TEXT PRIMARY KEY)",
                Map.of("code", List.of(SqliteValue.text(new byte[] {'a'}), SqliteValue.blob(new byte[] {1})))));
    }

    @Test
    void aNullKeyIsRefused() {
        assertEquals("key column code of table legacy is NULL in some rows (SQLite lets a PRIMARY KEY of a table with"
                + " rowids hold NULL, PostgreSQL does not): give those rows a key value first",
                refusal("CREATE TABLE legacy(code TEXT PRIMARY KEY)",
                        Map.of("code", List.of(SqliteValue.text(new byte[] {'a'}), SqliteValue.NULL))));
    }

    @Test
    void namesPostgresqlCannotTakeAreRefused() {
        String long64 = "x".repeat(64);
        assertEquals("table name " + long64 + " is 64 bytes long in UTF-8, and PostgreSQL takes names of at most 63"
                + " bytes: rename the table (ALTER TABLE ... RENAME TO ...) to a shorter name",
                refusal("CREATE TABLE " + long64 + "(k INTEGER PRIMARY KEY)", Map.of()));
        String accented = "é".repeat(32); // 32 characters, 64 bytes
        assertEquals("column " + accented + " of table t is 64 bytes long in UTF-8, and PostgreSQL takes names of at"
                + " most 63 bytes: rename the column (ALTER TABLE ... RENAME COLUMN ...) to a shorter name",
                refusal("CREATE TABLE t(k INTEGER PRIMARY KEY, " + accented + " TEXT)", Map.of()));
        assertEquals("table t declares no primary key, so the PostgreSQL hub keeps its rowid in a column named"
                + " _sm_rowid, and it has a column of that name: rename that column or declare a primary key",
                refusal("CREATE TABLE t(_sm_rowid INTEGER, v TEXT)", Map.of()));
    }

    @Test
    void aVirtualTableIsRefused() {
        assertEquals("table docs is a virtual table (CREATE VIRTUAL TABLE docs USING fts5(body)): the PostgreSQL hub"
                + " holds ordinary tables only, no full-text or other virtual tables; leave it out of the sync"
                + " (tables: exclude in config.yaml) or keep this database on a file hub",
                refusal("CREATE VIRTUAL TABLE docs USING fts5(body)", Map.of()));
    }

    private static String refusal(String createTable, Map<String, List<SqliteValue>> present) {
        return assertThrows(PgTableRefused.class, () -> PgTableDdl.of(createTable, present)).getMessage();
    }
}
