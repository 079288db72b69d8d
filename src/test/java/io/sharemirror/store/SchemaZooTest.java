package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A schema that uses what real applications use (issue 14): triggers that audit, keep a stock total and stamp
 * {@code updated_at}; an FTS5 index kept by triggers over external content; regular FTS5 and FTS4 tables written
 * directly; generated columns (virtual and stored), CHECK constraints, a view, partial and expression indexes, a STRICT
 * WITHOUT ROWID table. Written on two replicas and by the sqlite3 shell straight on the hub: every copy ends with the
 * same rows (the derived ones included, each derived once), the same search results and sound FTS indexes, and the
 * desktop that wrote reads its derived rows and finds its new text at once, before any sync.
 */
class SchemaZooTest {

    @TempDir
    Path dir;

    static final String[] ZOO = {
        "CREATE TABLE product(id INTEGER PRIMARY KEY, name TEXT NOT NULL, price_cents INTEGER NOT NULL"
                + " CHECK (price_cents >= 0), stock INTEGER NOT NULL DEFAULT 0, updated_at TEXT,"
                + " label TEXT GENERATED ALWAYS AS (upper(name)) VIRTUAL,"
                + " price REAL GENERATED ALWAYS AS (price_cents / 100.0) STORED)",
        "CREATE TABLE movement(id INTEGER PRIMARY KEY, product INTEGER NOT NULL REFERENCES product(id),"
                + " qty INTEGER NOT NULL CHECK (qty <> 0))",
        "CREATE TABLE audit(id INTEGER PRIMARY KEY, what TEXT NOT NULL)",
        "CREATE INDEX movement_product ON movement(product)",
        "CREATE INDEX product_dear ON product(price_cents) WHERE price_cents > 1000",
        "CREATE INDEX product_lower_name ON product(lower(name))",
        "CREATE TABLE tag(name TEXT PRIMARY KEY, uses INTEGER NOT NULL) STRICT, WITHOUT ROWID",
        "CREATE VIEW stock_report AS SELECT p.name, p.stock, count(m.id) AS movements FROM product p"
                + " LEFT JOIN movement m ON m.product = p.id GROUP BY p.id",
        // Derived rows: a total, an audit trail, a time stamp (recursive triggers are on in sqlite-jdbc: OF keeps the
        // stamp's own UPDATE from firing it again).
        "CREATE TRIGGER movement_stock AFTER INSERT ON movement BEGIN"
                + " UPDATE product SET stock = stock + NEW.qty WHERE id = NEW.product; END",
        "CREATE TRIGGER \"product audit\" AFTER UPDATE OF price_cents ON product BEGIN"
                + " INSERT INTO audit(what) VALUES('price of ' || NEW.id || ': ' || OLD.price_cents || ' -> '"
                + " || NEW.price_cents); END",
        "CREATE TRIGGER product_touch AFTER UPDATE OF name, price_cents ON product BEGIN"
                + " UPDATE product SET updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE id = NEW.id; END",
        // An FTS5 index over external content, kept by the documented triggers.
        "CREATE TABLE doc(id INTEGER PRIMARY KEY, title TEXT, body TEXT)",
        "CREATE VIRTUAL TABLE doc_fts USING fts5(title, body, content='doc', content_rowid='id')",
        "CREATE TRIGGER doc_ai AFTER INSERT ON doc BEGIN"
                + " INSERT INTO doc_fts(rowid, title, body) VALUES(new.id, new.title, new.body); END",
        "CREATE TRIGGER doc_ad AFTER DELETE ON doc BEGIN"
                + " INSERT INTO doc_fts(doc_fts, rowid, title, body) VALUES('delete', old.id, old.title, old.body); END",
        "CREATE TRIGGER doc_au AFTER UPDATE ON doc BEGIN"
                + " INSERT INTO doc_fts(doc_fts, rowid, title, body) VALUES('delete', old.id, old.title, old.body);"
                + " INSERT INTO doc_fts(rowid, title, body) VALUES(new.id, new.title, new.body); END",
        // Regular full-text tables, written directly.
        "CREATE VIRTUAL TABLE note USING fts5(subject, text)",
        "CREATE VIRTUAL TABLE memo USING fts4(subject, text)",
        "INSERT INTO product(id, name, price_cents, stock) VALUES(1, 'bolt', 25, 100), (2, 'gear', 1500, 10),"
                + " (3, 'nut', 300, 30)",
        "INSERT INTO doc(id, title, body) VALUES(1, 'manual', 'how to fit the bolt')",
        "INSERT INTO note(subject, text) VALUES('hub', 'written before the clone')",
        "INSERT INTO memo(subject, text) VALUES('hub', 'an old memo')",
        "INSERT INTO tag VALUES('metal', 1)",
    };

    @Test
    void everyCopyDerivesOnceAndSearchesAlike() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, ZOO)) {
            Map<String, String> hubTriggers = triggers(cluster.hub);
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            for (var node : cluster.nodes) {
                assertEquals(hubTriggers, triggers(node.replica()), "the application's triggers are in the replica");
            }

            a.exec("INSERT INTO movement(product, qty) VALUES(1, 5)",
                    "UPDATE product SET price_cents = 30 WHERE id = 1",
                    "INSERT INTO doc(title, body) VALUES('alpha', 'zebra crossing on desktop a')",
                    "UPDATE doc SET body = 'how to fit the bolt and the nut' WHERE id = 1",
                    "INSERT INTO note(subject, text) VALUES('a', 'quokka seen by a')",
                    "INSERT INTO memo(subject, text) VALUES('a', 'memo about a wombat')",
                    "INSERT INTO tag VALUES('steel', 2)");
            // Right after the local write, before any sync: the total, the audit row, the stamp, the search.
            assertEquals("105|1", a.scalar("SELECT stock || '|' || movements FROM stock_report WHERE name = 'bolt'"));
            assertEquals("price of 1: 25 -> 30", a.scalar("SELECT group_concat(what) FROM audit"));
            assertTrue(a.scalar("SELECT updated_at FROM product WHERE id = 1") != null, "updated_at stamped at once");
            assertEquals("2", a.scalar("SELECT rowid FROM doc_fts WHERE doc_fts MATCH 'zebra'"));
            assertEquals("1", a.scalar("SELECT rowid FROM doc_fts WHERE doc_fts MATCH 'nut'"));
            assertEquals("a", a.scalar("SELECT subject FROM note WHERE note MATCH 'quokka'"));
            assertEquals("a", a.scalar("SELECT subject FROM memo WHERE memo MATCH 'wombat'"));

            // B books against the total it has pulled (a total two desktops change before either syncs is one row
            // changed on both sides: see the next test).
            cluster.settle();
            b.exec("INSERT INTO movement(product, qty) VALUES(1, -3)",
                    "UPDATE product SET name = 'big gear', price_cents = 1600 WHERE id = 2",
                    "INSERT INTO doc(title, body) VALUES('beta', 'yak shaving on desktop b')",
                    "INSERT INTO note(subject, text) VALUES('b', 'narwhal seen by b')",
                    "UPDATE note SET text = 'written before the clone, edited on b' WHERE subject = 'hub'",
                    "INSERT INTO memo(subject, text) VALUES('b', 'memo about an okapi')");
            assertEquals("102", b.scalar("SELECT stock FROM product WHERE id = 1"));
            // A program without ShareMirror on the hub: its triggers run there, and what they derive is logged.
            var shell = OtherPrograms.sqlite3(cluster.hub, "PRAGMA foreign_keys = ON;"
                    + " INSERT INTO movement(product, qty) VALUES(3, 7);"
                    + " UPDATE product SET price_cents = 350 WHERE id = 3;"
                    + " INSERT INTO doc(title, body) VALUES('gamma', 'ibex on the hub');"
                    + " DELETE FROM doc WHERE title = 'manual';"
                    + " INSERT INTO note(subject, text) VALUES('direct', 'axolotl on the hub');"
                    + " INSERT INTO memo(subject, text) VALUES('direct', 'memo about a tapir');");
            assertEquals(0, shell.exitCode(), shell.output());
            cluster.settle();
            a.exec("DELETE FROM note WHERE subject = 'b'", "UPDATE memo SET text = 'memo about a quagga' WHERE subject = 'b'");
            cluster.settle();

            cluster.assertConverged();
            List<String> copies = List.of(cluster.hub.toString(), a.replica().toString(), b.replica().toString());
            for (String copy : copies) {
                Path db = Path.of(copy);
                assertEquals(hubTriggers, triggers(db), "triggers of " + copy + " as the application made them");
                // Each movement counted once: derived on the copy where it was written, carried as a row elsewhere.
                assertEquals("big gear 10 0|bolt 102 2|nut 37 1", Cluster.scalar(db, "SELECT group_concat(x, '|') FROM"
                        + " (SELECT name || ' ' || stock || ' ' || movements AS x FROM stock_report ORDER BY name)"), copy);
                assertEquals("3", Cluster.scalar(db, "SELECT count(*) FROM audit"), copy);
                assertEquals("0", Cluster.scalar(db, "SELECT count(*) FROM product WHERE updated_at IS NULL"
                        + " AND id IN (1, 2, 3)"), copy);
                assertEquals(searches(cluster.hub), searches(db), copy);
                for (String fts : List.of("doc_fts", "note", "memo")) {
                    Cluster.run(db, "INSERT INTO " + fts + "(" + fts + ") VALUES('integrity-check')");
                }
            }
            assertEquals("2,3,4", Cluster.scalar(cluster.hub, "SELECT group_concat(rowid) FROM (SELECT rowid FROM"
                    + " doc_fts WHERE doc_fts MATCH 'zebra OR yak OR ibex' ORDER BY rowid)"));
            assertEquals("", Cluster.scalar(cluster.hub, "SELECT coalesce(group_concat(rowid), '') FROM doc_fts"
                    + " WHERE doc_fts MATCH 'nut'"), "a deleted document is not found anywhere");
            assertEquals("quokka,axolotl", Cluster.scalar(a.replica(), "SELECT group_concat(w) FROM (SELECT 'quokka' w"
                    + " FROM note WHERE note MATCH 'quokka' UNION ALL SELECT 'axolotl' FROM note WHERE note MATCH"
                    + " 'axolotl' UNION ALL SELECT 'narwhal' FROM note WHERE note MATCH 'narwhal')"));
        }
    }

    /**
     * A total kept by a trigger lives in a row, and the sync resolves rows: two desktops that book against the same
     * total before either has synced each change that row, and the newer version wins on every copy, as for any edit
     * conflict. Both movements are kept; the older total is in the conflict archive (the dashboard shows it), not
     * silently gone, and every copy agrees.
     */
    @Test
    void aTotalChangedOnTwoDesktopsBeforeEitherSyncedIsAnEditConflict() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, ZOO)) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            a.exec("INSERT INTO movement(product, qty) VALUES(1, 5)");
            b.exec("INSERT INTO movement(product, qty) VALUES(1, -3)");
            cluster.settle();
            cluster.assertConverged();
            assertEquals("2", Cluster.scalar(cluster.hub, "SELECT count(*) FROM movement WHERE product = 1"));
            assertEquals("97", Cluster.scalar(cluster.hub, "SELECT stock FROM product WHERE id = 1"), "B's was newer");
            assertTrue(Archive.contains(cluster, "product", "[1]", "105"), () -> Archive.all(cluster).toString());
        }
    }

    /**
     * A read-only copy of the zoo: searches work, and writes are refused, also to a full-text table (whose refusal
     * comes from a trigger on its content table; FTS reports it as a failed constraint without the message).
     */
    @Test
    void aReadOnlyCopyRefusesWritesToFullTextTablesToo() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, ZOO)) {
            var copy = cluster.addReadOnly();
            assertTrue(copy.sync().succeeded());
            assertEquals(searches(cluster.hub), searches(copy.replica()));
            for (String write : List.of("INSERT INTO note(subject, text) VALUES('x', 'y')",
                    "INSERT INTO doc(title, body) VALUES('x', 'y')", "INSERT INTO movement(product, qty) VALUES(1, 1)")) {
                var e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, () -> copy.exec(write));
                assertTrue(e.getMessage().contains(write.contains("note") ? "constraint failed" : "mirrored read-only"),
                        e.getMessage());
            }
            assertEquals(Cluster.exactDump(cluster.hub), Cluster.exactDump(copy.replica()));
        }
    }

    /** What the same searches find on one copy: rowids per query, per full-text table. */
    static Map<String, String> searches(Path db) throws SQLException {
        Map<String, String> found = new TreeMap<>();
        for (String fts : List.of("doc_fts", "note", "memo")) {
            for (String word : List.of("bolt", "zebra", "yak", "ibex", "quokka", "narwhal", "axolotl", "edited", "wombat",
                    "okapi", "quagga", "tapir", "memo", "hub")) {
                found.put(fts + " " + word, Cluster.scalar(db, "SELECT group_concat(rowid) FROM (SELECT rowid FROM " + fts
                        + " WHERE " + fts + " MATCH '" + word + "' ORDER BY rowid)"));
            }
        }
        return found;
    }

    /** The application's triggers (not ShareMirror's) by name, with their SQL as stored. */
    static Map<String, String> triggers(Path db) throws SQLException {
        Map<String, String> found = new TreeMap<>();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
             var s = c.createStatement();
             var r = s.executeQuery("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                     + " AND name NOT LIKE '\\_sm\\_%' ESCAPE '\\'")) {
            while (r.next()) {
                found.put(r.getString(1), r.getString(2));
            }
        }
        return found;
    }
}
