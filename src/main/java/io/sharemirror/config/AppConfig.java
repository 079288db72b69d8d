package io.sharemirror.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The whole validated configuration; immutable once loaded. */
public record AppConfig(Path source, Path cacheDirectory, Tuning tuning, List<DatabaseConfig> databases) {

    public AppConfig {
        databases = List.copyOf(databases);
    }

    public Optional<DatabaseConfig> database(String name) {
        return databases.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** Where the agent keeps a database's replica: {@code <cache_directory>/<name>.db}. */
    public Path replicaPath(String name) {
        return cacheDirectory.resolve(name + ".db");
    }

    /**
     * The database whose hub is the file at {@code location}, however it is spelled ({@link SameFile#key}); a hub on
     * PostgreSQL is no file, so never this one.
     */
    public Optional<DatabaseConfig> databaseAt(String location) {
        String key = SameFile.key(location);
        return databases.stream().filter(d -> d.postgres().isEmpty() && SameFile.key(d.location()).equals(key))
                .findFirst();
    }
}
