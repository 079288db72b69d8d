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
}
