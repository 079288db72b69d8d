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

    public Optional<Instant> lastSync() {
        return databases.stream().map(DatabaseStatus::lastSync).filter(t -> t != null).max(Instant::compareTo);
    }

    public Optional<DatabaseStatus> database(String name) {
        return databases.stream().filter(d -> d.name().equals(name)).findFirst();
    }
}
