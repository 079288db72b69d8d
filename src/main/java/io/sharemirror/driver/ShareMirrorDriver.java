package io.sharemirror.driver;

import io.sharemirror.config.AppConfig;
import io.sharemirror.config.DatabaseConfig;
import io.sharemirror.config.Tuning;
import io.sharemirror.paths.PostgresAddress;
import io.sharemirror.platform.ConfigLocation;
import io.sharemirror.store.MovedMark;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * {@code jdbc:sharemirror:<share path>[?key=value&...]}: an application that names the database on the share gets a
 * connection to its local replica, or to the share itself while the database is not mirrored or its replica is not
 * usable. The connections are sqlite-jdbc's, whose manual-commit transactions begin {@code BEGIN IMMEDIATE} at their
 * first statement (store.AppConnection), so the agent's writes never make them fail; the replica's capture triggers
 * record their writes, whether or not the agent is running. Loaded through {@code META-INF/services/java.sql.Driver}.
 */
public final class ShareMirrorDriver implements Driver {

    static {
        try {
            DriverManager.registerDriver(new ShareMirrorDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ConfigFiles configs = new ConfigFiles();
    private final FallbackLog log = new FallbackLog();

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null; // another driver's URL (the JDBC contract)
        }
        DriverUrl parsed = DriverUrl.parse(url, info);
        ConfigFiles.Loaded loaded = configs.load(ConfigLocation.find(parsed.config(), "the URL's config= option"));
        AppConfig config = loaded.config();
        DatabaseConfig db = config == null ? null : configured(config, parsed.location());
        if (db == null) {
            Route route = new Route(parsed.location(), "direct: " + (config == null ? loaded.problem()
                    : "it is not one of the databases in " + config.source()));
            log.report(parsed.location(), route);
            return Routes.openDirect(route, Routes.factory(config == null ? Tuning.DEFAULTS : config.tuning()), false,
                    parsed.settings());
        }
        Routes.Opened opened = Routes.connect(config, db, parsed.settings());
        log.report(db.location(), opened.route());
        return opened.connection();
    }

    /**
     * The database whose hub is the file at {@code location}; or, for a file whose hub moved to PostgreSQL
     * ({@code sharemirror move-hub}), the database on that server: an application keeps its URL when its team moves
     * the hub, and its connections keep going to the same replica. Only a location no database is configured at costs
     * a look at the file.
     */
    private static DatabaseConfig configured(AppConfig config, String location) {
        return config.databaseAt(location).or(() -> MovedMark.readFrom(Path.of(location),
                Routes.factory(config.tuning())).flatMap(url -> {
                    try {
                        return config.databaseOn(PostgresAddress.parse(url));
                    } catch (PostgresAddress.Invalid e) {
                        return Optional.empty(); // moved to a kind of hub this version does not know
                    }
                })).orElse(null);
    }

    @Override
    public boolean acceptsURL(String url) {
        return DriverUrl.accepts(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return DriverUrl.descriptions().entrySet().stream().map(e -> {
            String value = info == null ? null : info.getProperty(e.getKey());
            DriverPropertyInfo p = new DriverPropertyInfo(e.getKey(), value);
            p.description = e.getValue();
            return p;
        }).toArray(DriverPropertyInfo[]::new);
    }

    @Override
    public int getMajorVersion() {
        return 0;
    }

    @Override
    public int getMinorVersion() {
        return 1;
    }

    /** The connections are sqlite-jdbc's, which is not fully JDBC compliant either. */
    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("ShareMirror logs with tinylog, not java.util.logging");
    }
}
