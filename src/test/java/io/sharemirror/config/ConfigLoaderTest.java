package io.sharemirror.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.sharemirror.config.ConfigException.Problem;
import io.sharemirror.share.ReadOnlyFolder;
import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.MergeMode;
import io.sharemirror.sync.conflict.TablePolicies;
import io.sharemirror.sync.conflict.TablePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    Path configFile;
    Path cache;

    @BeforeEach
    void setUp() throws IOException {
        configFile = dir.resolve("config.yaml");
        cache = Files.createDirectory(dir.resolve("cache"));
    }

    private AppConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, configFile);
    }

    private ConfigException fails(String yaml) {
        return assertThrows(ConfigException.class, () -> parse(yaml));
    }

    /** The only problem of a failing parse. */
    private Problem onlyProblem(String yaml) {
        ConfigException e = fails(yaml);
        assertEquals(1, e.problems().size(), e::getMessage);
        return e.problems().get(0);
    }

    private String cacheLine() {
        return "  cache_directory: " + cache + "\n";
    }

    // ------------------------------------------------------------------ good files

    @Test
    void minimalListGetsShippedDefaults() throws Exception {
        AppConfig c = parse("database:\n" + cacheLine() + "databases:\n  - name: app\n    path: share/app.db\n");

        assertEquals(configFile, c.source());
        assertEquals(cache, c.cacheDirectory());
        assertEquals(Tuning.DEFAULTS, c.tuning());
        assertEquals(1, c.databases().size());
        DatabaseConfig d = c.databases().get(0);
        assertEquals("app", d.name());
        assertEquals("share/app.db", d.path());
        assertEquals(dir.resolve("share/app.db").toString(), d.location());
        assertEquals(Duration.ofSeconds(30), d.syncInterval());
        assertEquals(EnableCache.AUTO, d.enableCache());
        assertEquals(ConflictPolicy.NEWEST_WINS, d.conflict());
        assertEquals(TableFilter.ALL, d.tables());
    }

    @Test
    void tuningDefaultsAreTheDocumentedOnes() {
        Tuning t = Tuning.DEFAULTS;
        assertEquals(10, t.threadPoolSize());
        assertEquals(Duration.ofSeconds(30), t.connectionTimeout());
        assertEquals(3, t.maxRetries());
        assertEquals(Duration.ofMillis(500), t.retryBaseDelay());
        assertEquals(Duration.ofSeconds(5), t.retryMaxDelay());
        assertEquals(5, t.connectionPoolSize());
        assertEquals(Duration.ofSeconds(1), t.hubPollInterval());
        assertEquals(Duration.ofSeconds(60), t.maxClockAhead());
    }

    @Test
    void maxClockAheadIsWholeSecondsUpToADay() throws Exception {
        assertEquals(Duration.ofSeconds(5), parse("database:\n" + cacheLine() + "  path: /x.db\n  max_clock_ahead: 5\n")
                .tuning().maxClockAhead());
        assertEquals("database.max_clock_ahead: \"0\" is out of range; expected whole seconds from 1 to 86400",
                pathAndMessage(onlyProblem("database:\n" + cacheLine() + "  path: /x.db\n  max_clock_ahead: 0\n")));
        assertEquals("database.max_clock_ahead: \"1.5\" is not a whole number; expected whole seconds from 1 to 86400",
                pathAndMessage(onlyProblem("database:\n" + cacheLine() + "  path: /x.db\n  max_clock_ahead: 1.5\n")));
        assertTrue(pathAndMessage(onlyProblem("database:\n" + cacheLine() + "  path: /x.db\ndatabases:\n"
                + "  - name: y\n    path: /y.db\n    max_clock_ahead: 9\n")).contains(
                "max_clock_ahead applies to all databases, so set it in the `database:` block"));
    }

    @Test
    void hubPollIntervalIsSecondsOrZeroForOff() throws Exception {
        assertEquals(Duration.ZERO, parse("database:\n" + cacheLine() + "  path: /x.db\n  hub_poll_interval: 0\n")
                .tuning().hubPollInterval());
        assertEquals(Duration.ofMillis(500), parse("database:\n" + cacheLine() + "  path: /x.db\n"
                + "  hub_poll_interval: 0.5\n").tuning().hubPollInterval());
        ConfigException e = fails("database:\n" + cacheLine() + """
                  path: /x.db
                  hub_poll_interval: 0.2
                databases:
                  - name: y
                    path: /y.db
                    hub_poll_interval: 2
                """);
        List<String> got = e.problems().stream().map(ConfigLoaderTest::pathAndMessage).toList();
        assertEquals(2, got.size(), got::toString);
        assertEquals("database.hub_poll_interval: \"0.2\" is too short; expected 0 (off) or seconds from 0.5 to 3600"
                + " (decimals allowed)", got.get(0));
        assertTrue(got.get(1).startsWith("databases[0].hub_poll_interval: unknown key") && got.get(1).contains(
                "hub_poll_interval applies to all databases, so set it in the `database:` block"), got.get(1));
        assertEquals("database.hub_poll_interval: \"-1\" is out of range; expected 0 (off) or seconds from 0.5 to"
                + " 3600 (decimals allowed)", pathAndMessage(onlyProblem("database:\n" + cacheLine()
                + "  path: /x.db\n  hub_poll_interval: -1\n")));
        assertEquals("database.hub_poll_interval: \"often\" is not a number; expected 0 (off) or seconds from 0.5 to"
                + " 3600 (decimals allowed)", pathAndMessage(onlyProblem("database:\n" + cacheLine()
                + "  path: /x.db\n  hub_poll_interval: often\n")));
    }

    @Test
    void cacheDirectoryDefaultsToImsCacheInHome() throws Exception {
        Path home = Path.of(System.getProperty("user.home"));
        assumeFalse(Files.exists(home.resolve(".ims_cache")) && !Files.isDirectory(home.resolve(".ims_cache")),
                "~/.ims_cache exists and is not a folder on this machine");
        AppConfig c = parse("databases:\n  - name: app\n    path: /srv/app.db\n");
        assertEquals(home.resolve(".ims_cache").toAbsolutePath().normalize(), c.cacheDirectory());
    }

    @Test
    void shippedConfigLoadsWithoutEditing() throws Exception {
        Path shipped = Path.of("config.yaml").toAbsolutePath();
        AppConfig c = ConfigLoader.load(shipped);

        Path root = shipped.getParent();
        assertEquals(root.resolve("demo/cache"), c.cacheDirectory());
        assertEquals(Tuning.DEFAULTS, c.tuning());
        assertEquals(1, c.databases().size());
        DatabaseConfig d = c.databases().get(0);
        assertEquals("chinook", d.name());
        assertEquals("demo/share/chinook.db", d.path());
        assertEquals(root.resolve("demo/share/chinook.db").toString(), d.location());
        assertEquals(Duration.ofSeconds(30), d.syncInterval());
        assertEquals(EnableCache.TRUE, d.enableCache());
        assertEquals(ConflictPolicy.NEWEST_WINS, d.conflict());
        assertEquals(TableFilter.ALL, d.tables());
    }

    @Test
    void originalSingleDatabaseLayout() throws Exception {
        AppConfig c = parse("""
                database:
                  path: //server/share/ims.db
                  sync_interval: 60
                  enable_cache: false
                  cache_directory: %s
                  conflict: hub-wins
                  thread_pool_size: 4
                  connection_timeout: 2.5
                  max_retries: 7
                  retry_base_delay: 0.25
                  retry_max_delay: 10
                  connection_pool_size: 2
                  hub_poll_interval: 1.5
                  max_clock_ahead: 300
                """.formatted(cache));

        assertEquals(new Tuning(4, Duration.ofMillis(2500), 7, Duration.ofMillis(250), Duration.ofSeconds(10), 2,
                Duration.ofMillis(1500), Duration.ofSeconds(300)), c.tuning());
        assertEquals(List.of(new DatabaseConfig("ims", "//server/share/ims.db", "//server/share/ims.db",
                Optional.empty(), Duration.ofSeconds(60), EnableCache.FALSE, TablePolicies.everyTable(ConflictPolicy.HUB_WINS), MirrorMode.READ_WRITE,
                TableFilter.ALL)), c.databases());
    }

    @Test
    void singleDatabaseLayoutWithExplicitName() throws Exception {
        AppConfig c = parse("database:\n  path: '\\\\server\\share\\Inventory Data.sqlite'\n  name: inventory\n"
                + cacheLine());
        DatabaseConfig d = c.databases().get(0);
        assertEquals("inventory", d.name());
        assertEquals("\\\\server\\share\\Inventory Data.sqlite", d.path());
        assertEquals(d.path(), d.location());
    }

    @Test
    void listEntriesInheritDefaultsFromDatabaseBlockAndOverrideThem() throws Exception {
        AppConfig c = parse("""
                database:
                  sync_interval: 45
                  enable_cache: auto
                  conflict: replica-wins
                  cache_directory: %s
                  path: /srv/legacy.db
                databases:
                  - name: chinook
                    path: demo/share/chinook.db
                    sync_interval: 10
                    enable_cache: true
                    conflict: hub-wins
                    tables:
                      include: [Artist, Album]
                      exclude: [Track]
                  - name: plain
                    path: ~/data/plain.db
                """.formatted(cache));

        assertEquals(List.of("legacy", "chinook", "plain"), c.databases().stream().map(DatabaseConfig::name).toList());
        DatabaseConfig legacy = c.databases().get(0);
        assertEquals(Duration.ofSeconds(45), legacy.syncInterval());
        assertEquals(ConflictPolicy.REPLICA_WINS, legacy.conflict());
        assertEquals("/srv/legacy.db", legacy.location());

        DatabaseConfig chinook = c.database("chinook").orElseThrow();
        assertEquals(Duration.ofSeconds(10), chinook.syncInterval());
        assertEquals(EnableCache.TRUE, chinook.enableCache());
        assertEquals(ConflictPolicy.HUB_WINS, chinook.conflict());
        assertEquals(new TableFilter(List.of("Artist", "Album"), List.of("Track")), chinook.tables());

        DatabaseConfig plain = c.database("plain").orElseThrow();
        assertEquals(Duration.ofSeconds(45), plain.syncInterval());
        assertEquals(EnableCache.AUTO, plain.enableCache());
        assertEquals(ConflictPolicy.REPLICA_WINS, plain.conflict());
        assertEquals(TableFilter.ALL, plain.tables());
        assertEquals(Path.of(System.getProperty("user.home"), "data", "plain.db").toString(), plain.location());
        assertEquals("~/data/plain.db", plain.path());
    }

    @Test
    void perTablePoliciesOverrideTheDatabasesAndTakeItsSettingsWhereTheySetNone() throws Exception {
        DatabaseConfig inventory = parse("database:\n" + cacheLine() + """
                databases:
                  - name: inventory
                    path: //server/share/inventory.db
                    conflict: replica-wins
                    merge: column
                    per_table:
                      stock_move: { conflict: hub-wins, merge: row }
                      Customer: { merge: column }
                      audit:
                        conflict: newest-wins
                """).database("inventory").orElseThrow();
        TablePolicies policies = inventory.policies();
        assertEquals(new TablePolicy(ConflictPolicy.REPLICA_WINS, MergeMode.COLUMN), policies.database());
        assertEquals(new TablePolicy(ConflictPolicy.HUB_WINS, MergeMode.ROW), policies.of("stock_move"));
        assertEquals(new TablePolicy(ConflictPolicy.HUB_WINS, MergeMode.ROW), policies.of("STOCK_Move"),
                "table names match ignoring case, as SQLite's do");
        assertEquals(new TablePolicy(ConflictPolicy.REPLICA_WINS, MergeMode.COLUMN), policies.of("customer"));
        assertEquals(new TablePolicy(ConflictPolicy.NEWEST_WINS, MergeMode.COLUMN), policies.of("audit"));
        assertEquals(new TablePolicy(ConflictPolicy.REPLICA_WINS, MergeMode.COLUMN), policies.of("not_configured"));
        assertEquals(ConflictPolicy.REPLICA_WINS, inventory.conflict());
    }

    @Test
    void mergeAndPerTableInTheDatabaseBlockAreEveryDatabasesDefaults() throws Exception {
        AppConfig c = parse("database:\n" + cacheLine() + """
                  path: /srv/one.db
                  merge: column
                  per_table:
                    log: { conflict: hub-wins }
                    note: { merge: row }
                databases:
                  - name: two
                    path: /srv/two.db
                    conflict: replica-wins
                    per_table:
                      LOG: { merge: row }
                  - name: three
                    path: /srv/three.db
                    merge: row
                """);
        TablePolicies one = c.database("one").orElseThrow().policies();
        assertEquals(new TablePolicy(ConflictPolicy.NEWEST_WINS, MergeMode.COLUMN), one.database());
        assertEquals(new TablePolicy(ConflictPolicy.HUB_WINS, MergeMode.COLUMN), one.of("log"));
        assertEquals(new TablePolicy(ConflictPolicy.NEWEST_WINS, MergeMode.ROW), one.of("note"));
        TablePolicies two = c.database("two").orElseThrow().policies();
        assertEquals(new TablePolicy(ConflictPolicy.REPLICA_WINS, MergeMode.ROW), two.of("log"),
                "the database's own entry for a table replaces the block's, and takes the database's settings");
        assertEquals(new TablePolicy(ConflictPolicy.REPLICA_WINS, MergeMode.ROW), two.of("note"));
        assertEquals(new TablePolicy(ConflictPolicy.REPLICA_WINS, MergeMode.COLUMN), two.of("other"));
        TablePolicies three = c.database("three").orElseThrow().policies();
        assertEquals(new TablePolicy(ConflictPolicy.HUB_WINS, MergeMode.ROW), three.of("log"));
        assertEquals(new TablePolicy(ConflictPolicy.NEWEST_WINS, MergeMode.ROW), three.of("other"));
        assertEquals(TablePolicies.everyTable(TablePolicy.DEFAULT), parse("database:\n" + cacheLine()
                + "  path: /x.db\n").databases().get(0).policies(), "row merges, newest wins, unless configured");
    }

    @Test
    void badMergeAndPerTableSettingsNameTheLineAndWhatIsAllowed() {
        ConfigException e = fails("database:\n" + cacheLine() + """
                  path: /x.db
                  merge: columns
                databases:
                  - name: a
                    path: /a.db
                    per_table:
                      stock: { conflict: oldest-wins }
                      item: { merge: cell, colour: red }
                      Stock: { merge: row }
                      _sm_log: { merge: row }
                      empty: {}
                      bare: hub-wins
                  - name: b
                    path: /b.db
                    per_table: [stock]
                """);
        assertEquals(List.of(
                "4 database.merge: \"columns\" is not a merge mode; expected one of: row, column (did you mean"
                        + " \"column\"?)",
                "9 databases[0].per_table.stock.conflict: \"oldest-wins\" is not a conflict policy; expected one of:"
                        + " newest-wins, hub-wins, replica-wins",
                "10 databases[0].per_table.item.colour: unknown key \"colour\"; allowed keys here: conflict, merge",
                "10 databases[0].per_table.item.merge: \"cell\" is not a merge mode; expected one of: row, column",
                "11 databases[0].per_table.Stock: \"Stock\" is configured twice (also on line 9); table names are"
                        + " compared ignoring case",
                "12 databases[0].per_table._sm_log: \"_sm_log\" is an internal table; expected a user table name"
                        + " (sqlite_* and _sm_* tables are never mirrored)",
                "13 databases[0].per_table.empty: is empty; expected `conflict:` (newest-wins, hub-wins, replica-wins)"
                        + " and/or `merge:` (row, column)",
                "14 databases[0].per_table.bare: found \"hub-wins\"; expected `conflict:` (newest-wins, hub-wins,"
                        + " replica-wins) and/or `merge:` (row, column)",
                "17 databases[1].per_table: found a list; expected table names, each with `conflict:` and/or"
                        + " `merge:`, like `stock_move: {conflict: hub-wins, merge: row}`"),
                e.problems().stream().map(p -> p.line() + " " + pathAndMessage(p)).toList());
    }

    @Test
    void locationsAreResolvedOnlyForLocalPaths() throws Exception {
        AppConfig c = parse("""
                database:
                  cache_directory: cache/../cache
                databases:
                  - {name: rel, path: sub/../x/rel.db}
                  - {name: abs, path: /data/./abs.db}
                  - {name: unc, path: '\\\\fs01\\team\\unc.db'}
                  - {name: slashes, path: //fs01/team/slashes.db}
                  - {name: drive, path: 'Z:\\apps\\drive.db'}
                """);
        assertEquals(cache, c.cacheDirectory());
        assertEquals(dir.resolve("x/rel.db").toString(), c.database("rel").orElseThrow().location());
        assertEquals("/data/abs.db", c.database("abs").orElseThrow().location());
        assertEquals("\\\\fs01\\team\\unc.db", c.database("unc").orElseThrow().location());
        assertEquals("//fs01/team/slashes.db", c.database("slashes").orElseThrow().location());
        assertEquals("Z:\\apps\\drive.db", c.database("drive").orElseThrow().location());
        assertEquals("sub/../x/rel.db", c.database("rel").orElseThrow().path());
    }

    @Test
    void enableCacheAcceptsYamlBooleansAndStrings() throws Exception {
        AppConfig c = parse("database:\n" + cacheLine() + """
                databases:
                  - {name: a, path: /a.db, enable_cache: true}
                  - {name: b, path: /b.db, enable_cache: "false"}
                  - {name: c, path: /c.db, enable_cache: auto}
                  - {name: d, path: /d.db, enable_cache: "TRUE"}
                """);
        assertEquals(List.of(EnableCache.TRUE, EnableCache.FALSE, EnableCache.AUTO, EnableCache.TRUE),
                c.databases().stream().map(DatabaseConfig::enableCache).toList());
    }

    @Test
    void modeIsReadWriteUnlessSetInTheBlockOrPerDatabase() throws Exception {
        AppConfig c = parse("database:\n" + cacheLine() + """
                  mode: read-only
                databases:
                  - {name: inherits, path: /a.db}
                  - {name: writes, path: /b.db, mode: read-write}
                  - {name: spelled, path: /c.db, mode: Read-Only}
                """);
        assertEquals(List.of(MirrorMode.READ_ONLY, MirrorMode.READ_WRITE, MirrorMode.READ_ONLY),
                c.databases().stream().map(DatabaseConfig::mode).toList());
        assertEquals(MirrorMode.READ_WRITE, parse("database:\n" + cacheLine() + "  path: /x.db\n").databases().get(0).mode());
    }

    @Test
    void badModeListsTheModesAndSuggestsTheNearestOne() {
        ConfigException e = fails("database:\n" + cacheLine() + """
                databases:
                  - name: app
                    path: /x.db
                    mode: read_only
                  - name: other
                    path: /y.db
                    mode: [read-only]
                """);
        assertEquals(List.of(
                "databases[0].mode: \"read_only\" is not a mode; expected one of: read-write, read-only"
                        + " (did you mean \"read-only\"?)",
                "databases[1].mode: found a list; expected one of: read-write, read-only"),
                e.problems().stream().map(ConfigLoaderTest::pathAndMessage).toList());
        assertEquals(6, e.problems().get(0).line());
    }

    @Test
    void secondsAcceptDecimalsAndRoundToMilliseconds() throws Exception {
        AppConfig c = parse("database:\n" + cacheLine() + "  connection_timeout: 0.0015\n  retry_base_delay: 1\n"
                + "  retry_max_delay: 1\n  path: /x.db\n");
        assertEquals(Duration.ofMillis(2), c.tuning().connectionTimeout());
        assertEquals(Duration.ofSeconds(1), c.tuning().retryBaseDelay());
        assertEquals(Duration.ofSeconds(1), c.tuning().retryMaxDelay());
    }

    @Test
    void loadReadsTheFile() throws Exception {
        Files.writeString(configFile, "database:\n" + cacheLine() + "databases:\n  - {name: app, path: app.db}\n");
        AppConfig c = ConfigLoader.load(configFile);
        assertEquals(dir.resolve("app.db").toString(), c.databases().get(0).location());
        assertEquals(configFile, c.source());
    }

    // ------------------------------------------------------------------ bad files

    @Test
    void notANumberNamesFileLinePathValueAndRange() {
        ConfigException e = fails("database:\n" + cacheLine() + """
                databases:
                  - name: a
                    path: /a.db
                  - name: b
                    path: /b.db
                    sync_interval: abc
                """);
        assertEquals("config.yaml:8: databases[1].sync_interval: \"abc\" is not a number; expected whole seconds"
                + " from 1 to 86400", e.getMessage());
        Problem p = e.problems().get(0);
        assertEquals(configFile, p.file());
        assertEquals(8, p.line());
        assertEquals("databases[1].sync_interval", p.yamlPath());
    }

    @Test
    void yamlSyntaxErrorGivesLineAndShortProblem() {
        Problem p = onlyProblem("databases:\n  - name: a\n    path: [unclosed\n  - name: b\n");
        assertEquals(4, p.line(), p::render);
        assertTrue(p.message().startsWith("YAML syntax error at column "), p::render);
        assertTrue(p.message().contains("expected ',' or ']'"), p::render);
        assertTrue(p.render().startsWith("config.yaml:4: YAML syntax error"), p::render);
    }

    @Test
    void badIndentationIsASyntaxError() {
        Problem p = onlyProblem("database:\n  sync_interval: 3\n   enable_cache: true\n");
        assertEquals(3, p.line(), p::render);
        assertTrue(p.message().contains("mapping values are not allowed here"), p::render);
    }

    @Test
    void wrongTypeIsReported() {
        ConfigException e = fails("database:\n" + cacheLine() + """
                  sync_interval: [1, 2]
                  conflict: {a: b}
                databases:
                  name: a
                """);
        assertEquals(3, e.problems().size(), e::getMessage);
        assertEquals("database.sync_interval: found a list, not a number; expected whole seconds from 1 to 86400",
                pathAndMessage(e.problems().get(0)));
        assertEquals(3, e.problems().get(0).line());
        assertEquals("database.conflict: found a mapping; expected one of: newest-wins, hub-wins, replica-wins",
                pathAndMessage(e.problems().get(1)));
        assertEquals(4, e.problems().get(1).line());
        assertEquals(6, e.problems().get(2).line());
        assertTrue(e.problems().get(2).message().startsWith("found a mapping; expected a list of databases"),
                e::getMessage);
    }

    @Test
    void outOfRangeNumbersShowTheAllowedRange() {
        ConfigException e = fails("database:\n" + cacheLine() + """
                  path: /x.db
                  sync_interval: 86401
                  thread_pool_size: 0
                  connection_timeout: 3600.5
                  max_retries: 21
                  retry_base_delay: -1
                  connection_pool_size: 65
                  retry_max_delay: 2.5.1
                """);
        List<String> got = e.problems().stream().map(ConfigLoaderTest::pathAndMessage).toList();
        assertEquals(List.of(
                "database.sync_interval: \"86401\" is out of range; expected whole seconds from 1 to 86400",
                "database.thread_pool_size: \"0\" is out of range; expected a whole number from 1 to 256",
                "database.connection_timeout: \"3600.5\" is out of range; expected seconds greater than 0 and at most"
                        + " 3600 (decimals allowed)",
                "database.max_retries: \"21\" is out of range; expected a whole number from 1 to 20",
                "database.retry_base_delay: \"-1\" is out of range; expected seconds greater than 0 and at most 600"
                        + " (decimals allowed)",
                "database.connection_pool_size: \"65\" is out of range; expected a whole number from 1 to 64",
                "database.retry_max_delay: \"2.5.1\" is not a number; expected seconds greater than 0 and at most"
                        + " 600, and not less than retry_base_delay"), got);
        assertEquals(List.of(4, 5, 6, 7, 8, 9, 10), e.problems().stream().map(Problem::line).toList());
    }

    @Test
    void wholeNumbersRejectFractions() {
        Problem p = onlyProblem("database:\n" + cacheLine() + "  path: /x.db\n  sync_interval: 2.5\n");
        assertEquals("database.sync_interval: \"2.5\" is not a whole number; expected whole seconds from 1 to 86400",
                pathAndMessage(p));
    }

    @Test
    void emptyValueIsReported() {
        Problem p = onlyProblem("database:\n" + cacheLine() + "  path: /x.db\n  max_retries:\n");
        assertEquals(4, p.line());
        assertEquals("database.max_retries: is empty; expected a whole number from 1 to 20", pathAndMessage(p));
    }

    @Test
    void retryMaxDelayMustNotBeBelowBaseDelay() {
        Problem p = onlyProblem("database:\n" + cacheLine() + "  path: /x.db\n  retry_base_delay: 2\n"
                + "  retry_max_delay: 1.5\n");
        assertEquals(5, p.line());
        assertEquals("database.retry_max_delay", p.yamlPath());
        assertTrue(p.message().startsWith("\"1.5\" is less than retry_base_delay (2)"), p::render);

        Problem q = onlyProblem("database:\n" + cacheLine() + "  path: /x.db\n  retry_base_delay: 8\n");
        assertEquals("database.retry_base_delay", q.yamlPath());
        assertTrue(q.message().startsWith("\"8\" is greater than retry_max_delay (5 by default)"), q::render);
    }

    @Test
    void tooSmallDurationIsRejected() {
        Problem p = onlyProblem("database:\n" + cacheLine() + "  path: /x.db\n  connection_timeout: 0.0004\n");
        assertEquals("database.connection_timeout: \"0.0004\" is too small; the smallest value is 0.001 (one"
                + " millisecond)", pathAndMessage(p));
    }

    @Test
    void badEnumValuesListTheAllowedOnes() {
        ConfigException e = fails("database:\n" + cacheLine() + """
                  path: /x.db
                  conflict: newest-win
                  enable_cache: yes
                """);
        assertEquals(2, e.problems().size(), e::getMessage);
        assertEquals("database.conflict: \"newest-win\" is not a conflict policy; expected one of: newest-wins,"
                + " hub-wins, replica-wins (did you mean \"newest-wins\"?)", pathAndMessage(e.problems().get(0)));
        assertEquals("database.enable_cache: \"yes\" is not allowed; expected one of: auto, true, false",
                pathAndMessage(e.problems().get(1)));
        assertEquals(5, e.problems().get(1).line());
    }

    @Test
    void unknownKeyNamesItsPathLineAndAllowedKeys() {
        ConfigException e = fails("database:\n" + cacheLine() + """
                databases:
                  - name: a
                    path: /a.db
                    synch_interval: 10
                    colour: red
                """);
        assertEquals(2, e.problems().size(), e::getMessage);
        Problem typo = e.problems().get(0);
        assertEquals(6, typo.line());
        assertEquals("databases[0].synch_interval", typo.yamlPath());
        assertEquals("unknown key \"synch_interval\" (did you mean \"sync_interval\"?); allowed keys here: name,"
                + " path, sync_interval, enable_cache, conflict, merge, per_table, mode, tables", typo.message());
        Problem other = e.problems().get(1);
        assertEquals(7, other.line());
        assertEquals("unknown key \"colour\"; allowed keys here: name, path, sync_interval, enable_cache,"
                + " conflict, merge, per_table, mode, tables", other.message());
    }

    @Test
    void topLevelTuningKeyIsUnknownAndPointsToTheDatabaseBlock() {
        ConfigException e = fails("database:\n" + cacheLine() + "  path: /x.db\ntuning:\n  thread_pool_size: 4\n"
                + "sync_interval: 5\n");
        assertEquals(2, e.problems().size(), e::getMessage);
        assertEquals("tuning", e.problems().get(0).yamlPath());
        assertEquals(4, e.problems().get(0).line());
        assertTrue(e.problems().get(0).message().contains("go in the `database:` block"), e::getMessage);
        assertTrue(e.problems().get(1).message().contains("did you mean database.sync_interval?"), e::getMessage);
    }

    @Test
    void settingsForAllDatabasesAreRejectedInsideAnEntry() {
        Problem p = onlyProblem("database:\n" + cacheLine()
                + "databases:\n  - name: a\n    path: /a.db\n    thread_pool_size: 3\n");
        assertEquals("databases[0].thread_pool_size", p.yamlPath());
        assertTrue(p.message().contains("applies to all databases, so set it in the `database:` block"), p::render);
    }

    @Test
    void duplicateKeyInAMappingIsReportedWithBothLines() {
        Problem p = onlyProblem("database:\n" + cacheLine() + "  path: /x.db\n  sync_interval: 10\n"
                + "  sync_interval: 20\n");
        assertEquals(5, p.line());
        assertEquals("database.sync_interval", p.yamlPath());
        assertEquals("duplicate key \"sync_interval\"; it is already set on line 4", p.message());
    }

    @Test
    void duplicateDatabaseNamesIgnoringCase() {
        Problem p = onlyProblem("database:\n" + cacheLine() + """
                databases:
                  - name: Sales
                    path: /one.db
                  - name: sales
                    path: /two.db
                """);
        assertEquals(6, p.line());
        assertEquals("databases[1].name", p.yamlPath());
        assertEquals("\"sales\" is already used by databases[0] (line 4); names must differ ignoring case because"
                + " each becomes a file <name>.db", p.message());
    }

    @Test
    void singleDatabaseNameFromStemCollidesWithListEntry() {
        Problem p = onlyProblem("database:\n" + cacheLine() + "  path: //srv/s/ims.db\n"
                + "databases:\n  - name: IMS\n    path: //srv/s/other.db\n");
        assertEquals("databases[0].name", p.yamlPath());
        assertTrue(p.message().contains("already used by database"), p::render);
    }

    @Test
    void twoEntriesForTheSameHub() {
        ConfigException e = fails("database:\n" + cacheLine() + """
                databases:
                  - {name: a, path: '\\\\FS01\\Team\\app.db'}
                  - {name: b, path: //fs01/team/APP.db}
                  - {name: c, path: data/app.db}
                  - {name: d, path: ./data/../data/app.db}
                """);
        assertEquals(2, e.problems().size(), e::getMessage);
        Problem unc = e.problems().get(0);
        assertEquals(5, unc.line());
        assertEquals("databases[1].path", unc.yamlPath());
        assertEquals("\"//fs01/team/APP.db\" is the same database file as databases[0] (\"\\\\FS01\\Team\\app.db\","
                + " line 4); list each database once", unc.message());
        Problem posix = e.problems().get(1);
        assertEquals(7, posix.line());
        assertTrue(posix.message().contains("same database file as databases[2]"), posix::render);
    }

    @Test
    void pathThatIsAFolder() throws Exception {
        Files.createDirectories(dir.resolve("share/db"));
        Problem p = onlyProblem("database:\n" + cacheLine() + "databases:\n  - name: a\n    path: share/db\n");
        assertEquals(5, p.line());
        assertEquals("databases[0].path: \"share/db\" is a folder; expected an SQLite database file",
                pathAndMessage(p));
    }

    @Test
    void cacheDirectoryThatIsAFile() throws Exception {
        Files.writeString(dir.resolve("afile"), "x");
        Problem p = onlyProblem("database:\n  path: /x.db\n  cache_directory: afile\n");
        assertEquals(3, p.line());
        assertEquals("database.cache_directory", p.yamlPath());
        assertEquals("\"afile\" is a file (" + dir.resolve("afile") + "); expected a folder", p.message());
    }

    @Test
    void cacheDirectoryThatCannotBeCreatedBecauseItsParentIsAFile() throws Exception {
        Files.writeString(dir.resolve("afile"), "x");
        Problem p = onlyProblem("database:\n  path: /x.db\n  cache_directory: afile/sub/cache\n");
        assertEquals("database.cache_directory", p.yamlPath());
        assertEquals("\"afile/sub/cache\" cannot be created: " + dir.resolve("afile") + " is a file, not a folder",
                p.message());
    }

    /** Real for root too (CI runs as root, whom permissions do not stop): a read-only mount stops everyone. */
    @Test
    void cacheDirectoryNotWritable() throws Exception {
        Path locked = Files.createDirectories(dir.resolve("locked"));
        try (ReadOnlyFolder readOnly = ReadOnlyFolder.of(locked)) {
            Problem p = onlyProblem("database:\n  path: /x.db\n  cache_directory: locked\n");
            assertEquals(3, p.line());
            assertEquals("database.cache_directory", p.yamlPath());
            assertEquals("\"locked\" is not writable (" + locked + "); expected a folder this user can write to",
                    p.message());
            Problem notYet = onlyProblem("database:\n  path: /x.db\n  cache_directory: locked/sub/cache\n");
            assertEquals("\"locked/sub/cache\" cannot be created: " + locked + " is not writable", notYet.message());
        }
    }

    @Test
    void arbitraryJavaTypeTagsAreRejected() {
        Problem runtime = onlyProblem("database:\n" + cacheLine() + "  path: !!java.lang.Runtime /x.db\n");
        assertEquals(3, runtime.line());
        assertTrue(runtime.message().startsWith("tag !!java.lang.Runtime is not allowed"), runtime::render);

        Problem gadget = onlyProblem("databases:\n  - name: a\n    path: !!javax.script.ScriptEngineManager "
                + "[!!java.net.URLClassLoader [[!!java.net.URL [\"http://example.invalid/\"]]]]\n");
        assertEquals(3, gadget.line());
        assertTrue(gadget.message().startsWith("tag !!javax.script.ScriptEngineManager is not allowed"),
                gadget::render);
    }

    /**
     * However a type is named (a !! tag, a verbatim global tag, a %TAG shorthand, a local tag, in a key or a value),
     * the config is refused and the class is never even loaded: SnakeYAML only composes nodes here.
     */
    @Test
    void noTagEverLoadsAJavaClass() {
        String canary = "io.sharemirror.config.YamlCanary"; // named, not referenced: that would load it here
        List<String> hostile = List.of(
                "database:\n  path: !!" + canary + " /x.db\n",
                "database:\n  path: !<tag:yaml.org,2002:" + canary + "> /x.db\n",
                "%TAG !! tag:yaml.org,2002:io.sharemirror.config.\n---\ndatabase:\n  path: !!YamlCanary /x.db\n",
                "%TAG !j! tag:yaml.org,2002:\n---\ndatabase: !j!" + canary + " {}\n",
                "database:\n  path: !" + canary + " /x.db\n",
                "databases:\n  - !!" + canary + " [a]\n",
                "database:\n  ? !!" + canary + " x\n  : /x.db\n",
                "!!" + canary + " {database: {path: /x.db}}\n");
        for (String yaml : hostile) {
            ConfigException e = fails(yaml);
            assertTrue(e.problems().stream().anyMatch(p -> p.message().contains("is not allowed")), yaml + "\n" + e.getMessage());
        }
        assertEquals(null, System.getProperty(YamlCanary.LOADED), "a tag made SnakeYAML load a class");
        assertDoesNotThrow(() -> Class.forName(canary)); // the canary itself works: loading it is seen
        assertEquals("true", System.getProperty(YamlCanary.LOADED));
    }

    @Test
    void customAndNonPlainTagsAreRejectedWithTheirPath() {
        ConfigException e = fails("database:\n" + cacheLine() + """
                databases:
                  - name: a
                    path: !foo /a.db
                  - !!set {name: b}
                  - name: c
                    path: !!binary aGVsbG8=
                """);
        assertEquals(3, e.problems().size(), e::getMessage);
        assertEquals("databases[0].path: tag !foo is not allowed; only plain text, numbers, true/false, lists and"
                + " mappings are accepted", pathAndMessage(e.problems().get(0)));
        assertEquals(5, e.problems().get(0).line());
        assertEquals("databases[1]", e.problems().get(1).yamlPath());
        assertTrue(e.problems().get(1).message().startsWith("tag !!set is not allowed"), e::getMessage);
        assertEquals("databases[2].path", e.problems().get(2).yamlPath());
    }

    @Test
    void explicitStandardTagsAreFine() throws Exception {
        AppConfig c = parse("database:\n" + cacheLine() + "databases:\n  - name: !!str 2024\n"
                + "    path: /x.db\n    sync_interval: !!int 12\n");
        assertEquals("2024", c.databases().get(0).name());
        assertEquals(Duration.ofSeconds(12), c.databases().get(0).syncInterval());
    }

    @Test
    void mergeKeysAreRejected() {
        ConfigException e = fails("database:\n" + cacheLine() + """
                databases:
                  - &base {name: a, path: /a.db}
                  - <<: *base
                    name: b
                """);
        assertTrue(e.getMessage().contains("merge keys (<<) are not supported"), e::getMessage);
        assertEquals(5, e.problems().get(0).line());
    }

    @Test
    void aliasExplosionIsStoppedEarly() {
        StringBuilder y = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'k'; c++) {
            y.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                y.append(i == 0 ? "" : ", ").append('*').append(prev);
            }
            y.append("]\n");
            prev = c;
        }
        Problem p = onlyProblem(y.toString());
        assertTrue(p.message().contains("aliases"), p::render);
    }

    @Test
    void severalProblemsAreReportedAtOnceInFileOrder() {
        ConfigException e = fails("""
                database:
                  sync_interval: 0
                  cache_directory: %s
                  enable_cache: maybe
                databases:
                  - name: "bad name"
                    path: /a.db
                  - path: /b.db
                  - name: ok
                    path: /c.db
                    tables:
                      include: [T1, T2, t1]
                      exclude: [T2]
                    extra: 1
                """.formatted(cache));
        List<String> rendered = e.getMessage().lines().toList();
        assertEquals(e.problems().size(), rendered.size());
        assertEquals(List.of(2, 4, 6, 8, 12, 13, 14), e.problems().stream().map(Problem::line).toList(),
                e::getMessage);
        assertTrue(rendered.get(0).startsWith("config.yaml:2: database.sync_interval: \"0\" is out of range"),
                e::getMessage);
        assertTrue(rendered.get(2).contains("databases[0].name: \"bad name\" is not a valid name"), e::getMessage);
        assertTrue(rendered.get(3).contains("databases[1]: missing `name:`"), e::getMessage);
        assertTrue(rendered.get(4).contains("databases[2].tables.include[2]: \"t1\" is listed twice"),
                e::getMessage);
        assertTrue(rendered.get(5).contains("databases[2].tables.exclude[0]: \"T2\" is both included (line 12)"
                + " and excluded"), e::getMessage);
        assertTrue(rendered.get(6).contains("databases[2].extra: unknown key \"extra\""), e::getMessage);
    }

    @Test
    void missingPathAndEmptyName() {
        ConfigException e = fails("database:\n" + cacheLine() + "databases:\n  - name: ''\n    path: ''\n"
                + "  - name: b\n");
        List<String> got = e.problems().stream().map(ConfigLoaderTest::pathAndMessage).toList();
        assertEquals(3, got.size(), e::getMessage);
        assertEquals("databases[0].name: is empty; expected a database name", got.get(0));
        assertTrue(got.get(1).startsWith("databases[0].path: is empty; expected the database file on the share"),
                e::getMessage);
        assertTrue(got.get(2).startsWith("databases[1]: missing `path:`"), e::getMessage);
    }

    @Test
    void reservedAndInvalidNames() {
        ConfigException e = fails("database:\n" + cacheLine() + """
                databases:
                  - {name: state, path: /a.db}
                  - {name: NUL, path: /b.db}
                  - {name: .hidden, path: /c.db}
                  - {name: [a], path: /d.db}
                """);
        List<String> got = e.problems().stream().map(Problem::message).toList();
        assertEquals(4, got.size(), e::getMessage);
        assertTrue(got.get(0).contains("state.db belongs to ShareMirror"), e::getMessage);
        assertTrue(got.get(1).contains("reserved name on Windows"), e::getMessage);
        assertTrue(got.get(2).startsWith("\".hidden\" is not a valid name; expected 1 to 64 letters"), e::getMessage);
        assertEquals("found a list; expected a database name", got.get(3));
    }

    @Test
    void fileStemThatIsNotAValidNameNeedsAnExplicitName() {
        Problem p = onlyProblem("database:\n" + cacheLine() + "  path: '//srv/share/my data.db'\n");
        assertEquals("database.path", p.yamlPath());
        assertTrue(p.message().startsWith("the file name \"my data\" cannot be used as the database name; add"
                + " `name:`"), p::render);
    }

    @Test
    void nameWithoutPathInTheDatabaseBlock() {
        ConfigException e = fails("database:\n" + cacheLine() + "  name: ims\n"
                + "databases:\n  - {name: a, path: /a.db}\n");
        assertEquals(1, e.problems().size(), e::getMessage);
        assertEquals("database.name", e.problems().get(0).yamlPath());
        assertTrue(e.problems().get(0).message().contains("only allowed together with `path`"), e::getMessage);
    }

    @Test
    void tablesMustBeListsOfUserTables() {
        ConfigException e = fails("database:\n" + cacheLine() + """
                databases:
                  - name: a
                    path: /a.db
                    tables:
                      include: Artist
                      exlude: [x]
                  - name: b
                    path: /b.db
                    tables: [Artist]
                  - name: c
                    path: /c.db
                    tables:
                      include: [_sm_log]
                """);
        List<String> got = e.problems().stream().map(ConfigLoaderTest::pathAndMessage).toList();
        assertEquals(4, got.size(), e::getMessage);
        assertEquals("databases[0].tables.include: found \"Artist\"; expected a list of table names, like"
                + " [Artist, Album]", got.get(0));
        assertTrue(got.get(1).startsWith("databases[0].tables.exlude: unknown key \"exlude\" (did you mean"
                + " \"exclude\"?)"), e::getMessage);
        assertTrue(got.get(2).startsWith("databases[1].tables: found a list; expected a mapping"), e::getMessage);
        assertTrue(got.get(3).startsWith("databases[2].tables.include[0]: \"_sm_log\" is an internal table"),
                e::getMessage);
    }

    @Test
    void noDatabasesConfigured() {
        Problem p = onlyProblem("database:\n" + cacheLine() + "  sync_interval: 10\n");
        assertEquals("no databases configured; add a `databases:` list or `database.path`", p.message());

        Problem none = onlyProblem("database:\n" + cacheLine() + "databases:\n");
        assertEquals(p.message(), none.message());
        assertEquals("databases", none.yamlPath());
    }

    @Test
    void anEmptyListSaysNoneYet() throws Exception {
        assertEquals(List.of(), parse("database:\n" + cacheLine() + "databases: []\n").databases());
    }

    @Test
    void emptyAndCommentOnlyFiles() {
        for (String text : List.of("", "   \n\n", "# only a comment\n")) {
            Problem p = onlyProblem(text);
            assertEquals(0, p.line());
            assertEquals("config.yaml: file is empty; add a `databases:` list or `database.path`", p.render());
        }
    }

    @Test
    void topLevelMustBeAMapping() {
        Problem p = onlyProblem("- name: a\n  path: /a.db\n");
        assertTrue(p.message().startsWith("found a list at the top of the file"), p::render);
    }

    @Test
    void moreThanOneDocumentIsASyntaxError() {
        Problem p = onlyProblem("databases: []\n---\ndatabases: []\n");
        assertEquals(2, p.line(), p::render);
        assertTrue(p.message().contains("expected a single document"), p::render);
    }

    @Test
    void fileNotFound() {
        Path missing = dir.resolve("nope/config.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing));
        assertEquals(1, e.problems().size());
        assertEquals("config.yaml: file not found: " + missing, e.getMessage());
    }

    @Test
    void folderInsteadOfFile() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(cache));
        assertEquals("cache: " + cache + " is a folder; expected a YAML file", e.getMessage());
    }

    @Test
    void notUtf8() throws Exception {
        Files.write(configFile, new byte[] {'a', ':', ' ', (byte) 0xC3, (byte) 0x28, '\n'});
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(configFile));
        assertEquals("config.yaml: file is not UTF-8 text; save it as UTF-8", e.getMessage());
    }

    @Test
    void didYouMeanUsesEditDistanceTwo() {
        List<String> keys = List.of("sync_interval", "enable_cache");
        assertEquals(" (did you mean \"enable_cache\"?)", ConfigLoader.didYouMean("enabel_cache", keys));
        assertEquals(" (did you mean \"sync_interval\"?)", ConfigLoader.didYouMean("Sync_Interval", keys));
        assertEquals("", ConfigLoader.didYouMean("interval", keys));
        assertEquals(2, ConfigLoader.editDistance("retries", "retires"));
        assertEquals(3, ConfigLoader.editDistance("kitten", "sitting"));
    }

    private static String pathAndMessage(Problem p) {
        return p.yamlPath() + ": " + p.message();
    }
}
