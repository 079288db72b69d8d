package io.sharemirror.store.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.paths.PostgresAddress;
import io.sharemirror.share.PostgresServer;
import io.sharemirror.sync.StoreException;
import io.sharemirror.sync.StoreException.Kind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Connections to a real server, with the credentials found the PostgreSQL way and every refusal classified. */
class PgConnectorTest {

    private static final Duration SHORT = Duration.ofSeconds(2);

    @RegisterExtension
    static final PostgresServer.PerClass postgres = new PostgresServer.PerClass();

    @TempDir
    Path dir;

    private static PostgresAddress hub(String database) throws PostgresAddress.Invalid {
        return PostgresAddress.parse("postgresql://" + postgres.server().user() + "@127.0.0.1:" + postgres.server().port() + "/" + database);
    }

    /** An environment without this user's own password file, plus {@code variables}. */
    private Map<String, String> environment(String... variables) {
        Map<String, String> env = new HashMap<>(Map.of("PGPASSFILE", dir.resolve("no-pgpass").toString()));
        for (int i = 0; i < variables.length; i += 2) {
            env.put(variables[i], variables[i + 1]);
        }
        return env;
    }

    private static PgConnector connector(Map<String, String> environment) {
        return new PgConnector(environment, SHORT, SHORT);
    }

    private Path pgpass(String... lines) throws IOException {
        Path file = dir.resolve("pgpass");
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private String pgpassLine(String password) {
        return "127.0.0.1:" + postgres.server().port() + ":" + postgres.server().database() + ":" + postgres.server().user() + ":" + password;
    }

    @Test
    void thePasswordFromPgpassword() throws Exception {
        try (Connection c = connector(environment("PGPASSWORD", postgres.server().password())).open(hub("hub"));
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT current_user, current_database(),"
                        + " current_setting('application_name')")) {
            r.next();
            assertEquals(List.of(postgres.server().user(), "hub", "ShareMirror"),
                    List.of(r.getString(1), r.getString(2), r.getString(3)));
        }
    }

    @Test
    void thePasswordFromTheFilePgpassfileNames() throws Exception {
        Path file = pgpass("# the first line that matches wins", "127.0.0.1:*:other:*:not-this-one",
                "*:" + postgres.server().port() + ":*:" + postgres.server().user() + ":" + postgres.server().password(), pgpassLine("nor-this-one"));
        try (Connection c = connector(Map.of("PGPASSFILE", file.toString())).open(hub("hub"))) {
            assertTrue(c.isValid(5));
        }
    }

    @Test
    void theUserFromPgUserWhenTheUrlNamesNone() throws Exception {
        PostgresAddress noUser = PostgresAddress.parse("postgresql://127.0.0.1:" + postgres.server().port() + "/hub");
        try (Connection c = connector(environment("PGUSER", postgres.server().user(), "PGPASSWORD", postgres.server().password()))
                .open(noUser)) {
            assertEquals(postgres.server().user(), c.getMetaData().getUserName());
        }
    }

    @Test
    void aWrongPasswordInPgpasswordIsRefusedWithTheLineToWrite() {
        StoreException e = assertThrows(StoreException.class,
                () -> connector(environment("PGPASSWORD", "wrong")).open(hub("hub")));
        assertEquals(Kind.FAILED, e.kind(), e::getMessage);
        assertTrue(e.getMessage().startsWith("connecting to PostgreSQL 127.0.0.1:" + postgres.server().port() + "/hub as mirror:"),
                e.getMessage());
        assertEquals("the password in PGPASSWORD was refused for user mirror; set it to that user's password, or"
                + " unset it and add a line to " + dir.resolve("no-pgpass") + ": " + pgpassLine("PASSWORD"), e.hint());
    }

    @Test
    void aWrongPasswordInTheFileNamesItsLine() throws Exception {
        Path file = pgpass("# comment", pgpassLine("wrong"));
        StoreException e = assertThrows(StoreException.class,
                () -> connector(Map.of("PGPASSFILE", file.toString())).open(hub("hub")));
        assertEquals(Kind.FAILED, e.kind(), e::getMessage);
        assertTrue(e.hint().startsWith("the password on line 2 of " + file + " was refused for user mirror;"
                + " correct that line"), e.hint());
    }

    @Test
    void noPasswordAnywhereSaysWhatToAddToThePasswordFile() {
        StoreException e = assertThrows(StoreException.class, () -> connector(environment()).open(hub("hub")));
        assertEquals(Kind.FAILED, e.kind(), e::getMessage);
        assertEquals("no password found for user mirror: add a line to " + dir.resolve("no-pgpass") + " (chmod 600): "
                + pgpassLine("PASSWORD") + ", or set PGPASSWORD", e.hint());
    }

    @Test
    void anUnknownDatabaseIsNamed() {
        StoreException e = assertThrows(StoreException.class,
                () -> connector(environment("PGPASSWORD", postgres.server().password())).open(hub("nosuch")));
        assertEquals(Kind.FAILED, e.kind(), e::getMessage);
        assertTrue(e.getMessage().contains("\"nosuch\""), e.getMessage());
        assertTrue(e.hint().startsWith("create the database on the server"), e.hint());
    }

    @Test
    void sslmodeFromPgsslmodeUnlessTheUrlGivesOne() throws Exception {
        // the test server offers no SSL: require is refused, and the URL's disable wins over the variable
        StoreException e = assertThrows(StoreException.class,
                () -> connector(environment("PGPASSWORD", postgres.server().password(), "PGSSLMODE", "require")).open(hub("hub")));
        assertEquals(Kind.FAILED, e.kind(), e::getMessage);
        assertTrue(e.hint().contains("sslmode"), e.hint());
        PostgresAddress disable = PostgresAddress.parse(hub("hub").url() + "?sslmode=disable");
        try (Connection c = connector(environment("PGPASSWORD", postgres.server().password(), "PGSSLMODE", "require"))
                .open(disable)) {
            assertTrue(c.isValid(5));
        }
        StoreException bad = assertThrows(StoreException.class,
                () -> connector(environment("PGSSLMODE", "on")).open(hub("hub")));
        assertEquals("PGSSLMODE=on is not one of libpq's", bad.getMessage());
    }

    @Test
    void aStoppedServerIsOfflineAtOnce() throws Exception {
        PostgresServer other = PostgresServer.start();
        PostgresAddress gone = PostgresAddress.parse("postgresql://" + other.user() + "@127.0.0.1:" + other.port()
                + "/" + other.database());
        Map<String, String> env = environment("PGPASSWORD", other.password());
        connector(env).open(gone).close();
        other.close();
        long start = System.nanoTime();
        StoreException e = assertThrows(StoreException.class, () -> connector(env).open(gone));
        assertEquals(Kind.OFFLINE, e.kind(), e::getMessage);
        assertEquals(PgErrors.OFFLINE_HINT, e.hint());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(SHORT) < 0, "refused at once");
    }

    @Test
    void aServerThatNeverAnswersIsOfflineWithinTheTimeout() throws Exception {
        // TCP is accepted by the kernel, but nothing ever answers the driver: a server that hung or went away
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            List<Socket> held = Collections.synchronizedList(new ArrayList<>());
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.start();
            PostgresAddress hung = PostgresAddress.parse("postgresql://me@127.0.0.1:" + silent.getLocalPort() + "/hub");
            long start = System.nanoTime();
            StoreException e = assertThrows(StoreException.class,
                    () -> connector(environment("PGPASSWORD", "x")).open(hung));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(Kind.OFFLINE, e.kind(), e::getMessage);
            assertTrue(took.compareTo(SHORT.multipliedBy(3)) < 0, "gave up after " + took);
            silent.close();
            acceptor.join();
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void anUnknownHostIsOffline() throws Exception {
        PostgresAddress nowhere = PostgresAddress.parse("postgresql://me@no-such-host.invalid/hub");
        StoreException e = assertThrows(StoreException.class, () -> connector(environment()).open(nowhere));
        assertEquals(Kind.OFFLINE, e.kind(), e::getMessage);
        assertTrue(e.hint().startsWith("the host name cannot be resolved"), e.hint());
    }

    @Test
    void theDriversUrlCarriesOnlyHostPortAndDatabase() throws Exception {
        assertEquals("jdbc:postgresql://[::1]:5433/sales%202024%2Bq%2Fx",
                PgConnector.jdbcUrl(PostgresAddress.parse("postgresql://u@[::1]:5433/sales%202024+q%2Fx"
                        + "?sslmode=require")));
    }

    @Test
    void timeoutsAndParametersBecomeDriverProperties() throws Exception {
        PgConnector c = new PgConnector(environment("PGSSLMODE", "verify-full"), Duration.ofMillis(1500),
                Duration.ofSeconds(20));
        PostgresAddress a = PostgresAddress.parse("postgresql://u@db/app?sslrootcert=%2Fca.pem&application_name=x");
        var p = c.properties(a, PgLogin.find(a, Map.of(), new PgPassFile(dir.resolve("none")), "os-user"));
        assertEquals(Map.of("user", "u", "sslmode", "verify-full", "sslrootcert", "/ca.pem", "connectTimeout", "2",
                "loginTimeout", "2", "socketTimeout", "20", "tcpKeepAlive", "true", "ApplicationName", "x"), p);
        PostgresAddress own = PostgresAddress.parse("postgresql://db/app?connect_timeout=7&sslmode=disable");
        var q = c.properties(own, PgLogin.find(own, Map.of(), new PgPassFile(dir.resolve("none")), "os-user"));
        assertEquals("os-user", q.getProperty("user"));
        assertEquals("7", q.getProperty("connectTimeout"));
        assertEquals("disable", q.getProperty("sslmode"));
    }
}
