package io.sharemirror.store.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Requirements;
import io.sharemirror.share.PostgresServer;
import io.sharemirror.share.SqliteShell;
import io.sharemirror.store.pg.SqliteValue.StorageClass;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of value a replica can hold goes SQLite -> PostgreSQL -> SQLite through a real server and comes back with
 * the same storage class and bytes, in a column of the same declaration on the other side. The values are written the
 * way an application writes them (SQL literals, SQLite's affinity applied), so the cases hold what SQLite really
 * stores; ARCHITECTURE.md, "PostgreSQL hub: values", tabulates what these cases found.
 */
class PgValuesTest {

    private static final String SUBNORMAL = "4.9406564584124654e-324";
    private static final AtomicInteger TABLES = new AtomicInteger();

    @TempDir
    static Path dir;
    private static PostgresServer server;
    private static Connection hub;

    @BeforeAll
    static void start() throws IOException, SQLException {
        server = PostgresServer.start();
        hub = server.connect();
    }

    @AfterAll
    static void stop() throws SQLException {
        try {
            if (hub != null) {
                hub.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /** Who writes the replica: the agent's SQLite (sqlite-jdbc) or an application's (Debian's, older). */
    enum Writer {
        SQLITE_JDBC, SQLITE3_SHELL
    }

    /** Each case as either writer wrote it. */
    static Stream<Arguments> columns() {
        return cases().flatMap(c -> Stream.of(Writer.values()).map(w -> Arguments.of(w, c[0], c[1], c[2])));
    }

    /** A declared type, the PostgreSQL type the rule gives it, and what applications inserted. */
    private static Stream<Object[]> cases() {
        return Stream.of(
                column("INTEGER", PgType.BIGINT, "0", "1", "-1", "9223372036854775807", "-9223372036854775808",
                        "-0.0", "2.0", "'42'", "NULL"),
                column("INTEGER", PgType.NUMERIC, "1", "2.5", "1e20", "-9223372036854775808.0", "9e999", "-9e999",
                        SUBNORMAL, "'4503599627370496.0'", "9223372036854775807", "NULL"),
                column("REAL", PgType.DOUBLE, "0.0", "-0.0", "1.5", "0.1", "2", "9e999", "-9e999", SUBNORMAL,
                        "-" + SUBNORMAL, "2.2250738585072014e-308", "1.7976931348623157e308", "9223372036854775807",
                        "NULL"),
                column("DOUBLE PRECISION", PgType.DOUBLE, "-1.25", "3"),
                column("FLOAT", PgType.TAGGED, "1.5", "'not a number'"),
                column("TEXT", PgType.TEXT, "''", "'plain'", "'ünïcødé ☃ 😀'", "12", "1.5", "NULL",
                        "printf('%.*c', 200000, 'x')", "char(65535)"),
                column("TEXT", PgType.TAGGED, "'a' || char(0) || 'b'", "''", "NULL"),
                column("TEXT", PgType.TAGGED, "CAST(x'61ff62' AS TEXT)", "'valid'"),
                column("VARCHAR(20)", PgType.TAGGED, "'a'", "x'00ff'"),
                column("BLOB", PgType.BYTEA, "x''", "x'00ff'", "randomblob(200000)", "zeroblob(10)", "NULL"),
                column("BLOB", PgType.TAGGED, "x'01'", "1", "'a'"),
                column("", PgType.TAGGED, "1", "-0.0", "0.0", "1.5", "'a'", "''", "x''", "x'01'", "NULL", "9e999",
                        "-9223372036854775808", "CAST(x'ff' AS TEXT)", "'a' || char(0)", SUBNORMAL),
                column("NUMERIC", PgType.NUMERIC, "1", "2.0", "1.5", "0.1", "1e20", "'4503599627370496.0'",
                        "-9223372036854775808.0", "9e999", "-9e999", SUBNORMAL, "1.7976931348623157e308", "-0.0",
                        "9223372036854775807", "-9223372036854775808", "NULL"),
                column("DECIMAL(10,2)", PgType.NUMERIC, "19.99", "5", "NULL"),
                column("BOOLEAN", PgType.NUMERIC, "0", "1", "NULL"),
                column("DATE", PgType.TEXT, "'2024-01-31'", "'2024-02-29 12:00:00'", "NULL"),
                column("DATETIME", PgType.TAGGED, "'2024-01-31'", "1706659200"));
    }

    @ParameterizedTest(name = "{1} -> {2}, written by {0}: {3}")
    @MethodSource("columns")
    void valuesComeBackWithTheirClassAndBytes(Writer writer, String declared, PgType expected, List<String> inserted)
            throws SQLException {
        int n = TABLES.incrementAndGet();
        Path db = dir.resolve("case" + n + ".db");
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = sqlite.createStatement()) {
            s.execute("CREATE TABLE a(k INTEGER PRIMARY KEY, c " + declared + ")");
            s.execute("CREATE TABLE b(k INTEGER PRIMARY KEY, c " + declared + ")");
            List<String> inserts = inserted.stream().map(v -> "INSERT INTO a(c) VALUES(" + v + ");").toList();
            if (writer == Writer.SQLITE3_SHELL) {
                Requirements.requireProgram("sqlite3", "sqlite3");
                SqliteShell.query(db, String.join("\n", inserts));
            } else {
                for (String insert : inserts) {
                    s.execute(insert);
                }
            }
            List<SqliteValue> written = readExactly(sqlite, "a");
            PgType type = PgValues.typeFor(declared, written);
            assertEquals(expected, type, "type for " + declared + " holding " + written);

            String table = "t" + n;
            try (Statement pg = hub.createStatement()) {
                pg.execute("CREATE TABLE " + table + "(k bigint PRIMARY KEY, c " + type.sql() + ")");
            }
            try (PreparedStatement insert = hub.prepareStatement("INSERT INTO " + table + " VALUES(?, ?)")) {
                for (int k = 0; k < written.size(); k++) {
                    insert.setLong(1, k);
                    PgValues.bind(insert, 2, table + ".c", type, written.get(k));
                    insert.executeUpdate();
                }
            }
            List<SqliteValue> fromHub = new ArrayList<>();
            try (Statement pg = hub.createStatement();
                    ResultSet r = pg.executeQuery("SELECT c FROM " + table + " ORDER BY k")) {
                while (r.next()) {
                    fromHub.add(PgValues.read(r, 1, type));
                }
            }
            for (SqliteValue value : fromHub) {
                writeExactly(sqlite, "b", value);
            }
            assertEquals(written, fromHub, "read from the hub");
            assertEquals(written, readExactly(sqlite, "b"), "stored again by SQLite");
            assertEquals(shownBySqlite(sqlite, "a"), shownBySqlite(sqlite, "b"));
        }
    }

    @Test
    void aValueTheColumnsTypeCannotCarryIsRefusedNamingTheColumn() throws SQLException {
        try (Statement pg = hub.createStatement()) {
            pg.execute("CREATE TABLE refusals(c bigint, t text)");
        }
        try (PreparedStatement insert = hub.prepareStatement("INSERT INTO refusals VALUES(?, ?)")) {
            PgValueRefused real = assertThrows(PgValueRefused.class,
                    () -> PgValues.bind(insert, 1, "orders.qty", PgType.BIGINT, SqliteValue.real(2.5)));
            assertTrue(real.getMessage().startsWith("orders.qty is bigint on the PostgreSQL hub, which cannot give"
                    + " back this REAL exactly (2.5)"), real.getMessage());
            PgValueRefused nul = assertThrows(PgValueRefused.class, () -> PgValues.bind(insert, 2, "notes.body",
                    PgType.TEXT, SqliteValue.text("a\0b".getBytes(StandardCharsets.UTF_8))));
            assertTrue(nul.getMessage().contains("TEXT X'610062'"), nul.getMessage());
        }
    }

    /** A program writing the hub directly gets, in a numeric column, the class its number shows: 7 or 7.0. */
    @Test
    void aNumericColumnTellsIntegerFromRealByItsDecimalPoint() throws SQLException {
        try (Statement pg = hub.createStatement()) {
            pg.execute("CREATE TABLE direct(k int, c numeric)");
            pg.execute("INSERT INTO direct VALUES (1, 7), (2, 7.0), (3, 'Infinity')");
            List<SqliteValue> read = new ArrayList<>();
            try (ResultSet r = pg.executeQuery("SELECT c FROM direct ORDER BY k")) {
                while (r.next()) {
                    read.add(PgValues.read(r, 1, PgType.NUMERIC));
                }
            }
            assertEquals(List.of(SqliteValue.integer(7), SqliteValue.real(7.0),
                    SqliteValue.real(Double.POSITIVE_INFINITY)), read);
        }
    }

    /**
     * What double precision holds beyond what SQLite keeps in a REAL column (which turns -0.0 into 0.0): the cases
     * above cannot bring -0.0 to it, so it goes straight through the driver here.
     */
    @Test
    void doublePrecisionKeepsNegativeZeroSubnormalsAndInfinities() throws SQLException {
        List<SqliteValue> values = Stream.of(-0.0, 0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
                Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1)
                .map(SqliteValue::real).toList();
        try (Statement pg = hub.createStatement()) {
            pg.execute("CREATE TABLE doubles(k int PRIMARY KEY, c double precision)");
        }
        try (PreparedStatement insert = hub.prepareStatement("INSERT INTO doubles VALUES(?, ?)")) {
            for (int k = 0; k < values.size(); k++) {
                insert.setInt(1, k);
                PgValues.bind(insert, 2, "doubles.c", PgType.DOUBLE, values.get(k));
                insert.executeUpdate();
            }
        }
        List<SqliteValue> read = new ArrayList<>();
        try (Statement pg = hub.createStatement(); ResultSet r = pg.executeQuery("SELECT c FROM doubles ORDER BY k")) {
            while (r.next()) {
                read.add(PgValues.read(r, 1, PgType.DOUBLE));
            }
        }
        assertEquals(values, read);
    }

    @Test
    void bytesInATaggedColumnThatAreNoValueAreAnError() throws SQLException {
        try (Statement pg = hub.createStatement();
                ResultSet r = pg.executeQuery("SELECT '\\x49ff'::bytea")) {
            r.next();
            SQLException e = assertThrows(SQLException.class, () -> PgValues.read(r, 1, PgType.TAGGED));
            assertTrue(e.getMessage().startsWith("not a tagged SQLite value: X'49ff'"), e.getMessage());
        }
    }

    private static Object[] column(String declared, PgType expected, String... inserted) {
        return new Object[] {declared, expected, List.of(inserted)};
    }

    private static List<SqliteValue> readExactly(Connection sqlite, String table) throws SQLException {
        List<SqliteValue> values = new ArrayList<>();
        try (Statement s = sqlite.createStatement();
                ResultSet r = s.executeQuery("SELECT typeof(c), c, CAST(c AS BLOB) FROM " + table + " ORDER BY k")) {
            while (r.next()) {
                values.add(SqliteValue.of(r.getString(1), r.getObject(2), r.getBytes(3)));
            }
        }
        return values;
    }

    /** Binds each class as itself; a TEXT as its bytes, cast, since a Java string cannot carry invalid UTF-8. */
    private static void writeExactly(Connection sqlite, String table, SqliteValue value) throws SQLException {
        boolean text = value.storageClass() == StorageClass.TEXT;
        try (PreparedStatement s = sqlite.prepareStatement(
                "INSERT INTO " + table + "(c) VALUES(" + (text ? "CAST(? AS TEXT)" : "?") + ")")) {
            switch (value.storageClass()) {
                case NULL -> s.setNull(1, java.sql.Types.NULL);
                case INTEGER -> s.setLong(1, value.integer());
                case REAL -> s.setDouble(1, value.real());
                case TEXT, BLOB -> s.setBytes(1, value.bytes());
            }
            s.executeUpdate();
        }
    }

    /** What SQLite itself says of each value: typeof(), quote() and the stored bytes. */
    private static List<String> shownBySqlite(Connection sqlite, String table) throws SQLException {
        List<String> shown = new ArrayList<>();
        try (Statement s = sqlite.createStatement(); ResultSet r = s.executeQuery(
                "SELECT typeof(c) || ' ' || quote(c) || ' ' || hex(CAST(c AS BLOB)) FROM " + table + " ORDER BY k")) {
            while (r.next()) {
                shown.add(r.getString(1));
            }
        }
        return shown;
    }
}
