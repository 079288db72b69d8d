package io.sharemirror.app;

import io.sharemirror.status.DatabaseStatus;
import io.sharemirror.sync.Json;
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
        StringBuilder out = new StringBuilder("{\n  \"config\": ");
        Json.string(out, config.toAbsolutePath().toString());
        out.append(",\n  \"set_up\": ").append(setUp).append(",\n  \"state_db_set_aside\": ");
        Json.value(out, stateSetAside);
        out.append(",\n  \"databases\": [");
        for (int i = 0; i < rows.size(); i++) {
            out.append(i == 0 ? "\n    " : ",\n    ");
            object(out, fields(rows.get(i)));
        }
        return out.append(rows.isEmpty() ? "]\n}\n" : "\n  ]\n}\n").toString();
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

    /** An object of JSON values, and of lists of such objects. */
    @SuppressWarnings("unchecked")
    private static void object(StringBuilder out, Map<String, Object> fields) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            out.append(first ? "" : ", ");
            first = false;
            Json.string(out, f.getKey());
            out.append(": ");
            if (f.getValue() instanceof List<?> list) {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    out.append(i == 0 ? "" : ", ");
                    object(out, (Map<String, Object>) list.get(i));
                }
                out.append(']');
            } else {
                Json.value(out, f.getValue());
            }
        }
        out.append('}');
    }

    private static String time(Instant at) {
        return at == null ? null : OffsetDateTime.ofInstant(at, ZoneId.systemDefault()).toString();
    }
}
