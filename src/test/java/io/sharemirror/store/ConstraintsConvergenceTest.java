package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Figures;
import io.sharemirror.sync.ArchivedConflict;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.MergeMode;
import io.sharemirror.sync.conflict.TablePolicies;
import io.sharemirror.sync.conflict.TablePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Randomized, seeded histories on an ordinary inventory schema with the constraints real applications use: UNIQUE
 * codes, a case-insensitive text key, foreign keys with ON DELETE CASCADE and SET NULL, a table without a primary key,
 * a composite key; two or three desktops and a program writing the hub directly, all with foreign keys on, write
 * colliding codes and keys, swap codes in one transaction, upsert with INSERT OR REPLACE, delete parents under others'
 * children; the hub is VACUUMed now and then. Each case runs under one conflict policy and merge mode
 * (row or column), drawn like the rest.
 *
 * <p>Every cycle must succeed (no desktop stops on a row it can decide), and after everyone settles: every copy is
 * identical, passes integrity_check and foreign_key_check, nothing is pending or waiting, and no acknowledged write is
 * lost. The oracle: every write puts a unique mark in its row's {@code note} and records the marks it knowingly
 * replaced (the rows' marks it read in its own transaction before writing or deleting them, cascades included); a mark
 * nobody replaced knowingly must be on the hub or in some desktop's conflict archive.
 *
 * <p>{@code -Dconstraints.cases=N} (default 15) sets the number of cases, {@code -Dconstraints.seed=S} reruns one,
 * {@code -Dconstraints.trace=true} prints every step.
 */
class ConstraintsConvergenceTest {

    private static final String[] SCHEMA = {
        "CREATE TABLE category(code TEXT PRIMARY KEY COLLATE NOCASE, label TEXT, note TEXT)",
        "CREATE TABLE supplier(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT, note TEXT)",
        "CREATE TABLE item(id INTEGER PRIMARY KEY, sku TEXT UNIQUE, supplier_id INTEGER NOT NULL"
                + " REFERENCES supplier(id) ON DELETE CASCADE, category TEXT REFERENCES category(code) ON DELETE SET NULL,"
                + " qty INTEGER NOT NULL DEFAULT 0, note TEXT)",
        "CREATE TABLE item_tag(item_id INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE, tag TEXT NOT NULL,"
                + " note TEXT, PRIMARY KEY(item_id, tag)) WITHOUT ROWID",
        "CREATE TABLE stock_move(item_id INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE, delta INTEGER, note TEXT)",
        "INSERT INTO category VALUES('tools', 'Tools', 'init-c1'), ('paint', 'Paint', 'init-c2')",
        "INSERT INTO supplier VALUES(1, 'S1', 'one', 'init-s1'), (2, 'S2', 'two', 'init-s2')",
        "INSERT INTO item VALUES(1, 'K1', 1, 'tools', 5, 'init-i1'), (2, 'K2', 2, 'paint', 3, 'init-i2')",
        "INSERT INTO item_tag VALUES(1, 'red', 'init-t1')",
        "INSERT INTO stock_move VALUES(1, 5, 'init-m1'), (2, 3, 'init-m2')",
    };
    private static final String[] CATEGORY_CODES = {"tools", "TOOLS", "Tools", "paint", "Paint", "glue", "GLUE"};
    private static final String[] SUPPLIER_CODES = {"S1", "S2", "S3", "S4", "S5"};
    private static final String[] SKUS = {"K1", "K2", "K3", "K4", "K5", "K6"};
    private static final String[] TAGS = {"red", "blue", "sale"};
    private static final boolean TRACE = Boolean.getBoolean("constraints.trace");

    @TempDir
    Path dir;

    /** What a run did, for the figures. */
    private static final class Stats {
        int cases;
        int writes;
        int refusedLocally;
        int directWrites;
        int vacuums;
        int syncs;
        int archived;
        /** Archived conflicts of a column merge: the columns both sides changed, the rest of the row merged. */
        int columnConflicts;
        int marksChecked;
    }

    @Test
    void constraintsOnEveryCopyHoldAndNothingIsLost() throws Exception {
        Stats stats = new Stats();
        List<Long> seeds = new ArrayList<>();
        String only = System.getProperty("constraints.seed");
        if (only != null) {
            seeds.add(Long.parseLong(only));
        } else {
            Random master = new Random(0xC0DE5L);
            for (int i = 0; i < Integer.getInteger("constraints.cases", 15); i++) {
                seeds.add(master.nextLong());
            }
        }
        List<String> lost = new ArrayList<>();
        for (int i = 0; i < seeds.size(); i++) {
            try {
                lost.addAll(new Case(seeds.get(i), Files.createDirectories(dir.resolve("case" + i)), stats).run());
            } catch (Throwable t) {
                throw new AssertionError("constraints case " + i + " failed; rerun it alone with -Dconstraints.seed="
                        + seeds.get(i) + ": " + t.getMessage(), t);
            }
            stats.cases++;
        }
        Figures.of("ConstraintsConvergenceTest").runs(stats.cases).writesChecked(stats.marksChecked)
                .writesLost(lost.size()).put("writes", stats.writes).put("refused_locally", stats.refusedLocally)
                .put("direct_writes", stats.directWrites).put("vacuums", stats.vacuums).put("syncs", stats.syncs)
                .put("conflicts_archived", stats.archived)
                .put("column_conflicts", stats.columnConflicts).publish();
        assertEquals(List.of(), lost, "acknowledged writes neither on the hub nor archived");
    }

    private static final class Case {
        final long seed;
        final Path root;
        final Stats stats;
        final Random random;
        /** Every acknowledged mark, and the marks writes knowingly replaced. */
        final Set<String> marks = new HashSet<>();
        final Set<String> replaced = new HashSet<>();
        int next;

        Case(long seed, Path root, Stats stats) {
            this.seed = seed;
            this.root = root;
            this.stats = stats;
            this.random = new Random(seed);
        }

        List<String> run() throws Exception {
            try (Cluster cluster = Cluster.withSchema(root, SCHEMA)) {
                int desktops = 2 + random.nextInt(2);
                // Every policy and merge mode, one per case: each takes other paths through the planner.
                TablePolicy policy = new TablePolicy(
                        ConflictPolicy.values()[random.nextInt(ConflictPolicy.values().length)],
                        MergeMode.values()[random.nextInt(MergeMode.values().length)]);
                trace("policy " + policy + ", " + desktops + " desktops");
                for (int i = 0; i < desktops; i++) {
                    cluster.add(TablePolicies.everyTable(policy));
                }
                cluster.settle();
                for (int step = 0; step < 60; step++) {
                    int what = random.nextInt(100);
                    if (what < 15) {
                        Cluster.Node node = cluster.nodes.get(random.nextInt(desktops));
                        trace("step " + step + ": sync node " + cluster.nodes.indexOf(node));
                        CycleRecord record = node.sync();
                        stats.syncs++;
                        traceHub(cluster);
                        assertTrue(record.succeeded(), "step " + step + ": " + record);
                    } else if (what < 22) {
                        trace("step " + step + ": direct writer");
                        write(cluster.hub, true);
                    } else if (what < 24) {
                        Cluster.run(cluster.hub, "VACUUM");
                        stats.vacuums++;
                    } else {
                        Cluster.Node node = cluster.nodes.get(random.nextInt(desktops));
                        node.store().replica(); // as an application finds it: made already
                        trace("step " + step + ": node " + cluster.nodes.indexOf(node));
                        write(node.replica(), false);
                    }
                }
                for (int round = 0; round < 4; round++) {
                    for (Cluster.Node node : cluster.nodes) {
                        trace("settling: sync node " + cluster.nodes.indexOf(node));
                        CycleRecord record = node.sync();
                        stats.syncs++;
                        traceHub(cluster);
                        assertTrue(record.succeeded(), "settling: " + record);
                    }
                }
                if (TRACE) {
                    System.out.println("hub foreign_key_check: " + Cluster.scalar(cluster.hub, "SELECT group_concat("
                            + "\"table\" || ' ' || rowid || ' -> ' || parent, '; ') FROM pragma_foreign_key_check"));
                    Archive.all(cluster).forEach(a -> System.out.println("archived " + a.table() + " " + a.key() + " "
                            + a.winner() + " local " + a.localJson() + " hub " + a.hubJson() + ": " + a.reason()));
                }
                cluster.assertConverged();
                for (Cluster.Node node : cluster.nodes) {
                    assertEquals(List.of(), node.store().replica().waiting(), "nothing waits on " + node.replica());
                }
                return lost(cluster);
            }
        }

        /** The hub's rows that break a foreign key, when tracing: the first sync that leaves one is the culprit. */
        private static void traceHub(Cluster cluster) throws SQLException {
            if (TRACE) {
                String broken = Cluster.scalar(cluster.hub, "SELECT group_concat(\"table\" || ' ' || rowid || ' -> '"
                        + " || parent, '; ') FROM pragma_foreign_key_check");
                if (broken != null) {
                    trace("  hub foreign_key_check: " + broken);
                }
            }
        }

        private static void trace(String line) {
            if (TRACE) {
                System.out.println(line);
            }
        }

        /** The marks nobody replaced knowingly that are neither on the hub nor in any archive. */
        List<String> lost(Cluster cluster) throws SQLException {
            Set<String> onHub = new HashSet<>();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + cluster.hub); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT note FROM category UNION ALL SELECT note FROM supplier UNION ALL"
                         + " SELECT note FROM item UNION ALL SELECT note FROM item_tag UNION ALL SELECT note FROM stock_move")) {
                while (r.next()) {
                    onHub.add(r.getString(1));
                }
            }
            List<ArchivedConflict> archive = Archive.all(cluster);
            stats.archived += archive.size();
            stats.columnConflicts += (int) archive.stream().filter(a -> !a.columns().isEmpty()).count();
            List<String> lost = new ArrayList<>();
            for (String mark : marks) {
                if (replaced.contains(mark) || onHub.contains(mark)) {
                    continue;
                }
                if (archive.stream().noneMatch(a -> Archive.holds(a, "note", mark))) {
                    lost.add("seed " + seed + ": " + mark);
                    if (TRACE) {
                        archive.forEach(a -> System.out.println("archived " + a.table() + " " + a.key() + " " + a.winner()
                                + " local " + a.localJson() + " hub " + a.hubJson() + ": " + a.reason()));
                    }
                }
            }
            stats.marksChecked += marks.size();
            return lost;
        }

        /** One application transaction on {@code db} (a replica, or the hub for the direct writer). */
        void write(Path db, boolean direct) throws SQLException {
            String mark = (direct ? "h" : "w") + (++next);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 10000");
                s.execute("PRAGMA foreign_keys = ON");
                s.execute("BEGIN IMMEDIATE");
                Set<String> read = new HashSet<>();
                List<String> made;
                try {
                    made = operation(c, mark, read);
                    s.execute("COMMIT");
                } catch (SQLException e) {
                    trace("  refused: " + e.getMessage());
                    // The application's own database refused it (a UNIQUE code taken here, a foreign key): not
                    // acknowledged, nothing to check.
                    s.execute("ROLLBACK");
                    stats.refusedLocally++;
                    return;
                }
                marks.addAll(made);
                replaced.addAll(read);
                stats.writes++;
                stats.directWrites += direct ? 1 : 0;
            }
        }

        /** Makes one change; returns the marks it wrote (none for a delete), adds those it replaced to {@code read}. */
        private List<String> operation(Connection c, String mark, Set<String> read) throws SQLException {
            int changed = 0;
            switch (random.nextInt(14)) {
                case 0 -> changed += update(c, "INSERT INTO category(code, label, note) VALUES(?, 'made', ?)",
                        pick(CATEGORY_CODES), mark);
                case 1 -> {
                    String code = pick(CATEGORY_CODES);
                    read.addAll(notes(c, "SELECT note FROM category WHERE code = ?", code));
                    changed += update(c, "INSERT OR REPLACE INTO category(code, label, note) VALUES(?, 'replaced', ?)",
                            code, mark);
                }
                case 2 -> {
                    String code = pick(CATEGORY_CODES);
                    read.addAll(notes(c, "SELECT note FROM category WHERE code = ?", code));
                    update(c, "DELETE FROM category WHERE code = ?", code); // items' category: SET NULL
                    return List.of();
                }
                case 3 -> changed += update(c, "INSERT INTO supplier(code, name, note) VALUES(?, 'made', ?)",
                        pick(SUPPLIER_CODES), mark);
                case 4 -> {
                    long id = anyId(c, "supplier");
                    read.addAll(notes(c, "SELECT note FROM supplier WHERE id = ?", id));
                    changed += update(c, "UPDATE supplier SET code = ?, note = ? WHERE id = ?", pick(SUPPLIER_CODES), mark,
                            id);
                }
                case 5 -> { // two suppliers swap codes in one transaction
                    long a = anyId(c, "supplier");
                    long b = anyId(c, "supplier");
                    List<String> codes = notes(c, "SELECT code FROM supplier WHERE id IN (?, ?) ORDER BY id = ?", a, b, b);
                    if (a == b || codes.size() < 2) {
                        return List.of();
                    }
                    read.addAll(notes(c, "SELECT note FROM supplier WHERE id IN (?, ?)", a, b));
                    update(c, "UPDATE supplier SET code = code || '~' WHERE id = ?", a);
                    update(c, "UPDATE supplier SET code = ?, note = ? WHERE id = ?", codes.get(0), mark, b);
                    update(c, "UPDATE supplier SET code = ?, note = ? WHERE id = ?", codes.get(1), mark + "b", a);
                    return List.of(mark, mark + "b");
                }
                case 6 -> {
                    long id = anyId(c, "supplier");
                    read.addAll(cascade(c, "SELECT note FROM supplier WHERE id = ?", "supplier_id = ?", id));
                    update(c, "DELETE FROM supplier WHERE id = ?", id);
                    return List.of();
                }
                case 7 -> changed += update(c, "INSERT INTO item(sku, supplier_id, category, qty, note)"
                        + " VALUES(?, ?, ?, 1, ?)",
                        pick(SKUS), anyId(c, "supplier"), random.nextBoolean() ? pick(CATEGORY_CODES) : null, mark);
                case 8 -> { // the everyday upsert by a UNIQUE column that is not the key
                    String sku = pick(SKUS);
                    read.addAll(cascade(c, "SELECT note FROM item WHERE sku = ?", "item_id = (SELECT id FROM item"
                            + " WHERE sku = ?)", sku));
                    changed += update(c, "INSERT OR REPLACE INTO item(sku, supplier_id, qty, note) VALUES(?, ?, 7, ?)",
                            sku, anyId(c, "supplier"), mark);
                }
                case 9 -> {
                    long id = anyId(c, "item");
                    read.addAll(notes(c, "SELECT note FROM item WHERE id = ?", id));
                    changed += update(c, "UPDATE item SET qty = qty + 1, note = ? WHERE id = ?", mark, id);
                }
                case 10 -> {
                    long id = anyId(c, "item");
                    read.addAll(cascade(c, "SELECT note FROM item WHERE id = ?", "item_id = ?", id));
                    update(c, "DELETE FROM item WHERE id = ?", id);
                    return List.of();
                }
                case 11 -> {
                    String tag = pick(TAGS);
                    long item = anyId(c, "item");
                    read.addAll(notes(c, "SELECT note FROM item_tag WHERE item_id = ? AND tag = ?", item, tag));
                    changed += update(c, "INSERT OR REPLACE INTO item_tag VALUES(?, ?, ?)", item, tag, mark);
                }
                case 12 -> changed += update(c, "INSERT INTO stock_move VALUES(?, ?, ?)", anyId(c, "item"),
                        random.nextInt(9) - 4, mark);
                default -> {
                    read.addAll(notes(c, "SELECT note FROM stock_move WHERE rowid = (SELECT min(rowid) FROM stock_move)"));
                    update(c, "DELETE FROM stock_move WHERE rowid = (SELECT min(rowid) FROM stock_move)");
                    return List.of();
                }
            }
            return changed > 0 ? List.of(mark) : List.of();
        }

        /** The marks of a row and of the rows a delete of it takes along (items, then their tags and moves). */
        private List<String> cascade(Connection c, String row, String children, Object key) throws SQLException {
            List<String> notes = new ArrayList<>(notes(c, row, key));
            if (children.startsWith("supplier_id")) {
                for (String item : ids(c, "SELECT id FROM item WHERE " + children, key)) {
                    notes.addAll(cascade(c, "SELECT note FROM item WHERE id = ?", "item_id = ?", Long.parseLong(item)));
                }
            } else {
                notes.addAll(notes(c, "SELECT note FROM item_tag WHERE " + children, key));
                notes.addAll(notes(c, "SELECT note FROM stock_move WHERE " + children, key));
            }
            return notes;
        }

        private long anyId(Connection c, String table) throws SQLException {
            List<String> ids = ids(c, "SELECT id FROM " + table + " ORDER BY id");
            return ids.isEmpty() ? 999 : Long.parseLong(ids.get(random.nextInt(ids.size())));
        }

        private String pick(String[] values) {
            return values[random.nextInt(values.length)];
        }

        private static List<String> ids(Connection c, String sql, Object... args) throws SQLException {
            return notes(c, sql, args);
        }

        /** The first column of every row the query returns, as text. */
        private static List<String> notes(Connection c, String sql, Object... args) throws SQLException {
            List<String> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    s.setObject(i + 1, args[i]);
                }
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(r.getString(1));
                    }
                }
            }
            return out;
        }

        /** Runs a change; returns how many rows it changed. */
        private static int update(Connection c, String sql, Object... args) throws SQLException {
            if (TRACE) {
                System.out.println("  " + sql + " " + java.util.Arrays.toString(args));
            }
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    s.setObject(i + 1, args[i]);
                }
                return s.executeUpdate();
            }
        }
    }
}
