package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sharemirror.Figures;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Table and column names made of quotes, brackets, comment and statement fragments, parameter markers, keywords,
 * rowid aliases and unicode (right-to-left marks, joiners, emoji), with every kind of key, written on two replicas
 * and on the hub at once and synced both ways. A name that reached SQL unquoted would break a statement or change
 * what it does; then a write goes missing or the replicas differ. Each write leaves a marker value; after the sync
 * every live marker is on the hub exactly once and every database is identical.
 */
class HostileNamesFuzzTest {

    private static final int CASES = Integer.getInteger("hostileNames.cases", 10);
    private static final long SEED = Long.getLong("hostileNames.seed", 20240611L);

    private static final List<String> PIECES = List.of("\"", "'", "`", "[", "]", "(", ")", ";", "--", "/*", "*/", " ",
            "\t", "\n", ",", ".", "%", "_", "\\", "?", "?1", ":a", "@a", "$a", "$hex", "{", "}", "=", "DROP TABLE t",
            "SELECT", "FROM", "WHERE", "order", "group", "rowid", "oid", "_rowid_", "NULL", "primary key", "NEW.", "OLD.",
            "json_array(", "unhex(", "é", "表", "🙂", "\u202e", "\u200d", "ß", "x", "1", "sqlite_", "_sm_");
    private static final List<String> VALUE_PIECES = List.of("'", "\"", "--", ";", "\\", "{\"$hex\":\"00\"}", "[1]",
            "NULL", "é", "🙂", "\u202e", " ", "", "\u0000");

    private enum KeyKind { INTEGER, TEXT, COMPOSITE, COMPOSITE_WITHOUT_ROWID, ROWID }

    /** One generated table: its name, its key columns and the column that carries each write's marker. */
    private record Table(String name, KeyKind kind, List<String> keys, String marker, List<String> others) {

        String ddl() {
            List<String> columns = new ArrayList<>();
            switch (kind) {
                case INTEGER -> columns.add(q(keys.get(0)) + " INTEGER PRIMARY KEY");
                case TEXT -> columns.add(q(keys.get(0)) + " TEXT PRIMARY KEY");
                case COMPOSITE, COMPOSITE_WITHOUT_ROWID -> {
                    columns.add(q(keys.get(0)) + " INTEGER NOT NULL");
                    columns.add(q(keys.get(1)) + " TEXT NOT NULL");
                }
                case ROWID -> { }
            }
            columns.add(q(marker) + " TEXT");
            others.forEach(o -> columns.add(q(o)));
            if (kind == KeyKind.COMPOSITE || kind == KeyKind.COMPOSITE_WITHOUT_ROWID) {
                columns.add("PRIMARY KEY(" + q(keys.get(0)) + ", " + q(keys.get(1)) + ")");
            }
            return "CREATE TABLE " + q(name) + "(" + String.join(", ", columns) + ")"
                    + (kind == KeyKind.COMPOSITE_WITHOUT_ROWID ? " WITHOUT ROWID" : "");
        }
    }

    @TempDir
    Path dir;

    private int writes;
    private int lost;

    @Test
    void hostileNamesSyncBothWaysWithoutLosingAWrite() throws Exception {
        Random random = new Random(SEED);
        int tables = 0;
        try {
            for (int i = 0; i < CASES; i++) {
                tables += runCase(random, dir.resolve("case" + i));
            }
        } finally {
            Figures.of("HostileNamesFuzzTest").runs(CASES).put("tables", tables).writesChecked(writes)
                    .writesLost(lost).put("seed", SEED).publish();
        }
    }

    private int runCase(Random random, Path root) throws Exception {
        List<Table> tables = new ArrayList<>();
        Set<String> tableNames = new HashSet<>();
        for (int t = 0; t < 3; t++) {
            tables.add(table(random, tableNames, KeyKind.values()[random.nextInt(KeyKind.values().length)]));
        }
        Files.createDirectories(root);
        try (Cluster cluster = Cluster.withSchema(root, tables.stream().map(Table::ddl).toArray(String[]::new))) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            Map<String, Path> writers = new LinkedHashMap<>();
            writers.put("a", a.replica());
            writers.put("b", b.replica());
            writers.put("h", cluster.hub);
            Map<Table, Set<String>> live = new LinkedHashMap<>();
            tables.forEach(t -> live.put(t, new HashSet<>()));
            int[] serial = {0};
            for (int round = 0; round < 2; round++) {
                for (Map.Entry<String, Path> w : writers.entrySet()) {
                    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + w.getValue())) {
                        for (Table t : tables) {
                            write(c, t, w.getKey(), random, live.get(t), serial);
                        }
                    }
                }
                cluster.settle();
            }
            cluster.assertConverged();
            for (Table t : tables) {
                List<String> onHub = markers(cluster.hub, t);
                for (String marker : live.get(t)) {
                    if (onHub.stream().filter(marker::equals).count() != 1) {
                        lost++;
                    }
                }
                List<String> expected = new ArrayList<>(live.get(t));
                expected.sort(null);
                assertEquals(expected, onHub, () -> "table " + t.ddl());
            }
        }
        return tables.size();
    }

    /** Three inserts, then an update and a delete of this writer's own rows: no write conflicts with another's. */
    private void write(Connection c, Table t, String writer, Random random, Set<String> live, int[] serial)
            throws Exception {
        List<String> mine = new ArrayList<>(live.stream().filter(m -> m.startsWith(writer + "#")).sorted().toList());
        for (int i = 0; i < 3; i++) {
            String marker = writer + "#" + serial[0]++ + value(random);
            List<String> columns = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            switch (t.kind()) {
                case INTEGER -> { // the same numbers on every writer: colliding inserts are re-keyed, both kept
                    columns.add(t.keys().get(0));
                    values.add(100 + random.nextInt(20));
                }
                case TEXT -> {
                    columns.add(t.keys().get(0));
                    values.add(marker);
                }
                case COMPOSITE, COMPOSITE_WITHOUT_ROWID -> {
                    columns.addAll(t.keys());
                    values.add(random.nextInt(3));
                    values.add(marker);
                }
                case ROWID -> { }
            }
            columns.add(t.marker());
            values.add(marker);
            for (String other : t.others()) {
                columns.add(other);
                values.add(random.nextBoolean() ? value(random) : random.nextInt());
            }
            String sql = "INSERT INTO " + q(t.name()) + "(" + String.join(", ", columns.stream().map(HostileNamesFuzzTest::q)
                    .toList()) + ") VALUES(" + String.join(", ", columns.stream().map(x -> "?").toList()) + ")";
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int v = 0; v < values.size(); v++) {
                    s.setObject(v + 1, values.get(v));
                }
                if (s.executeUpdate() == 1) {
                    live.add(marker);
                    mine.add(marker);
                    writes++;
                }
            } catch (java.sql.SQLException e) {
                if (!e.getMessage().contains("UNIQUE") && !e.getMessage().contains("PRIMARY KEY")) {
                    throw e;
                }
                // the writer's own earlier insert holds that key: an application would pick another
            }
        }
        if (mine.size() >= 2) {
            String old = mine.remove(0);
            String renamed = writer + "#" + serial[0]++ + value(random);
            try (PreparedStatement s = c.prepareStatement("UPDATE " + q(t.name()) + " SET " + q(t.marker()) + " = ?"
                    + (t.kind() == KeyKind.TEXT ? "" : ", " + q(t.others().get(0)) + " = ?") + " WHERE " + q(t.marker())
                    + " = ?")) {
                s.setString(1, renamed);
                if (t.kind() == KeyKind.TEXT) {
                    s.setString(2, old);
                } else {
                    s.setString(2, value(random));
                    s.setString(3, old);
                }
                assertEquals(1, s.executeUpdate());
            }
            live.remove(old);
            live.add(renamed);
            String gone = mine.remove(0);
            try (PreparedStatement s = c.prepareStatement("DELETE FROM " + q(t.name()) + " WHERE " + q(t.marker()) + " = ?")) {
                s.setString(1, gone);
                assertEquals(1, s.executeUpdate());
            }
            live.remove(gone);
            writes += 2;
        }
    }

    private static List<String> markers(Path db, Table t) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             PreparedStatement s = c.prepareStatement("SELECT " + q(t.marker()) + " FROM " + q(t.name())
                     + " ORDER BY 1");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        out.sort(null);
        return out;
    }

    private static Table table(Random random, Set<String> tableNames, KeyKind kind) {
        String name;
        do {
            name = name(random);
        } while (!tableNames.add(name.toLowerCase(Locale.ROOT)));
        Set<String> used = new HashSet<>();
        int keyCount = switch (kind) {
            case INTEGER, TEXT -> 1;
            case COMPOSITE, COMPOSITE_WITHOUT_ROWID -> 2;
            case ROWID -> 0;
        };
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < keyCount; i++) {
            keys.add(column(random, used, kind == KeyKind.ROWID));
        }
        String marker = column(random, used, kind == KeyKind.ROWID);
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 1 + random.nextInt(3); i++) {
            others.add(column(random, used, kind == KeyKind.ROWID));
        }
        return new Table(name, kind, keys, marker, others);
    }

    /** A name SQLite accepts for a user table: not sqlite_* (reserved) nor _sm_* (ShareMirror's own). */
    private static String name(Random random) {
        while (true) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0, n = 1 + random.nextInt(5); i < n; i++) {
                sb.append(PIECES.get(random.nextInt(PIECES.size())));
            }
            String name = sb.toString();
            String folded = name.toLowerCase(Locale.ROOT);
            if (!folded.startsWith("sqlite_") && !folded.startsWith("_sm_")) {
                return name;
            }
        }
    }

    /**
     * A column name unique in its table (SQLite compares them ignoring ASCII case). A table without a key keeps one
     * of rowid, oid and _rowid_ free, for SQLite to have a name for its rows.
     */
    private static String column(Random random, Set<String> used, boolean rowidTable) {
        List<String> aliases = List.of("rowid", "oid", "_rowid_");
        while (true) {
            String name = random.nextInt(8) == 0 ? aliases.get(random.nextInt(3)) : name(random);
            String folded = name.toLowerCase(Locale.ROOT);
            boolean lastAlias = rowidTable && aliases.contains(folded)
                    && aliases.stream().filter(x -> !x.equals(folded)).allMatch(used::contains);
            if (!lastAlias && used.add(folded)) {
                return name;
            }
        }
    }

    private static String value(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0, n = random.nextInt(4); i < n; i++) {
            sb.append(VALUE_PIECES.get(random.nextInt(VALUE_PIECES.size())));
        }
        return sb.toString();
    }

    /** The test's own quoting, independent of the code under test. */
    private static String q(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
