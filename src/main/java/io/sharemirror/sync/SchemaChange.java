package io.sharemirror.sync;

import java.util.List;

/** What a schema check changed (tables and columns added) and what it refused to guess at. */
public record SchemaChange(List<String> added, List<String> problems, long schemaVersion) {

    public SchemaChange {
        added = List.copyOf(added);
        problems = List.copyOf(problems);
    }
}
