package io.sharemirror.sync;

import java.util.List;
import java.util.Map;

/**
 * What a schema check changed, each as a sentence ({@code added}: made on one side and reproduced on the other), and
 * what it refused: {@code problems} to note, {@code blocking} ones, which leave tables unsynced or local changes stuck
 * until someone acts, and the local rows of tables whose change was refused, to archive, by why.
 */
public record SchemaChange(List<String> added, List<String> problems, List<String> blocking, long schemaVersion,
                           Map<String, List<LocalChange>> archive) {

    public SchemaChange {
        archive = Map.copyOf(archive);
        added = List.copyOf(added);
        problems = List.copyOf(problems);
        blocking = List.copyOf(blocking);
    }
}
