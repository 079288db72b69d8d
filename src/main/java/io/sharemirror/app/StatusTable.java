package io.sharemirror.app;

import io.sharemirror.config.DatabaseConfig;
import io.sharemirror.driver.Route;
import io.sharemirror.driver.Routes;
import io.sharemirror.status.ClockSkew;
import io.sharemirror.status.DatabaseStatus;
import io.sharemirror.status.SyncState;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.StoreException;
import io.sharemirror.sync.Waiting;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** The `status` table: built from the config, state.db and the replicas, never from the share. */
final class StatusTable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());
    /** What to do about rows that wait, wherever they are listed. */
    static final String WAITING_HINT = "everything else syncs; in the dashboard's Waiting tab: keep mine, keep theirs,"
            + " or keep both under another value";
    private static final String READ_ONLY =
            "; mode: read-only (a copy refreshed as the hub changes; writes are refused)";

    /**
     * One database: its status, and how applications reach it now: "mirrored", "read-only" or "direct" (the share
     * is opened directly, also while a mirrored database has no usable replica), and why.
     */
    record Row(DatabaseStatus status, String mode, String placement, List<Waiting> waiting) {
    }

    private StatusTable() {
    }

    static List<Row> rows(Agent agent) {
        List<Row> rows = new ArrayList<>();
        for (DatabaseStatus s : agent.statusSnapshot().databases()) {
            DatabaseConfig db = agent.config().database(s.name()).orElseThrow();
            Route route = Routes.route(agent.config(), db);
            String mode = route.direct() ? "direct" : db.readOnly() ? "read-only" : "mirrored";
            String placement = route.direct() ? route.directReason()
                    : db.readOnly() ? s.placement() + READ_ONLY : s.placement();
            if (!s.mirrored()) {
                rows.add(new Row(s, mode, placement, List.of()));
                continue;
            }
            List<CycleRecord> last = agent.history(s.name(), 1);
            Instant lastSync = agent.lastSuccess(s.name()).orElse(null);
            long pending;
            List<Waiting> waiting = List.of();
            String error = last.isEmpty() || last.get(0).succeeded() ? null : last.get(0).error();
            try {
                pending = agent.pendingWrites(s.name());
                waiting = agent.waiting(s.name());
            } catch (StoreException e) {
                pending = -1;
                error = e.getMessage();
            }
            SyncState state = last.isEmpty() ? SyncState.PENDING
                    : switch (last.get(0).outcome()) {
                        case OFFLINE -> SyncState.OFFLINE;
                        case FAILED -> SyncState.FAILED;
                        default -> !waiting.isEmpty() ? SyncState.WAITING : pending > 0 ? SyncState.PENDING : SyncState.OK;
                    };
            rows.add(new Row(new DatabaseStatus(s.name(), state, true, s.placement(), s.hubPath(), s.hubKind(),
                    s.replicaPath(), Math.max(pending, 0), false, lastSync, null, 0, error,
                    last.isEmpty() ? null : last.get(0).hint(), clockSkew(agent, s.name()), waiting.size(),
                    waiting.isEmpty() ? null : waiting.get(0).describe()), mode, placement, waiting));
        }
        return rows;
    }

    private static ClockSkew clockSkew(Agent agent, String name) {
        try {
            return agent.clockSkew(name);
        } catch (StoreException e) {
            return null; // the replica cannot be read: its error is in the row already
        }
    }

    static String render(List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"NAME", "STATE", "PENDING", "LAST SYNC", "MODE", "REPLICA", "HUB"});
        for (Row row : rows) {
            DatabaseStatus s = row.status();
            cells.add(new String[] {s.name(), s.state().name(), s.mirrored() ? Long.toString(s.pendingWrites()) : "-",
                    s.lastSync() == null ? (s.mirrored() ? "never" : "-") : TIME.format(s.lastSync()),
                    row.mode(), s.replicaPath() == null ? "-" : s.replicaPath(), s.hubPath()});
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
        for (Row row : rows) {
            DatabaseStatus s = row.status();
            out.append(System.lineSeparator()).append(s.name()).append(": ").append(row.placement());
            out.append(System.lineSeparator()).append("  hub: ").append(s.hubKind());
            if (s.error() != null) {
                out.append(System.lineSeparator()).append("  last error: ").append(s.error());
                if (s.hint() != null) {
                    out.append(System.lineSeparator()).append("  hint: ").append(s.hint());
                }
            }
            for (Waiting w : row.waiting()) {
                out.append(System.lineSeparator()).append("  waits: ").append(w.describe()).append(", since ")
                        .append(TIME.format(w.since()));
            }
            if (!row.waiting().isEmpty()) {
                out.append(System.lineSeparator()).append("  hint: ").append(WAITING_HINT);
            }
            if (s.clock() != null && s.clock().noticeable()) {
                out.append(System.lineSeparator()).append("  clock: ").append(s.clock().describe())
                        .append(" (as last measured)").append(System.lineSeparator()).append("  hint: ")
                        .append(ClockSkew.HINT);
            }
        }
        return out.append(System.lineSeparator()).toString();
    }
}
