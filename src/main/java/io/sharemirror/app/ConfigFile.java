package io.sharemirror.app;

import io.sharemirror.config.AppConfig;
import io.sharemirror.config.ConfigException;
import io.sharemirror.config.ConfigLoader;
import io.sharemirror.platform.ConfigLocation;
import java.nio.file.Files;

/**
 * The config a command runs with, from the one lookup order ({@link ConfigLocation}). This user's own file may be
 * missing: ShareMirror is then not set up yet, runs with no databases, and the dashboard creates the file. A file
 * named on purpose (--config, the property, the variable) must exist: a typo must not start an empty agent.
 */
final class ConfigFile {

    /** What a new, empty config says: no databases yet. */
    static final String NONE_YET = "databases: []\n";

    private ConfigFile() {
    }

    static AppConfig read(ConfigLocation location) throws ConfigException {
        if (notSetUp(location)) {
            return ConfigLoader.parse(NONE_YET, location.file());
        }
        return ConfigLoader.load(location.file());
    }

    /** This user's own file does not exist yet: the first start. */
    static boolean notSetUp(ConfigLocation location) {
        return location.perUser() && !Files.exists(location.file());
    }
}
