package io.sharemirror.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL fixture serves its database on loopback with a password, and leaves nothing behind; and where the
 * official driver finds a password that the hub's URL leaves out (issue 17: credentials never in the config).
 */
class PostgresServerTest {

    @RegisterExtension
    static final PostgresServer.PerClass postgres = new PostgresServer.PerClass();

    @Test
    void theUserConnectsWithItsPasswordOverLoopback() throws SQLException {
        try (Connection c = postgres.server().connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT current_user, host(inet_server_addr()),"
                        + " current_setting('server_version_num')::int, current_setting('password_encryption'),"
                        + " (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)")) {
            r.next();
            assertEquals(postgres.server().user(), r.getString(1));
            assertEquals("127.0.0.1", r.getString(2));
            assertTrue(r.getInt(3) >= 150000, "PostgreSQL 15 or newer: " + r.getInt(3));
            assertEquals("scram-sha-256", r.getString(4));
            assertFalse(r.getBoolean(5), "the hub's user is no superuser");
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        SQLException refused = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(postgres.server().jdbcUrl(), postgres.server().user(), "wrong"));
        assertEquals("28P01", refused.getSQLState(), "invalid_password: " + refused.getMessage());
    }

    @Test
    void theDriverReadsAMissingPasswordFromAPasswordFile(@TempDir Path dir) throws Exception {
        Path pgpass = dir.resolve("pgpass");
        Files.writeString(pgpass, "127.0.0.1:" + postgres.server().port() + ":" + postgres.server().database() + ":" + postgres.server().user() + ":"
                + postgres.server().password() + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        Properties userOnly = new Properties();
        userOnly.setProperty("user", postgres.server().user());
        // The driver's documented override of ~/.pgpass (also the variable PGPASSFILE), so this user's own file
        // stays out of the test.
        System.setProperty("org.postgresql.pgpassfile", pgpass.toString());
        try (Connection c = DriverManager.getConnection(postgres.server().jdbcUrl(), userOnly)) {
            assertTrue(c.isValid(5));
        } finally {
            System.clearProperty("org.postgresql.pgpassfile");
        }
    }

    /** So ShareMirror must read PGPASSWORD itself and hand it to the driver: the driver 42.7 does not. */
    @Test
    void theDriverIgnoresPgpassword(@TempDir Path home) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder child = new ProcessBuilder(java.toString(), "-Duser.home=" + home,
                "-cp", System.getProperty("java.class.path"), ConnectWithoutPassword.class.getName(),
                postgres.server().jdbcUrl(), postgres.server().user()).redirectErrorStream(true);
        child.environment().remove("PGPASSFILE");
        child.environment().put("PGPASSWORD", postgres.server().password());
        Process p = child.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(output.startsWith("refused"), output);
        System.out.println("PostgresServerTest: with PGPASSWORD set, " + output);
    }

    @Test
    void closeStopsEveryProcessOfTheServerAndDeletesItsFolder() throws Exception {
        PostgresServer other = PostgresServer.start();
        List<ProcessHandle> processes;
        Path folder = other.folder();
        try (Connection c = other.connect()) {
            assertTrue(c.isValid(5));
            processes = other.processes(); // with this connection's backend
            assertTrue(processes.size() >= 2, "the postmaster and its backends: " + processes);
        } finally {
            other.close();
        }
        assertTrue(processes.stream().noneMatch(ProcessHandle::isAlive), "still running: " + processes);
        assertFalse(Files.exists(folder), folder + " deleted");
        other.close(); // twice is harmless
    }

    /** Run in a child JVM whose environment has PGPASSWORD: connects with no password given. */
    public static final class ConnectWithoutPassword {
        public static void main(String[] args) {
            try (Connection c = DriverManager.getConnection(args[0], args[1], null)) {
                System.out.println("connected as " + c.getMetaData().getUserName());
            } catch (SQLException e) {
                System.out.println("refused " + e.getSQLState() + ": " + e.getMessage());
            }
        }
    }
}
