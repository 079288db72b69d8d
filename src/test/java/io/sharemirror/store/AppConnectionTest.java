package io.sharemirror.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.store.ConnectionFactory.Access;
import io.sharemirror.store.ConnectionFactory.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/**
 * The application's connection ({@link ConnectionFactory#openForApplication}) on a real WAL file, against the JDBC
 * contract and against another connection that writes meanwhile, as the agent does. "Holds the write lock" is asked of
 * SQLite itself: another connection's {@code BEGIN IMMEDIATE} with no busy timeout is refused.
 */
class AppConnectionTest {

    @TempDir
    Path dir;
    private Path db;
    private final ConnectionFactory factory = new ConnectionFactory(Duration.ofSeconds(10));

    @BeforeEach
    void file() throws SQLException {
        db = dir.resolve("app.db");
        try (Connection c = factory.open(db, Kind.LOCAL); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
            s.execute("INSERT INTO t VALUES(1, 0), (2, 0)");
        }
    }

    private Connection app() throws SQLException {
        return app(new Properties());
    }

    private Connection app(Properties settings) throws SQLException {
        return factory.openForApplication(db, Kind.LOCAL, Access.READ_WRITE, settings);
    }

    /** Whether some connection holds the write lock: another one cannot take it without waiting. */
    private boolean writeLocked() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 0");
            try {
                s.execute("BEGIN IMMEDIATE");
            } catch (SQLException e) {
                assertEquals(SqliteErrors.BUSY, e.getErrorCode(), e.getMessage());
                return true;
            }
            s.execute("ROLLBACK");
            return false;
        }
    }

    private static long value(Connection c, int id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT v FROM t WHERE id = ?")) {
            s.setInt(1, id);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static void update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    /** The failure of issue 14 and its fix: read, another connection commits a write, then write. */
    @Test
    void aWriteAfterAReadIsNeverRefusedBecauseAnotherConnectionCommittedInBetween() throws Exception {
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + db);
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            plain.setAutoCommit(false);
            value(plain, 1);
            update(other, "UPDATE t SET v = v + 1 WHERE id = 2");
            SQLException refused = assertThrows(SQLException.class, () -> update(plain, "UPDATE t SET v = 1 WHERE id = 1"),
                    "plain sqlite-jdbc: the read's snapshot is stale, the busy handler cannot help");
            assertTrue(refused.getMessage().contains("SQLITE_BUSY_SNAPSHOT"), refused.getMessage());
            plain.rollback();
        }
        try (Connection app = app(); Connection other = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            app.setAutoCommit(false);
            long read = value(app, 1);
            CompletableFuture<Void> agent = CompletableFuture.runAsync(() -> {
                try (Statement s = other.createStatement()) {
                    s.execute("PRAGMA busy_timeout = 10000");
                    s.executeUpdate("UPDATE t SET v = v + 1 WHERE id = 2");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(writeLocked(), "the first statement, a SELECT, took the write lock");
            update(app, "UPDATE t SET v = " + (read + 1) + " WHERE id = 1");
            app.commit();
            agent.get(10, TimeUnit.SECONDS); // the other writer waited for the commit, then wrote
            assertEquals(1, value(app, 1));
            assertEquals(2, value(app, 2));
        }
    }

    /**
     * The driver's fallback connection to the share: rollback journal, where a reading transaction's first write is
     * refused at once while another writer holds the lock (SQLite's deadlock avoidance), whatever the busy timeout.
     */
    @Test
    void onARollbackJournalFileTooAWriteAfterAReadWaitsForAnotherWriterInsteadOfFailing() throws Exception {
        Path share = dir.resolve("share.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + share); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
            s.execute("INSERT INTO t VALUES(1, 0), (2, 0)");
        }
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + share);
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + share)) {
            plain.setAutoCommit(false);
            value(plain, 1);
            CompletableFuture<Void> writer = otherWriter(other);
            awaitReserved(share);
            SQLException refused = assertThrows(SQLException.class, () -> update(plain, "UPDATE t SET v = 1 WHERE id = 1"));
            assertEquals(SqliteErrors.BUSY, refused.getErrorCode(), refused.getMessage());
            plain.rollback();
            writer.get(10, TimeUnit.SECONDS);
        }
        try (Connection app = factory.openForApplication(share, Kind.DIRECT, Access.READ_WRITE, new Properties());
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + share)) {
            app.setAutoCommit(false);
            value(app, 1);
            CompletableFuture<Void> writer = otherWriter(other);
            update(app, "UPDATE t SET v = 1 WHERE id = 1");
            app.commit();
            writer.get(10, TimeUnit.SECONDS);
            assertEquals(1, value(app, 1));
            assertEquals(2, value(app, 2));
            app.commit();
        }
    }

    /** Another program writing row 2, waiting up to 10 s for the lock. */
    private static CompletableFuture<Void> otherWriter(Connection other) {
        return CompletableFuture.runAsync(() -> {
            try (Statement s = other.createStatement()) {
                s.execute("PRAGMA busy_timeout = 10000");
                s.executeUpdate("UPDATE t SET v = v + 1 WHERE id = 2");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, task -> new Thread(task, "other-writer").start());
    }

    /** Returns once some connection holds the file's reserved lock (rollback journal: the journal is there). */
    private static void awaitReserved(Path file) {
        Path journal = file.resolveSibling(file.getFileName() + "-journal");
        await("the journal of " + file).atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1)).until(() -> Files.exists(journal));
    }

    @Test
    void noLockIsHeldBetweenTransactionsNorBeforeTheFirstStatement() throws SQLException {
        try (Connection app = app()) {
            app.setAutoCommit(false);
            assertFalse(writeLocked(), "setAutoCommit(false) takes nothing");
            value(app, 1);
            assertTrue(writeLocked());
            app.commit();
            assertFalse(writeLocked(), "nothing is held after commit");
            update(app, "UPDATE t SET v = 5 WHERE id = 1");
            app.rollback();
            assertFalse(writeLocked(), "nor after rollback");
            assertEquals(0, value(app, 1), "the rollback undid the update");
            app.commit();
            app.rollback(); // ending a transaction that never began is allowed, as in sqlite-jdbc
        }
    }

    @Test
    void switchingToAutoCommitCommitsAndCommitOrRollbackInAutoCommitModeIsRefused() throws SQLException {
        try (Connection app = app()) {
            assertTrue(app.getAutoCommit());
            assertThrows(SQLException.class, app::commit);
            assertThrows(SQLException.class, app::rollback);
            app.setAutoCommit(false);
            assertFalse(app.getAutoCommit());
            update(app, "UPDATE t SET v = 7 WHERE id = 1");
            app.setAutoCommit(true);
            assertFalse(writeLocked());
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db)) {
                assertEquals(7, value(other, 1), "committed by setAutoCommit(true)");
            }
            update(app, "UPDATE t SET v = 8 WHERE id = 1");
            assertFalse(writeLocked(), "auto-commit statements commit at once");
        }
    }

    /** sqlite-jdbc's own lazy upgrade (jdbc.explicit_readonly) commits a batch run before the first query. */
    @Test
    void aBatchAsTheFirstStatementIsPartOfTheTransaction() throws SQLException {
        try (Connection app = app()) {
            app.setAutoCommit(false);
            try (Statement s = app.createStatement()) {
                s.addBatch("UPDATE t SET v = 3 WHERE id = 1");
                s.addBatch("UPDATE t SET v = 4 WHERE id = 2");
                assertEquals(2, s.executeBatch().length);
            }
            try (PreparedStatement p = app.prepareStatement("UPDATE t SET v = v + ? WHERE id = ?")) {
                p.setInt(1, 10);
                p.setInt(2, 1);
                p.addBatch();
                p.executeBatch();
            }
            assertEquals(13, value(app, 1));
            app.rollback();
            assertEquals(0, value(app, 1));
            assertEquals(0, value(app, 2));
        }
    }

    @Test
    void savepointsWorkAlsoAsTheFirstThingInATransaction() throws SQLException {
        try (Connection app = app()) {
            assertThrows(SQLException.class, app::setSavepoint, "JDBC: no savepoint in auto-commit mode");
            app.setAutoCommit(false);
            Savepoint first = app.setSavepoint();
            assertTrue(writeLocked(), "the savepoint began the transaction");
            update(app, "UPDATE t SET v = 1 WHERE id = 1");
            Savepoint named = app.setSavepoint("after one");
            update(app, "UPDATE t SET v = 2 WHERE id = 2");
            app.rollback(named);
            assertEquals(0, value(app, 2));
            assertEquals(1, value(app, 1));
            app.releaseSavepoint(named);
            app.rollback(first);
            assertEquals(0, value(app, 1));
            update(app, "UPDATE t SET v = 9 WHERE id = 1");
            app.commit();
            assertFalse(writeLocked());
            assertEquals(9, value(app, 1));
            app.rollback();
            assertEquals("after one", named.getSavepointName());
            assertThrows(SQLException.class, named::getSavepointId);
            assertTrue(first.getSavepointId() > 0);
            assertThrows(SQLException.class, first::getSavepointName);
        }
    }

    @Test
    void everyObjectGivesTheApplicationsConnectionBack() throws SQLException {
        try (Connection app = app(); Statement s = app.createStatement();
             PreparedStatement p = app.prepareStatement("SELECT v FROM t WHERE id = ?")) {
            assertSame(app, s.getConnection());
            assertSame(app, p.getConnection());
            try (ResultSet r = s.executeQuery("SELECT 1")) {
                assertSame(s, r.getStatement());
                assertSame(app, r.getStatement().getConnection());
            }
            p.setInt(1, 1);
            try (ResultSet r = p.executeQuery()) {
                assertSame(p, r.getStatement());
            }
            DatabaseMetaData meta = app.getMetaData();
            assertSame(app, meta.getConnection());
            try (ResultSet tables = meta.getTables(null, null, "t", null)) {
                assertTrue(tables.next());
                assertTrue(tables.getStatement() == null || tables.getStatement().getConnection() == app);
            }
            assertThrows(SQLException.class, () -> app.prepareCall("CALL x()"), "sqlite-jdbc has no stored procedures");
            assertTrue(app.isWrapperFor(SQLiteConnection.class));
            SQLiteConnection sqlite = app.unwrap(SQLiteConnection.class);
            assertTrue(sqlite.getDatabase() != null, "README: unwrap(SQLiteConnection.class) works");
            assertSame(app, app.unwrap(Connection.class));
            assertTrue(app.equals(app) && !app.equals(sqlite));
        }
    }

    @Test
    void metadataInAManualTransactionTakesNoLock() throws SQLException {
        try (Connection app = app()) {
            app.setAutoCommit(false);
            try (ResultSet tables = app.getMetaData().getTables(null, null, "%", null)) {
                assertTrue(tables.next());
            }
            assertFalse(writeLocked());
        }
    }

    @Test
    void closingWithATransactionOpenRollsItBack() throws SQLException {
        Connection app = app();
        app.setAutoCommit(false);
        update(app, "UPDATE t SET v = 5 WHERE id = 1");
        app.close();
        assertTrue(app.isClosed());
        app.close(); // again: nothing happens
        assertFalse(writeLocked());
        try (Connection other = app()) {
            assertEquals(0, value(other, 1));
        }
        assertThrows(SQLException.class, app::commit);
    }

    /** JDBC's read-only hint, which sqlite-jdbc refuses to change after connecting without jdbc.explicit_readonly. */
    @Test
    void aReadOnlyConnectionReadsWithoutTheWriteLockAndCannotWrite() throws SQLException {
        try (Connection app = app()) {
            update(app, "UPDATE t SET v = 2 WHERE id = 2");
            app.setReadOnly(true);
            assertTrue(app.isReadOnly());
            assertThrows(SQLException.class, () -> update(app, "UPDATE t SET v = 1 WHERE id = 1"));
            app.setAutoCommit(false);
            assertEquals(0, value(app, 1));
            assertFalse(writeLocked(), "a read-only transaction holds no write lock");
            assertThrows(SQLException.class, () -> update(app, "UPDATE t SET v = 1 WHERE id = 1"));
            assertThrows(SQLException.class, () -> app.setReadOnly(false), "not inside a transaction");
            app.commit();
            app.setReadOnly(false);
            assertFalse(app.isReadOnly());
            update(app, "UPDATE t SET v = 1 WHERE id = 1");
            app.commit();
            assertEquals(1, value(app, 1));
            app.commit();
        }
        try (Connection opened = factory.openForApplication(db, Kind.LOCAL, Access.READ_ONLY, new Properties())) {
            assertTrue(opened.isReadOnly());
            assertThrows(SQLException.class, () -> opened.setReadOnly(false));
        }
    }

    @Test
    void isolationLevelsAreSqliteJdbcs() throws SQLException {
        try (Connection app = app()) {
            assertEquals(Connection.TRANSACTION_SERIALIZABLE, app.getTransactionIsolation());
            app.setTransactionIsolation(Connection.TRANSACTION_READ_UNCOMMITTED);
            assertEquals(Connection.TRANSACTION_READ_UNCOMMITTED, app.getTransactionIsolation());
            app.setAutoCommit(false);
            value(app, 1);
            assertTrue(writeLocked(), "every manual transaction that may write takes the lock, whatever the level");
            app.commit();
        }
    }
}
