package io.sharemirror.status;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Every database's status at one moment, in config order. */
public record StatusSnapshot(List<DatabaseStatus> databases) {

    public StatusSnapshot {
        databases = List.copyOf(databases);
    }

    /** The state the tray shows: the most severe of all databases. */
    public SyncState overall() {
        return SyncState.worst(databases.stream().map(DatabaseStatus::state).toList());
    }

    public long pendingWrites() {
        return databases.stream().mapToLong(DatabaseStatus::pendingWrites).sum();
    }

    /** Changes that wait for a person, in all databases. */
    public long waiting() {
        return databases.stream().mapToLong(DatabaseStatus::waiting).sum();
    }

    /** The oldest change that waits in the first database that has one, named with its database. */
    public Optional<String> firstWaiting() {
        return databases.stream().filter(d -> d.firstWaiting() != null).findFirst()
                .map(d -> d.name() + ": " + d.firstWaiting());
    }

    public Optional<Instant> lastSync() {
        return databases.stream().map(DatabaseStatus::lastSync).filter(t -> t != null).max(Instant::compareTo);
    }

    public Optional<DatabaseStatus> database(String name) {
        return databases.stream().filter(d -> d.name().equals(name)).findFirst();
    }
}
