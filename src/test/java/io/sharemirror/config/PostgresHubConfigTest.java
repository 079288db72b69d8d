package io.sharemirror.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.config.ConfigException.Problem;
import io.sharemirror.paths.PostgresAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A database whose {@code path} is a {@code postgresql://} URL, in a config file. */
class PostgresHubConfigTest {

    @TempDir
    Path dir;

    private Path configFile;
    private String head;

    @BeforeEach
    void setUp() throws IOException {
        configFile = dir.resolve("config.yaml");
        head = "database:\n  cache_directory: " + Files.createDirectory(dir.resolve("cache")) + "\n";
    }

    private AppConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(head + yaml, configFile);
    }

    private Problem onlyProblem(String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml));
        assertEquals(1, e.problems().size(), e::getMessage);
        return e.problems().get(0);
    }

    @Test
    void aListEntryOnPostgres() throws Exception {
        DatabaseConfig d = parse("""
                databases:
                  - name: sales
                    path: postgres://team@db.example.com/sales?sslmode=require
                """).databases().get(0);
        assertEquals("postgres://team@db.example.com/sales?sslmode=require", d.path());
        assertEquals("postgresql://team@db.example.com:5432/sales?sslmode=require", d.location());
        assertEquals(Optional.of(new PostgresAddress(Optional.of("team"), "db.example.com", 5432, "sales",
                Map.of("sslmode", "require"))), d.postgres());
        assertEquals("PostgreSQL db.example.com:5432/sales", d.hubKind());
    }

    @Test
    void aFileHubIsAFileShare() throws Exception {
        DatabaseConfig d = parse("databases:\n  - {name: a, path: //fs01/team/app.db}\n").databases().get(0);
        assertEquals(Optional.empty(), d.postgres());
        assertEquals("file share", d.hubKind());
    }

    @Test
    void theBlocksDatabaseIsNamedAfterThePostgresDatabaseAndItsReplicaAfterThat() throws Exception {
        AppConfig c = parse("  path: postgresql://db/inventory?connect_timeout=5\n");
        assertEquals("inventory", c.databases().get(0).name());
        assertEquals(dir.resolve("cache/inventory.db"), c.replicaPath(c.databases().get(0).name()));
    }

    @Test
    void aPostgresDatabaseNameThatIsNoFileNameNeedsAName() {
        Problem p = onlyProblem("  path: postgresql://db/my%20data\n");
        assertEquals("database.path", p.yamlPath());
        assertTrue(p.message().startsWith("the PostgreSQL database name \"my data\" cannot be used as the database"
                + " name; add `name:`"), p::render);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            postgresql://bob:s3cr3t@db/app     | the URL holds a password; passwords go in ~/.pgpass or PGPASSWORD, never in config.yaml
            postgresql://db/app?sslmode=strict | sslmode "strict" is not one of libpq's; expected one of: disable, allow, prefer, require, verify-ca, verify-full
            postgresql://db/app?options=-cx    | unknown parameter "options"; allowed: sslmode, sslrootcert, sslcert, sslkey, connect_timeout, application_name
            postgresql://db:99999/app          | the port is not a number from 1 to 65535
            jdbc:postgresql://db/app           | this is a JDBC URL; write it without the leading "jdbc:"
            """)
    void aBadUrlIsReportedOnItsLineWithoutRepeatingIt(String url, String message) {
        Problem p = onlyProblem("databases:\n  - name: a\n    path: " + url + "\n");
        assertEquals(5, p.line());
        assertEquals("databases[0].path", p.yamlPath());
        assertTrue(p.message().startsWith("not a usable PostgreSQL URL: " + message), p::render);
        assertFalse(p.render().contains("s3cr3t"), p::render);
    }

    @Test
    void theSameServerDatabaseTwiceIsOneHub() {
        Problem p = onlyProblem("""
                databases:
                  - {name: a, path: 'postgresql://DB.example.com/app'}
                  - {name: b, path: 'postgres://me@db.example.com:5432/app?sslmode=require'}
                  - {name: c, path: 'postgresql://db.example.com:5433/app'}
                """);
        assertEquals("databases[1].path", p.yamlPath());
        assertTrue(p.message().endsWith("is the same PostgreSQL database as databases[0]"
                + " (\"postgresql://DB.example.com/app\", line 4); list each database once"), p::render);
    }

    @Test
    void aPostgresHubIsAlwaysMirrored() {
        Problem own = onlyProblem("databases:\n  - {name: a, path: 'postgresql://db/app', enable_cache: false}\n");
        assertEquals("databases[0].path", own.yamlPath());
        assertTrue(own.message().startsWith("a PostgreSQL hub is always mirrored into a local replica"), own::render);
        Problem inherited = onlyProblem("  enable_cache: false\n"
                + "databases:\n  - {name: a, path: 'postgresql://db/app'}\n");
        assertEquals("databases[0].path", inherited.yamlPath());
    }

    @Test
    void noFileCheckLooksAtAUrl() throws Exception {
        // the URL's text read as a path relative to the config file's folder is a folder there
        Files.createDirectories(dir.resolve("postgresql:/db/app"));
        AppConfig c = parse("databases:\n  - {name: a, path: 'postgresql://db/app'}\n");
        assertEquals(Optional.empty(), c.databaseAt(c.databases().get(0).location()));
        assertEquals("postgresql://db/app", ConfigLoader.resolve("postgresql://db/app", dir));
    }
}
