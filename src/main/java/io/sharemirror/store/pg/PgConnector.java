package io.sharemirror.store.pg;

import io.sharemirror.paths.PostgresAddress;
import io.sharemirror.sync.StoreException;
import io.sharemirror.sync.StoreException.Kind;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * Opens a connection to a hub on PostgreSQL the way PostgreSQL's own tools would, and checks it can serve as one.
 *
 * <p>Credentials come from the environment, never from the config file ({@link PgLogin}): {@code PGUSER},
 * {@code PGPASSWORD}, {@code PGPASSFILE} or {@code ~/.pgpass}. {@code sslmode} is the URL's, else
 * {@code PGSSLMODE}'s (libpq reads it too, and an administrator may set it for every client of a computer), else the
 * driver's default, {@code prefer}, which is libpq's. No other {@code PG*} variable is read: the URL names the server
 * and database completely. The environment is a parameter so that tests can give one. The driver (42.7) reads
 * {@code PGPASSWORD} never and the password file only from this process's environment, hence {@link PgLogin}; when
 * that finds no password, the driver still looks in this process's password file itself.
 *
 * <p>Timeouts make a server that went away an {@link Kind#OFFLINE} hub within seconds: the connect timeout (the URL's
 * {@code connect_timeout}, else the connector's) bounds the TCP connect and the whole login; the socket timeout bounds
 * every wait for the server's answer on the open connection.
 */
public final class PgConnector {

    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);
    /** numeric's ±Infinity, which {@link PgValues} stores REALs with, came in PostgreSQL 14. */
    public static final int OLDEST_SERVER = 14;

    private final Map<String, String> environment;
    private final Duration connectTimeout;
    private final Duration socketTimeout;
    private final PgPassFile passFile;

    /**
     * @param environment the variables to read {@code PG*} from: {@code System.getenv()} but in tests
     */
    public PgConnector(Map<String, String> environment, Duration connectTimeout, Duration socketTimeout) {
        this.environment = Map.copyOf(environment);
        this.connectTimeout = connectTimeout;
        this.socketTimeout = socketTimeout;
        this.passFile = PgPassFile.of(environment, Path.of(System.getProperty("user.home")),
                System.getProperty("os.name", "").startsWith("Windows"));
    }

    /** With this process's environment and the default timeouts. */
    public static PgConnector ofThisProcess() {
        return new PgConnector(System.getenv(), CONNECT_TIMEOUT, SOCKET_TIMEOUT);
    }

    /**
     * A new connection to the hub at {@code address}, in auto-commit as the driver opens it, on a server new enough.
     *
     * @throws StoreException OFFLINE when the server cannot be reached, FAILED when it refuses (a hint says what to
     *     fix: the password and where it came from, the database, sslmode), BUSY when it is only busy
     */
    public Connection open(PostgresAddress address) {
        PgLogin login = PgLogin.find(address, environment, passFile, System.getProperty("user.name"));
        String what = "connecting to " + address.describe() + " as " + login.user();
        Connection c;
        try {
            c = DriverManager.getConnection(jdbcUrl(address), properties(address, login));
        } catch (SQLException e) {
            throw refused(what, e, login);
        }
        try {
            int major = c.getMetaData().getDatabaseMajorVersion();
            if (major < OLDEST_SERVER) {
                closeQuietly(c);
                throw new StoreException(Kind.FAILED, what + ": the server is PostgreSQL " + major + "; a hub needs "
                        + OLDEST_SERVER + " or newer", "upgrade the server, or keep the hub on the file share", null);
            }
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw PgErrors.classify(what, e);
        }
    }

    /** The driver's URL: host, port and database only; everything else goes in {@link #properties}. */
    static String jdbcUrl(PostgresAddress address) {
        // The driver URL-decodes the database name, reading '+' as a space.
        return "jdbc:postgresql://" + address.hostAndPort() + "/"
                + URLEncoder.encode(address.database(), StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The driver's connection properties, by the names pgjdbc documents. */
    Properties properties(PostgresAddress address, PgLogin login) {
        Properties p = new Properties();
        p.setProperty("user", login.user());
        login.password().ifPresent(password -> p.setProperty("password", password));
        Map<String, String> given = address.parameters();
        String sslMode = given.getOrDefault("sslmode", environment.get("PGSSLMODE"));
        if (sslMode != null && !sslMode.isEmpty()) {
            if (!PostgresAddress.SSL_MODES.contains(sslMode)) {
                throw new StoreException(Kind.FAILED, "PGSSLMODE=" + sslMode + " is not one of libpq's",
                        "set PGSSLMODE to one of " + String.join(", ", PostgresAddress.SSL_MODES)
                        + ", or give sslmode in the hub's URL", null);
            }
            p.setProperty("sslmode", sslMode);
        }
        for (String file : new String[] {"sslrootcert", "sslcert", "sslkey"}) {
            if (given.containsKey(file)) {
                p.setProperty(file, given.get(file));
            }
        }
        String connect = given.containsKey("connect_timeout") ? given.get("connect_timeout")
                : Long.toString(wholeSeconds(connectTimeout));
        p.setProperty("connectTimeout", connect);
        p.setProperty("loginTimeout", connect);
        p.setProperty("socketTimeout", Long.toString(wholeSeconds(socketTimeout)));
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", given.getOrDefault("application_name", "ShareMirror"));
        return p;
    }

    /** A refused login gets the hint of where its password came from; anything else PgErrors' hint. */
    private static StoreException refused(String what, SQLException e, PgLogin login) {
        boolean noPasswordToGive = login.password().isEmpty() && "08004".equals(e.getSQLState());
        if ("28P01".equals(e.getSQLState()) || noPasswordToGive) {
            return new StoreException(Kind.FAILED, what + ": " + e.getMessage(), login.refusedHint(), e);
        }
        return PgErrors.classify(what, e);
    }

    /** The driver takes whole seconds; a part of one is rounded up, so no timeout becomes 0 (none). */
    private static long wholeSeconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // already failing; the first error is the one reported
        }
    }
}
