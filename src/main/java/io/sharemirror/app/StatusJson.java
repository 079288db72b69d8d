package io.sharemirror.app;

import io.sharemirror.json.Json;
import io.sharemirror.status.DatabaseStatus;
import io.sharemirror.sync.Waiting;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code status --json}: the facts of the status table as one JSON object, for scripts. Times are ISO-8601 with this
 * computer's offset; a database opened directly has no pending count ({@code null}), nor one never synced a clock
 * reading.
 */
final class StatusJson {

    private StatusJson() {
    }

    static String render(Path config, boolean setUp, List<StatusTable.Row> rows, String stateSetAside) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("config", config.toAbsolutePath().toString());
        status.put("set_up", setUp);
        status.put("state_db_set_aside", stateSetAside);
        status.put("databases", rows.stream().map(StatusJson::fields).toList());
        // A fact a line, and a database a line.
        return Json.writeIndented(status, 2) + "\n";
    }

    private static Map<String, Object> fields(StatusTable.Row row) {
        DatabaseStatus s = row.status();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", s.name());
        f.put("state", s.state().name());
        f.put("mode", row.mode());
        f.put("pending_writes", s.mirrored() ? s.pendingWrites() : null);
        f.put("last_sync", time(s.lastSync()));
        f.put("replica", s.replicaPath());
        f.put("hub", s.hubPath());
        f.put("hub_kind", s.hubKind());
        f.put("why", row.placement());
        f.put("last_error", s.error());
        f.put("hint", s.hint());
        // How far this computer's clock is ahead of the file server's (behind: negative), as last measured.
        f.put("clock_ahead_ms", s.clock() == null ? null : s.clock().ahead().toMillis());
        // Changes that wait for a person: writing them breaks a constraint (both ways; row data, in the cache folder).
        f.put("waiting", row.waiting().stream().map(StatusJson::fields).toList());
        return f;
    }

    private static Map<String, Object> fields(Waiting w) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("table", w.key().table());
        f.put("key", w.key().pk());
        f.put("from_hub", w.fromHub());
        f.put("constraint", w.clash().constraint());
        f.put("values", w.clash().values());
        f.put("other_table", w.clash().other() == null ? null : w.clash().other().table());
        f.put("other_key", w.clash().other() == null ? null : w.clash().other().pk());
        f.put("since", time(w.since()));
        f.put("description", w.describe());
        return f;
    }

    private static String time(Instant at) {
        return at == null ? null : OffsetDateTime.ofInstant(at, ZoneId.systemDefault()).toString();
    }
}
