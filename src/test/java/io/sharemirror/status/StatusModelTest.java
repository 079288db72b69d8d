package io.sharemirror.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusModelTest {

    @Test
    void theWorstDatabaseDecidesTheOverallState() {
        assertEquals(SyncState.OK, SyncState.worst(List.of()));
        assertEquals(SyncState.PENDING, SyncState.worst(List.of(SyncState.OK, SyncState.PENDING)));
        assertEquals(SyncState.FAILED, SyncState.worst(List.of(SyncState.PENDING, SyncState.FAILED, SyncState.OK)));
        assertEquals(SyncState.OFFLINE, SyncState.worst(List.of(SyncState.FAILED, SyncState.OFFLINE)));
    }

    @Test
    void listenersGetSnapshotsAndFailuresStayUntilASuccess() {
        StatusModel model = new StatusModel();
        List<StatusSnapshot> seen = new ArrayList<>();
        model.addListener(seen::add);
        model.put(DatabaseStatus.initial("a", true, "mirrored", "/share/a.db", "file share", "/cache/a.db"));
        model.put(DatabaseStatus.initial("b", true, "mirrored", "/share/b.db", "file share", "/cache/b.db"));
        model.update("a", s -> s.failed(SyncState.OFFLINE, 3, null, "share gone", "check the network"));
        model.update("a", s -> s.withPending(4));
        assertEquals(SyncState.OFFLINE, model.snapshot().database("a").orElseThrow().state(),
                "more pending writes do not hide that the share is offline");
        assertEquals(4, model.snapshot().database("a").orElseThrow().pendingWrites());
        model.update("a", s -> s.withSyncing(true));
        assertEquals(SyncState.OFFLINE, model.snapshot().overall());
        model.update("a", s -> s.succeeded(Instant.EPOCH, 0, null));
        model.update("b", s -> s.succeeded(Instant.EPOCH, 2, null));
        StatusSnapshot last = seen.get(seen.size() - 1);
        assertEquals(SyncState.PENDING, last.overall());
        assertEquals(2, last.pendingWrites());
        assertEquals(List.of("a", "b"), last.databases().stream().map(DatabaseStatus::name).toList());
        assertEquals(7, seen.size());
    }
}
