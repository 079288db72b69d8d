package io.sharemirror.driver;

import io.sharemirror.config.AppConfig;
import io.sharemirror.config.ConfigException;
import io.sharemirror.config.ConfigLoader;
import io.sharemirror.platform.ConfigLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The config files the driver reads, each kept until it changes on disk: applications that open a connection per
 * query pay one stat, not a YAML parse, and an edited file counts from the next connection on.
 */
final class ConfigFiles {

    /** A config, or why there is none to use. */
    record Loaded(AppConfig config, String problem) {
    }

    private record Read(FileTime modified, long size, Loaded loaded) {
    }

    private final Map<Path, Read> read = new ConcurrentHashMap<>();

    Loaded load(ConfigLocation location) {
        Path file = location.file().toAbsolutePath().normalize();
        FileTime modified;
        long size;
        try {
            modified = Files.getLastModifiedTime(file);
            size = Files.size(file);
        } catch (IOException e) {
            read.remove(file);
            return new Loaded(null, "no config file at " + file + " (" + location.source() + "); set ShareMirror up on"
                    + " this computer (Add Database… in its dashboard), or point the config= URL option, the"
                    + " sharemirror.config system property or SHAREMIRROR_CONFIG at its config.yaml");
        }
        Read known = read.get(file);
        if (known != null && known.modified().equals(modified) && known.size() == size) {
            return known.loaded();
        }
        Loaded loaded;
        try {
            loaded = new Loaded(ConfigLoader.load(file), null);
        } catch (ConfigException e) {
            loaded = new Loaded(null, "the config file " + file + " has errors: " + e.getMessage().lines()
                    .findFirst().orElse("") + (e.problems().size() > 1 ? " (and more)" : ""));
        }
        read.put(file, new Read(modified, size, loaded));
        return loaded;
    }
}
