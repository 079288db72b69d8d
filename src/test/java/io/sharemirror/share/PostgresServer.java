package io.sharemirror.share;

import io.sharemirror.Requirements;
import io.sharemirror.Waits;
import java.io.IOException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the PostgreSQL hub's tests (issue 17): Debian's binaries, a cluster made by initdb in a
 * folder of its own, listening on 127.0.0.1 and a free port only, its unix socket in that folder, every connection
 * authenticated with scram-sha-256. It has a login role {@link #user()} with a random {@link #password()} that owns
 * the database {@link #database()}. {@link #close()} stops the server and deletes the folder, also after a failed
 * start.
 *
 * <p>PostgreSQL refuses to run as root. Run as root (as CI is), the folder belongs to the {@code postgres} system user
 * that Debian's package creates, and initdb and pg_ctl run as that user through runuser; the folder is made by the
 * fixture under the system's temporary folder, since JUnit's own temporary folders are root's alone.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Path VERSIONS = Path.of("/usr/lib/postgresql");
    private static final String SERVER_USER = "postgres";
    private static final String ADMIN = "admin";
    private static final String USER = "mirror";
    private static final String DATABASE = "hub";
    private static final Duration STOP = Duration.ofSeconds(30);

    private final Path bin;
    private final Path folder;
    private final int port;
    private final String adminPassword = randomPassword();
    private final String password = randomPassword();

    private PostgresServer(Path bin, Path folder, int port) {
        this.bin = bin;
        this.folder = folder;
        this.port = port;
    }

    /**
     * Makes a cluster in a new temporary folder and starts it. Needs Debian's {@code postgresql}: without it the
     * calling test fails in CI and skips elsewhere ({@link Requirements}).
     */
    public static PostgresServer start() throws IOException {
        Optional<Path> bin = newestBinaries();
        Requirements.require(bin.isPresent(), "PostgreSQL's server (initdb, pg_ctl under " + VERSIONS
                + "/VERSION/bin) is not installed; " + Requirements.INSTALL_STEP + " installs postgresql");
        if (runAsServerUser()) {
            Requirements.require(Command.run("id", "-u", SERVER_USER).ok(), "the system user " + SERVER_USER
                    + ", which runs PostgreSQL for root, is missing; " + Requirements.INSTALL_STEP
                    + " installs postgresql");
        }
        PostgresServer server = new PostgresServer(bin.orElseThrow(), Files.createTempDirectory("sharemirror-pg-"),
                Loopback.freePort());
        LastResort.register(server);
        try {
            server.initialize();
            server.startServer();
            server.createUserAndDatabase();
        } catch (IOException | SQLException | RuntimeException e) {
            String log = server.logTail(); // before close() deletes it
            server.close();
            throw new IllegalStateException("PostgreSQL did not start: " + e.getMessage() + "\n" + log, e);
        }
        return server;
    }

    /** The JDBC URL of {@link #database()}, over TCP on 127.0.0.1. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public int port() {
        return port;
    }

    /** The login role that owns {@link #database()}; not a superuser. */
    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    public String database() {
        return DATABASE;
    }

    /** The folder that holds the cluster, its log and its unix socket; gone after {@link #close()}. */
    public Path folder() {
        return folder;
    }

    /** A new connection to {@link #database()} as {@link #user()}, with the password. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), credentials(USER, password));
    }

    /**
     * The postmaster and the backends it forked, as they are now: by the pid in its postmaster.pid, so a server that
     * a failed or timed-out start left running is found too. Empty before the start and after the stop.
     */
    public List<ProcessHandle> processes() {
        Path pidFile = data().resolve("postmaster.pid");
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
            // A stale file's pid may since be another program's: only a postgres process is ours.
            return ProcessHandle.of(pid)
                    .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                    .map(p -> Stream.concat(Stream.of(p), p.descendants()).toList()).orElse(List.of());
        } catch (IOException | RuntimeException e) {
            return List.of(); // no file: not started, or stopped
        }
    }

    /** Stops the server (fast shutdown, then SIGKILL if it lingers) and deletes the folder; safe to call twice. */
    @Override
    public synchronized void close() {
        try {
            List<ProcessHandle> running = processes();
            if (!running.isEmpty()) {
                Command stop = asServerUser(pgCtl("stop", "-m", "fast", "-t", Long.toString(STOP.toSeconds())));
                if (!stop.ok() || !Waits.holdsWithin(STOP, Duration.ofMillis(20), () -> allGone(running))) {
                    running.forEach(ProcessHandle::destroyForcibly);
                    Waits.holdsWithin(STOP, Duration.ofMillis(20), () -> allGone(running));
                }
            }
            deleteFolder();
        } finally {
            LastResort.done(this);
        }
    }

    @Override
    public String toString() {
        return "PostgresServer 127.0.0.1:" + port + " in " + folder;
    }

    private void initialize() throws IOException {
        if (runAsServerUser()) {
            giveToServerUser(folder);
        }
        Path passwordFile = folder.resolve("admin-password");
        Files.writeString(passwordFile, adminPassword + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        if (runAsServerUser()) {
            giveToServerUser(passwordFile);
        }
        // --no-sync: the cluster lives as long as one test class; C locale and UTF-8, as a team's server may differ
        // in neither for what the hub stores (text compares by bytes).
        Command init = asServerUser(bin.resolve("initdb").toString(), "-D", data().toString(), "-U", ADMIN,
                "--pwfile=" + passwordFile, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync");
        Files.delete(passwordFile);
        if (!init.ok()) {
            throw new IllegalStateException(init.toString());
        }
        Files.writeString(data().resolve("postgresql.conf"), String.join("\n", "",
                "# ShareMirror's test server: loopback and its own folder only",
                "listen_addresses = '127.0.0.1'",
                "port = " + port,
                "unix_socket_directories = '" + folder + "'",
                ""), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private void startServer() {
        Command start = asServerUser(pgCtl("start", "-w", "-t", "60", "-l", log().toString()));
        if (!start.ok()) {
            throw new IllegalStateException(start.toString());
        }
    }

    private void createUserAndDatabase() throws SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (Connection admin = DriverManager.getConnection(url, credentials(ADMIN, adminPassword));
                Statement s = admin.createStatement()) {
            // The passwords are hex: nothing in them needs quoting.
            s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + password + "'");
            s.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
        }
    }

    private String[] pgCtl(String action, String... options) {
        List<String> argv = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), action, "-D", data().toString()));
        argv.addAll(List.of(options));
        return argv.toArray(String[]::new);
    }

    private Command asServerUser(String... argv) {
        List<String> full = new ArrayList<>();
        if (runAsServerUser()) {
            full.addAll(List.of("runuser", "-u", SERVER_USER, "--"));
        }
        full.addAll(List.of(argv));
        // In the folder: the server user may not enter the JVM's working folder, and initdb needs to.
        return Command.runIn(folder, full.toArray(String[]::new));
    }

    private Path data() {
        return folder.resolve("data");
    }

    private Path log() {
        return folder.resolve("postgres.log");
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return "postgres log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no postgres log: " + e.getMessage() + ")";
        }
    }

    private void deleteFolder() {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + folder + ": " + e.getMessage(), e);
        }
    }

    private static boolean allGone(List<ProcessHandle> processes) {
        return processes.stream().noneMatch(ProcessHandle::isAlive);
    }

    private static Properties credentials(String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        return p;
    }

    private static boolean runAsServerUser() {
        return System.getProperty("user.name").equals("root");
    }

    private static void giveToServerUser(Path path) throws IOException {
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(users.lookupPrincipalByName(SERVER_USER));
        view.setGroup(users.lookupPrincipalByGroupName(SERVER_USER));
    }

    /** The bin folder of the newest PostgreSQL installed the Debian way (/usr/lib/postgresql/15/bin). */
    private static Optional<Path> newestBinaries() throws IOException {
        if (!Files.isDirectory(VERSIONS)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(VERSIONS)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                    .filter(v -> Files.isExecutable(v.resolve("bin").resolve("initdb")))
                    .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"));
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * One server for a whole test class, started before its first test and stopped after its last:
     * {@code @RegisterExtension static final PostgresServer.PerClass postgres = new PostgresServer.PerClass();}
     */
    public static class PerClass implements BeforeAllCallback, AfterAllCallback {

        private PostgresServer server;

        public PostgresServer server() {
            return server;
        }

        @Override
        public void beforeAll(ExtensionContext context) throws IOException {
            server = start();
        }

        @Override
        public void afterAll(ExtensionContext context) {
            if (server != null) {
                server.close();
            }
        }
    }
}
