package io.sharemirror.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Figures;
import io.sharemirror.store.Archive;
import io.sharemirror.store.Cluster;
import io.sharemirror.store.OtherPrograms;
import io.sharemirror.sync.ArchivedConflict;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: Flyway (flyway-core 13.12.2, from Maven Central), the way a Java application upgraded on one desktop runs
 * its migrations at start-up: through {@code jdbc:sharemirror:}, on that desktop's replica. A realistic sequence: a
 * column added, a table and an index created, a table rebuilt by SQLite's 12-step procedure to turn dollars into
 * cents, a column renamed. Meanwhile desktop B and a program on the hub keep writing under the old schema. Every copy
 * converges, passes its integrity and foreign key checks, and every acknowledged write is on the hub or archived.
 */
class FlywayThroughTheDriverTest {

    @TempDir
    Path dir;

    private static final String V1 = "CREATE TABLE customer(id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
            + "CREATE TABLE invoice(id INTEGER PRIMARY KEY, customer INTEGER NOT NULL REFERENCES customer(id),"
            + " total REAL NOT NULL);\n";
    private static final String[] UPGRADE = {
        "V2__customer_email.sql", "ALTER TABLE customer ADD COLUMN email TEXT;\n"
                + "UPDATE customer SET email = lower(name) || '@example.com';\n",
        "V3__supplier.sql", "CREATE TABLE supplier(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);\n"
                + "CREATE INDEX invoice_customer ON invoice(customer);\n",
        "V4__cents.sql", "CREATE TABLE invoice_new(id INTEGER PRIMARY KEY, customer INTEGER NOT NULL"
                + " REFERENCES customer(id), total_cents INTEGER NOT NULL CHECK (total_cents >= 0));\n"
                + "INSERT INTO invoice_new(id, customer, total_cents) SELECT id, customer,"
                + " CAST(round(total * 100) AS INTEGER) FROM invoice;\n"
                + "DROP TABLE invoice;\n"
                + "ALTER TABLE invoice_new RENAME TO invoice;\n"
                + "CREATE INDEX invoice_customer ON invoice(customer);\n",
        "V5__full_name.sql", "ALTER TABLE customer RENAME COLUMN name TO full_name;\n",
    };

    @Test
    void aFlywayUpgradeOnOneDesktopReachesEveryCopyAndLosesNoWrite() throws Exception {
        Path all = migrations("all", V1, UPGRADE);
        Path hub = hubAtV1("INSERT INTO customer(id, name) VALUES(1, 'Ada'), (2, 'Bob')",
                "INSERT INTO invoice(customer, total) VALUES(1, 12.5), (2, 3.25)");
        try (Cluster cluster = new Cluster(dir, hub)) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            List<String> acknowledged = new ArrayList<>();
            b.exec("INSERT INTO customer(id, name) VALUES(10, 'Cy from b')", "INSERT INTO invoice(customer, total)"
                    + " VALUES(10, 7.5)");
            acknowledged.add("customer 10");
            MigrateResult result = migrate(through(a, hub), all);
            assertEquals(4, result.migrationsExecuted, "V2..V5 ran on desktop A's replica");
            assertTrue(Cluster.scalar(a.replica(), "SELECT sql FROM sqlite_master WHERE name = 'invoice'")
                    .contains("total_cents"));
            // The application on A writes under the new schema at once.
            a.exec("INSERT INTO customer(id, full_name, email) VALUES(20, 'Di from a', 'di@a')",
                    "INSERT INTO invoice(customer, total_cents) VALUES(20, 999)");
            acknowledged.add("customer 20");
            // A program on the share, still at V1, writes before A's agent has synced.
            var shell = OtherPrograms.sqlite3(hub, "INSERT INTO customer(id, name) VALUES(30, 'Ed direct');"
                    + " INSERT INTO invoice(customer, total) VALUES(30, 1.5);");
            assertEquals(0, shell.exitCode(), shell.output());
            acknowledged.add("customer 30");
            cluster.settle();
            b.exec("INSERT INTO customer(id, full_name) VALUES(40, 'Flo from b after the upgrade')");
            acknowledged.add("customer 40");
            cluster.settle();

            // On the hub, or (a row written under the old schema that the new one refuses) in an archive.
            List<ArchivedConflict> archived = new ArrayList<>(a.conflicts());
            archived.addAll(b.conflicts());
            long lost = 0;
            for (String row : acknowledged) {
                String id = row.substring("customer ".length());
                if (!"1".equals(Cluster.scalar(hub, "SELECT count(*) FROM customer WHERE id = " + id))
                        && archived.stream().noneMatch(c -> c.table().equals("customer") && c.key().equals("[" + id + "]"))) {
                    lost++;
                }
            }
            Figures.of("FlywayThroughTheDriverTest").runs(1).writesChecked(acknowledged.size()).writesLost(lost)
                    .put("migrations", 4).publish();
            assertEquals(0, lost, "acknowledged customers missing from the hub");
            cluster.assertConverged();
            // The migration converted every invoice it saw; two written under the old schema while it ran (by B,
            // and on the share) do not fit the new table (no total_cents): archived, for Restore once re-entered.
            assertEquals("1250,325,999", Cluster.scalar(hub, "SELECT group_concat(total_cents) FROM"
                    + " (SELECT total_cents FROM invoice ORDER BY customer)"), "every invoice in cents");
            for (String old : List.of("7.5", "1.5")) {
                assertTrue(archived.stream().anyMatch(c -> c.table().equals("invoice")
                        && old.equals(Archive.column(c.localJson(), "total"))), old + " archived: " + archived);
            }
            assertEquals("ada@example.com", Cluster.scalar(b.replica(), "SELECT email FROM customer WHERE id = 1"));

            // The upgrade reaches B: its Flyway finds every migration applied (the history synced like any table).
            assertEquals(0, migrate(through(b, hub), all).migrationsExecuted, "nothing left to run on B");
        }
    }

    /**
     * The upgrade reaches both desktops while they are apart, and each runs Flyway: the same migrations twice. The
     * schema is agreed as it is; flyway_schema_history is an ordinary synced table and each desktop inserted the same
     * versions under the same installed_rank keys.
     */
    @Test
    void theSameFlywayUpgradeOnTwoDesktopsIsAgreed() throws Exception {
        Path all = migrations("all", V1, UPGRADE);
        Path hub = hubAtV1("INSERT INTO customer(id, name) VALUES(1, 'Ada')", "INSERT INTO invoice(customer, total)"
                + " VALUES(1, 12.5)");
        try (Cluster cluster = new Cluster(dir, hub)) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            List<DataSource> desktops = new ArrayList<>();
            for (var node : List.of(a, b)) {
                desktops.add(through(node, hub));
                assertEquals(4, migrate(desktops.get(desktops.size() - 1), all).migrationsExecuted);
            }
            a.exec("INSERT INTO customer(id, full_name) VALUES(2, 'Bo on a')");
            b.exec("INSERT INTO customer(id, full_name) VALUES(3, 'Cy on b')");
            cluster.settle();
            cluster.settle();
            cluster.assertConverged();
            assertEquals("1,2,3", Cluster.scalar(hub, "SELECT group_concat(id) FROM (SELECT id FROM customer ORDER BY id)"));
            assertEquals("1250", Cluster.scalar(hub, "SELECT group_concat(total_cents) FROM invoice"));
            System.out.println("history on the hub: " + Cluster.scalar(hub, "SELECT group_concat(installed_rank || ':'"
                    + " || coalesce(version, '') || ':' || success, ' ') FROM flyway_schema_history"));
            for (DataSource desktop : desktops) {
                Flyway flyway = Flyway.configure().dataSource(desktop).locations("filesystem:" + all).load();
                flyway.validate();
                assertEquals(0, flyway.migrate().migrationsExecuted);
            }
        }
    }

    /** The application as it was, on the share: Flyway's V1 run straight on the hub, then its rows. */
    private Path hubAtV1(String... rows) throws Exception {
        Path hub = dir.resolve("share").resolve("app.db");
        Files.createDirectories(hub.getParent());
        migrate(dataSource("jdbc:sqlite:" + hub), migrations("v1", V1));
        Cluster.run(hub, rows);
        return hub;
    }

    private static MigrateResult migrate(DataSource source, Path locations) {
        return Flyway.configure().dataSource(source).locations("filesystem:" + locations).load().migrate();
    }

    private Path migrations(String name, String v1, String... more) throws Exception {
        Path folder = dir.resolve("migrations-" + name);
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("V1__initial.sql"), v1);
        for (int i = 0; i < more.length; i += 2) {
            Files.writeString(folder.resolve(more[i]), more[i + 1]);
        }
        return folder;
    }

    /** The application on a desktop: {@code jdbc:sharemirror:} and the hub's path, with that desktop's config. */
    private DataSource through(Cluster.Node desktop, Path hub) throws Exception {
        Path config = desktop.replica().resolveSibling("config.yaml");
        Files.writeString(config, "database:\n  enable_cache: true\n  cache_directory: " + desktop.replica().getParent()
                + "\ndatabases:\n  - name: db\n    path: " + hub + "\n");
        return dataSource("jdbc:sharemirror:" + hub + "?config=" + config);
    }

    /** What an application hands Flyway: a DataSource over its JDBC URL. */
    private static DataSource dataSource(String url) {
        return new DataSource() {
            @Override
            public Connection getConnection() throws java.sql.SQLException {
                return DriverManager.getConnection(url);
            }

            @Override
            public Connection getConnection(String user, String password) throws java.sql.SQLException {
                return getConnection();
            }

            @Override
            public PrintWriter getLogWriter() {
                return null;
            }

            @Override
            public void setLogWriter(PrintWriter out) {
            }

            @Override
            public void setLoginTimeout(int seconds) {
            }

            @Override
            public int getLoginTimeout() {
                return 0;
            }

            @Override
            public Logger getParentLogger() {
                return Logger.getGlobal();
            }

            @Override
            public <T> T unwrap(Class<T> type) throws java.sql.SQLException {
                throw new java.sql.SQLException("not a wrapper");
            }

            @Override
            public boolean isWrapperFor(Class<?> type) {
                return false;
            }
        };
    }
}
