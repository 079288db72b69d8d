package io.sharemirror.crash;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The checks run once everything is quiescent: no loss, no duplicates, convergence, integrity.
 *
 * <p>"No loss" for a key written by the agents: the replicas edit each other's rows too, so a key can have
 * several acknowledged writes. Every change carries its hybrid-logical-clock time (ARCHITECTURE.md#capture), which grows
 * with everything a replica has seen, and conflicts go to the newest version; so the write with the largest
 * time is the one that must be on the hub and on every replica. Older writes were either overwritten by an edit
 * that had seen them or lost a conflict and are in the archive. If the newest write is not there it must at
 * least be in the conflict archive, else it is a lost write. A group cut off by a kill (intent, no ack) may or
 * may not have committed: its values are also accepted.
 */
final class Invariants {

    static final String ABSENT = "<absent>";

    final List<String> violations = new ArrayList<>();
    int ackedWrites;
    int ackedNoOps;
    int keysChecked;
    int doubtGroups;
    int superseded;
    int archivedInsteadOfApplied;
    int lost;
    int duplicates;
    final List<String> archivedSamples = new ArrayList<>();

    /**
     * Writes lost to their user: gone, or a newest write found only in the conflict archive (newest wins, and rows
     * that collided on an integer key both survive, so the archive is no place for a newest write).
     */
    int lostToTheUser() {
        return lost + archivedInsteadOfApplied;
    }

    /** What the checks need from one database. */
    record Contents(String name, Map<String, List<String>> items, Map<String, String> kv, Map<Long, String> artists) {

        String item(String uid) {
            List<String> notes = items.get(uid);
            return notes == null ? ABSENT : notes.size() == 1 ? notes.get(0) : "DUPLICATED" + notes;
        }

        String kv(String k) {
            return kv.getOrDefault(k, ABSENT);
        }
    }

    /** One archived conflict, by the version that lost. */
    record Loser(String db, String table, String pk, String node, long ts) {
    }

    private record Write(String writer, long ts, String value) {
    }

    private static final class Expect {
        final List<Write> acked = new ArrayList<>();
        final List<Write> doubt = new ArrayList<>();
    }

    static Contents read(String name, Path db) throws SQLException {
        Map<String, List<String>> items = new HashMap<>();
        Map<String, String> kv = new HashMap<>();
        Map<Long, String> artists = new HashMap<>();
        try (Connection c = HubWriter.open(db, 5_000); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT uid, note FROM crash_item")) {
                while (r.next()) {
                    items.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(r.getString(2));
                }
            }
            try (ResultSet r = s.executeQuery("SELECT k, v FROM crash_kv WHERE owner = 'S'")) {
                while (r.next()) {
                    kv.put(r.getString(1), r.getString(2));
                }
            }
            try (ResultSet r = s.executeQuery("SELECT ArtistId, Name FROM Artist")) {
                while (r.next()) {
                    artists.put(r.getLong(1), r.getString(2));
                }
            }
        }
        return new Contents(name, items, kv, artists);
    }

    /** The losers archived in a state.db, as (table, key, node, time) of the version that lost. */
    static List<Loser> losers(Path stateDb) throws SQLException {
        List<Loser> out = new ArrayList<>();
        if (!Files.exists(stateDb)) {
            return out;
        }
        try (Connection c = HubWriter.open(stateDb, 5_000); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT db, tbl, pk, winner, local_node, local_ts, remote_origin, remote_ts"
                     + " FROM conflicts")) {
            while (r.next()) {
                boolean localLost = !"local".equals(r.getString(4));
                out.add(new Loser(stateDb.toString(), r.getString(2), r.getString(3),
                        localLost ? r.getString(5) : r.getString(7), localLost ? r.getLong(6) : r.getLong(8)));
            }
        }
        return out;
    }

    /**
     * Every acknowledged write of every ledger against every database.
     *
     * @param ledgers the groups of each writing slot ("A", "B")
     * @param nodes each slot's replica node id, to find its versions in the conflict archive
     */
    void checkLedgers(Map<String, List<Ledger.Group>> ledgers, Map<String, String> nodes, List<Loser> archive,
                      List<Contents> dbs) {
        Map<String, Expect> expected = new TreeMap<>();
        for (List<Ledger.Group> groups : ledgers.values()) {
            for (Ledger.Group g : groups) {
                if (!g.acknowledged()) {
                    doubtGroups++;
                }
                for (int i = 0; i < g.ops().size(); i++) {
                    Ledger.Op op = g.ops().get(i);
                    Expect e = expected.computeIfAbsent(op.id(), k -> new Expect());
                    String value = op.isPut() ? op.value() : ABSENT;
                    if (!g.acknowledged()) {
                        e.doubt.add(new Write(g.writer(), -1, value));
                    } else if (g.ts()[i] < 0) {
                        ackedNoOps++; // an update or delete of a row that was already gone: changed nothing
                    } else {
                        ackedWrites++;
                        e.acked.add(new Write(g.writer(), g.ts()[i], value));
                    }
                }
            }
        }
        for (Map.Entry<String, Expect> entry : expected.entrySet()) {
            String id = entry.getKey();
            Expect e = entry.getValue();
            keysChecked++;
            long newest = e.acked.stream().mapToLong(Write::ts).max().orElse(-1);
            List<Write> winners = e.acked.stream().filter(w -> w.ts() == newest).toList();
            superseded += e.acked.size() - winners.size();
            Set<String> acceptable = new TreeSet<>();
            winners.forEach(w -> acceptable.add(w.value()));
            e.doubt.forEach(w -> acceptable.add(w.value()));
            if (e.acked.isEmpty()) {
                acceptable.add(ABSENT);
            }
            String table = id.substring(0, id.indexOf(':'));
            String key = id.substring(id.indexOf(':') + 1);
            Map<String, String> wrong = new LinkedHashMap<>();
            Map<String, String> duplicated = new LinkedHashMap<>();
            for (Contents db : dbs) {
                String actual = table.equals("item") ? db.item(key) : db.kv(key);
                if (actual.startsWith("DUPLICATED")) {
                    duplicated.put(db.name(), actual);
                } else if (!acceptable.contains(actual)) {
                    wrong.put(db.name(), actual);
                }
            }
            if (!duplicated.isEmpty()) {
                duplicates++;
                violations.add("duplicate rows for " + id + ": " + duplicated + "; writes: " + history(e));
            }
            if (wrong.isEmpty()) {
                continue;
            }
            List<Loser> found = archive.stream().filter(l -> l.table().equals(table.equals("item") ? "crash_item"
                    : "crash_kv") && winners.stream().anyMatch(w -> w.ts() == l.ts()
                    && l.node() != null && l.node().equals(nodes.get(slot(w.writer()))))).toList();
            if (!found.isEmpty()) {
                archivedInsteadOfApplied++;
                if (archivedSamples.size() < 10) {
                    archivedSamples.add(id + " expected " + acceptable + " but " + wrong + "; archived " + found
                            + "; writes: " + history(e));
                }
                continue;
            }
            lost++;
            violations.add("lost write: " + id + " should be " + acceptable + " but is " + wrong + " (every other"
                    + " database agrees with the ledger); writes: " + history(e));
        }
        for (Contents db : dbs) {
            db.items().keySet().stream().filter(uid -> !uid.startsWith("H-") && !expected.containsKey("item:" + uid))
                    .forEach(uid -> violations.add("row " + uid + " in " + db.name() + " that no ledger wrote"));
            db.kv().keySet().stream().filter(k -> !expected.containsKey("kv:" + k))
                    .forEach(k -> violations.add("kv " + k + " in " + db.name() + " that no ledger wrote"));
        }
    }

    private static String slot(String writer) {
        return writer.substring(0, 1);
    }

    private static String history(Expect e) {
        StringBuilder out = new StringBuilder();
        List<Write> acked = new ArrayList<>(e.acked);
        acked.sort((a, b) -> Long.compare(a.ts(), b.ts()));
        int from = Math.max(0, acked.size() - 6);
        if (from > 0) {
            out.append("... ");
        }
        for (Write w : acked.subList(from, acked.size())) {
            out.append(w.writer()).append('@').append(w.ts()).append('=').append(w.value()).append(' ');
        }
        if (!e.doubt.isEmpty()) {
            out.append("in doubt: ");
            e.doubt.forEach(w -> out.append(w.writer()).append('=').append(w.value()).append(' '));
        }
        return out.toString().trim();
    }

    /** The direct writer's rows are written by nobody else: each must be exactly as it left them. */
    void checkHubWriter(HubWriter writer, List<Contents> dbs) {
        writer.items.forEach((uid, note) -> {
            ackedWrites++;
            keysChecked++;
            String expected = note == null ? ABSENT : note;
            Map<String, String> wrong = new LinkedHashMap<>();
            dbs.stream().filter(db -> !expected.equals(db.item(uid))).forEach(db -> wrong.put(db.name(), db.item(uid)));
            if (!wrong.isEmpty()) {
                lost++;
                violations.add("direct hub write lost: " + uid + " should be " + expected + " but is " + wrong);
            }
        });
        writer.artists.forEach((id, name) -> {
            ackedWrites++;
            keysChecked++;
            Map<String, String> wrong = new LinkedHashMap<>();
            dbs.stream().filter(db -> !name.equals(db.artists().get(id)))
                    .forEach(db -> wrong.put(db.name(), db.artists().get(id)));
            if (!wrong.isEmpty()) {
                lost++;
                violations.add("direct hub write lost: Artist " + id + " should be " + name + " but is " + wrong);
            }
        });
    }

    /** Every user table's rows as typed text, sorted: equal dumps mean equal contents. */
    static TreeMap<String, List<String>> dump(Path db) throws SQLException {
        TreeMap<String, List<String>> out = new TreeMap<>();
        try (Connection c = HubWriter.open(db, 5_000)) {
            List<String> tables = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT name FROM sqlite_master"
                    + " WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                    + " AND name NOT LIKE '\\_sm\\_%' ESCAPE '\\' ORDER BY name")) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            for (String table : tables) {
                List<String> rows = new ArrayList<>();
                try (Statement s = c.createStatement();
                     ResultSet r = s.executeQuery("SELECT * FROM \"" + table.replace("\"", "\"\"") + "\"")) {
                    int n = r.getMetaData().getColumnCount();
                    while (r.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= n; i++) {
                            Object v = r.getObject(i);
                            row.append(v == null ? "N" : v instanceof byte[] b ? "B" + java.util.HexFormat.of()
                                    .formatHex(b) : (v instanceof Number ? "#" : "'") + v).append('|');
                        }
                        rows.add(row.toString());
                    }
                }
                java.util.Collections.sort(rows);
                out.put(table, rows);
            }
        }
        return out;
    }

    void checkConverged(Path hub, Map<String, Path> replicas) throws SQLException {
        TreeMap<String, List<String>> expected = dump(hub);
        for (Map.Entry<String, Path> replica : replicas.entrySet()) {
            TreeMap<String, List<String>> actual = dump(replica.getValue());
            if (!expected.equals(actual)) {
                violations.add("replica " + replica.getKey() + " differs from the hub: "
                        + difference(expected, actual));
            }
        }
    }

    private static String difference(TreeMap<String, List<String>> hub, TreeMap<String, List<String>> replica) {
        if (!hub.keySet().equals(replica.keySet())) {
            return "tables " + hub.keySet() + " vs " + replica.keySet();
        }
        for (String t : hub.keySet()) {
            if (!hub.get(t).equals(replica.get(t))) {
                List<String> onlyHub = new ArrayList<>(hub.get(t));
                onlyHub.removeAll(replica.get(t));
                List<String> onlyReplica = new ArrayList<>(replica.get(t));
                onlyReplica.removeAll(hub.get(t));
                return t + ": only on the hub " + cut(onlyHub) + ", only on the replica " + cut(onlyReplica);
            }
        }
        return "none";
    }

    private static String cut(List<String> rows) {
        String text = rows.size() + " " + rows;
        return text.length() > 1500 ? text.substring(0, 1500) + "..." : text;
    }

    /** {@code integrity_check} ok and {@code foreign_key_check} no worse than the original sample. */
    void checkHealthy(String name, Path db, long allowedForeignKeyProblems) throws SQLException {
        try (Connection c = HubWriter.open(db, 5_000); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
                r.next();
                String result = r.getString(1);
                if (!"ok".equals(result)) {
                    violations.add("integrity_check of " + name + ": " + result);
                }
            }
            if (allowedForeignKeyProblems >= 0) {
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM pragma_foreign_key_check")) {
                    r.next();
                    if (r.getLong(1) > allowedForeignKeyProblems) {
                        violations.add("foreign_key_check of " + name + " found " + r.getLong(1) + " problems");
                    }
                }
            }
        }
    }

    static long foreignKeyProblems(Path db) throws SQLException {
        try (Connection c = HubWriter.open(db, 5_000); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM pragma_foreign_key_check")) {
            r.next();
            return r.getLong(1);
        }
    }
}
