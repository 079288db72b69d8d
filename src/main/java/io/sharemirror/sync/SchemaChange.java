package io.sharemirror.sync;

import java.util.List;

/**
 * What a schema check changed (tables and columns added) and what it refused to guess at: {@code problems} to note,
 * and {@code blocking} ones, which leave tables unsynced or local changes stuck until someone acts.
 */
public record SchemaChange(List<String> added, List<String> problems, List<String> blocking, long schemaVersion) {

    public SchemaChange {
        added = List.copyOf(added);
        problems = List.copyOf(problems);
        blocking = List.copyOf(blocking);
    }
}
