package io.sharemirror.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.app.Cli.Result;
import io.sharemirror.store.Cluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a new user meets it, in JVMs of their own with this user's config folder in a temp folder
 * (XDG_CONFIG_HOME): no config yet, a typo, status as JSON, a second agent with another config, an agent without a
 * window, and SIGTERM.
 */
class FirstStartCliTest {

    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    Path dir;

    private JavaChild main(String... args) throws Exception {
        return JavaChild.start(Map.of("XDG_CONFIG_HOME", dir.resolve("xdg").toString()),
                List.of("-Dsharemirror.stateDir=" + dir.resolve("state"), "-Dsharemirror.logDir=" + dir.resolve("logs")),
                Main.class, args);
    }

    private String finished(JavaChild child, int code) throws Exception {
        assertEquals(code, child.awaitExit(WAIT), () -> String.join("\n", outputOf(child)));
        return String.join("\n", outputOf(child));
    }

    private static List<String> outputOf(JavaChild child) {
        try {
            return child.output();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path config(String folder) throws Exception {
        Path share = Files.createDirectories(dir.resolve(folder).resolve("share"));
        if (!Files.exists(share.resolve("orders.db"))) {
            Cluster.run(share.resolve("orders.db"), "CREATE TABLE orders(id INTEGER PRIMARY KEY, item TEXT)");
        }
        Path file = dir.resolve(folder).resolve("config.yaml");
        Files.writeString(file, "database:\n  cache_directory: cache\n  enable_cache: true\n"
                + "databases:\n  - name: orders\n    path: share/orders.db\n");
        return file;
    }

    @Test
    void withoutAConfigTheVerbsSayHowToSetUp() throws Exception {
        Path own = dir.resolve("xdg").resolve("sharemirror").resolve("config.yaml");
        String status = finished(main("status"), 0);
        assertTrue(status.contains("ShareMirror is not set up yet: there is no config file at " + own
                + ". Start ShareMirror (from the applications menu, or "), status);
        assertTrue(status.contains(") and choose Add Database…, or name a config file with --config PATH."), status);
        assertTrue(finished(main("sync"), 2).contains("ShareMirror is not set up yet"));
        String json = finished(main("status", "--json"), 0);
        assertTrue(json.contains("\"config\": \"" + own + "\",\n  \"set_up\": false,"), json);
        assertFalse(Files.exists(own), "nothing is created by asking");
        assertFalse(Files.exists(dir.resolve("state")), "nor a state folder");
    }

    @Test
    void aMistypedVerbGetsTheOneItWasMeantToBe() {
        Result r = Cli.run("stauts");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown verb 'stauts' (did you mean \"status\"?); verbs are run, sync, status"),
                r.err());
        Result option = Cli.run("status", "--jsno");
        assertTrue(option.err().contains("unknown option --jsno (did you mean \"--json\"?)"), option.err());
    }

    @Test
    void statusAsJsonHasTheTablesFacts() throws Exception {
        Path file = config("a");
        assertEquals(0, Cli.run("sync", "--config", file.toString()).code());
        Result r = Cli.run("status", "--json", "--config", file.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(Pattern.compile("\\{\"name\": \"orders\", \"state\": \"OK\", \"mode\": \"mirrored\","
                + " \"pending_writes\": 0, \"last_sync\": \"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[.\\d]*[+-Z][:\\d]*\","
                + " \"replica\": \"" + Pattern.quote(dir.resolve("a/cache/orders.db").toString()) + "\", \"hub\": \"")
                .matcher(r.out()).find(), r.out());
        assertTrue(Pattern.compile("\"last_error\": null, \"hint\": null, \"clock_ahead_ms\": -?\\d+,"
                + " \"waiting\": \\[\\]}").matcher(r.out()).find(), r.out());
        assertTrue(r.out().startsWith("{\n  \"config\": \"" + file + "\",\n  \"set_up\": true,"), r.out());
    }

    @Test
    void aSecondAgentHearsWhichConfigTheFirstUsesAndSigtermStopsTheFirstWithZero() throws Exception {
        Path a = config("a");
        Path b = config("b");
        try (JavaChild first = main("run", "--headless", "--config", a.toString())) {
            first.awaitLineContaining("ShareMirror agent started", WAIT);
            String other = finished(main("run", "--config", b.toString()), 6);
            assertTrue(other.contains("sharemirror: ShareMirror is already running for this user with another config, "
                    + a + " (this launch asked for " + b + "); quit it first"), other);
            String same = finished(main("run", "--config", a.toString()), 0);
            assertTrue(same.contains("(process " + first.pid() + ") without a window (headless), so there is no"
                    + " dashboard to show"), same);
            assertFalse(same.contains("asked to show its dashboard"), same);

            first.terminate();
            assertEquals(0, first.awaitExit(WAIT), "SIGTERM is a clean stop");
            String stopped = String.join("\n", first.output());
            assertTrue(stopped.contains("stopping: letting running cycles finish"), stopped);
        }
    }
}
