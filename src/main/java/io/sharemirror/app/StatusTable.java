package io.sharemirror.app;

import io.sharemirror.status.DatabaseStatus;
import io.sharemirror.status.SyncState;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.StoreException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** The `status` table: built from the config, state.db and the replicas, never from the share. */
final class StatusTable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private StatusTable() {
    }

    static List<DatabaseStatus> rows(Agent agent) {
        List<DatabaseStatus> rows = new ArrayList<>();
        for (DatabaseStatus s : agent.status().snapshot().databases()) {
            if (!s.mirrored()) {
                rows.add(s);
                continue;
            }
            List<CycleRecord> last = agent.state().history(s.name(), 1);
            Instant lastSync = agent.state().lastSuccess(s.name()).orElse(null);
            long pending;
            String error = last.isEmpty() || last.get(0).succeeded() ? null : last.get(0).error();
            try {
                pending = agent.pendingWrites(s.name());
            } catch (StoreException e) {
                pending = -1;
                error = e.getMessage();
            }
            SyncState state = last.isEmpty() ? SyncState.PENDING
                    : switch (last.get(0).outcome()) {
                        case OFFLINE -> SyncState.OFFLINE;
                        case FAILED -> SyncState.FAILED;
                        default -> pending > 0 ? SyncState.PENDING : SyncState.OK;
                    };
            rows.add(new DatabaseStatus(s.name(), state, true, s.placement(), s.hubPath(), s.replicaPath(),
                    Math.max(pending, 0), false, lastSync, null, 0, error, last.isEmpty() ? null : last.get(0).hint()));
        }
        return rows;
    }

    static String render(List<DatabaseStatus> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"NAME", "STATE", "PENDING", "LAST SYNC", "MODE", "REPLICA", "HUB"});
        for (DatabaseStatus s : rows) {
            cells.add(new String[] {s.name(), s.state().name(), s.mirrored() ? Long.toString(s.pendingWrites()) : "-",
                    s.lastSync() == null ? (s.mirrored() ? "never" : "-") : TIME.format(s.lastSync()),
                    s.mirrored() ? "mirrored" : "direct", s.replicaPath() == null ? "-" : s.replicaPath(), s.hubPath()});
        }
        int[] width = new int[cells.get(0).length];
        cells.forEach(r -> {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        });
        StringBuilder out = new StringBuilder();
        for (String[] r : cells) {
            for (int i = 0; i < r.length; i++) {
                out.append(i == r.length - 1 ? r[i] : String.format("%-" + (width[i] + 2) + "s", r[i]));
            }
            out.append(System.lineSeparator());
        }
        for (DatabaseStatus s : rows) {
            out.append(System.lineSeparator()).append(s.name()).append(": ").append(s.placement());
            if (s.error() != null) {
                out.append(System.lineSeparator()).append("  last error: ").append(s.error());
                if (s.hint() != null) {
                    out.append(System.lineSeparator()).append("  hint: ").append(s.hint());
                }
            }
        }
        return out.append(System.lineSeparator()).toString();
    }
}
