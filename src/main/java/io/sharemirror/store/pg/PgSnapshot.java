package io.sharemirror.store.pg;

import io.sharemirror.store.BackupApi;
import io.sharemirror.store.ConnectionFactory;
import io.sharemirror.store.HubLog;
import io.sharemirror.store.Schema;
import io.sharemirror.store.TableInfo;
import io.sharemirror.store.UserVersion;
import io.sharemirror.sync.CloneProgress;
import io.sharemirror.sync.SchemaObject;
import io.sharemirror.sync.StoreException;
import io.sharemirror.sync.StoreException.Kind;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * A PostgreSQL hub's snapshot for a replica's first copy ({@code Hub.snapshotInto}): in one REPEATABLE READ READ ONLY
 * transaction, a new SQLite file with every definition of {@code _sm_schema} (tables first, then their rows with their
 * exact SQLite classes and bytes, then indexes and views, the application's triggers last so they do not fire on the
 * copy), the committed log ({@code seq} set) in the SQLite hub's {@code _sm_log} layout, and the application's schema
 * number as {@code PRAGMA user_version}. No {@code _sm_rowids}: a PostgreSQL hub never renumbers rowids, so the copy has
 * no canary to match ({@code Cloner} then records none). {@code store.Cloner} makes a replica of it as of an SQLite hub's.
 */
public final class PgSnapshot {

    private PgSnapshot() {
    }

    /**
     * Writes the snapshot to {@code target}; {@code progress} hears after each table, and when it answers false nothing
     * is kept and this fails as cancelled. Returns the hub's schema cookie as of the snapshot.
     */
    public static long into(Connection pg, String hubLocation, Path target, CloneProgress progress) {
        String what = "cloning " + hubLocation + " into " + target;
        try {
            boolean autoCommit = pg.getAutoCommit();
            pg.setAutoCommit(false);
            try (Statement s = pg.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                return write(pg, hubLocation, target, progress);
            } finally {
                pg.rollback();
                pg.setAutoCommit(autoCommit);
            }
        } catch (SQLException | RuntimeException e) {
            try {
                BackupApi.deleteLeftovers(target);
            } catch (IOException gone) {
                e.addSuppressed(gone);
            }
            throw e instanceof SQLException sql ? PgFailures.classify(what, sql) : (RuntimeException) e;
        }
    }

    private static long write(Connection pg, String hubLocation, Path target, CloneProgress progress)
            throws SQLException {
        long cookie;
        long userVersion;
        try (Statement s = pg.createStatement();
             ResultSet r = s.executeQuery("SELECT cookie, user_version FROM _sm_meta")) {
            r.next();
            cookie = r.getLong(1);
            userVersion = r.getLong(2);
        }
        List<SchemaObject> definitions = PgSchemaModel.definitions(pg);
        Map<String, PgTable> tables = PgTables.read(pg, t -> true);
        long total = 0;
        for (PgTable t : tables.values()) {
            total += tableSize(pg, t.name());
        }
        ConnectionFactory.ownerOnly(target);
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + target);
             Statement s = sqlite.createStatement()) {
            s.execute("BEGIN");
            PgSchemaModel.make(sqlite, definitions.stream().filter(SchemaObject::isTable).toList());
            Map<String, TableInfo> made = Schema.read(sqlite, t -> true);
            long copied = 0;
            for (PgTable t : tables.values()) {
                try (SqliteExact.Inserter insert = new SqliteExact.Inserter(sqlite, t.name(),
                        made.get(t.name()).columns())) {
                    WholeTable.read(pg, t, insert::insert);
                }
                copied += tableSize(pg, t.name());
                if (!progress.copying(copied, total)) {
                    throw new StoreException(Kind.FAILED, "the first copy of " + hubLocation + " was cancelled", null,
                            null);
                }
            }
            PgSchemaModel.make(sqlite, definitions.stream().filter(d -> !d.isTable()).toList());
            for (String ddl : HubLog.TABLES) {
                s.execute(ddl);
            }
            copyLog(pg, sqlite);
            UserVersion.set(sqlite, userVersion);
            s.execute("COMMIT");
        }
        return cookie;
    }

    /** The committed entries: a row whose transaction has not committed has no {@code seq} and is not seen. */
    private static void copyLog(Connection pg, Connection sqlite) throws SQLException {
        try (PreparedStatement read = pg.prepareStatement("SELECT seq, tbl, pk, op, origin, ts, cols FROM _sm_log"
                + " WHERE seq IS NOT NULL ORDER BY seq");
             PreparedStatement write = sqlite.prepareStatement("INSERT INTO _sm_log(seq, tbl, pk, op, origin, ts, cols)"
                     + " VALUES(?, ?, ?, ?, ?, ?, ?)")) {
            read.setFetchSize(10_000);
            try (ResultSet r = read.executeQuery()) {
                while (r.next()) {
                    write.setLong(1, r.getLong(1));
                    for (int i = 2; i <= 5; i++) {
                        write.setString(i, r.getString(i));
                    }
                    write.setLong(6, r.getLong(6));
                    write.setString(7, r.getString(7));
                    write.executeUpdate();
                }
            }
        }
    }

    private static long tableSize(Connection pg, String table) throws SQLException {
        try (PreparedStatement s = pg.prepareStatement("SELECT pg_table_size(to_regclass(quote_ident(?)))")) {
            s.setString(1, table);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
