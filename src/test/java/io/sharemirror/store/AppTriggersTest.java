package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which part each trigger plays (AppTriggers), read from its SQL as SQLite stored it: names in every quoting style,
 * keywords inside strings, comments and quoted names, upserts, an FTS index that is synced and one that is not.
 */
class AppTriggersTest {

    @TempDir
    Path dir;

    @Test
    void triggersAreToldApartByWhatTheyWrite() throws Exception {
        Path db = dir.resolve("t.db");
        Cluster.run(db,
                "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, \"begin\" INTEGER)",
                "CREATE TABLE audit(id INTEGER PRIMARY KEY, what TEXT)",
                "CREATE TABLE \"odd \"\"name\"\"\"(k TEXT PRIMARY KEY, n INTEGER)",
                "CREATE VIRTUAL TABLE \"ext \"\"idx\"\"\" USING fts5(v, content='t', content_rowid='id')",
                "CREATE VIRTUAL TABLE [synced fts] USING fts5(v)",
                "CREATE VIRTUAL TABLE contentless USING fts4(v, content='')",
                // Writes only an index over external content, with the name in double quotes.
                "CREATE TRIGGER \"index it\" AFTER INSERT ON t BEGIN"
                        + " INSERT INTO \"ext \"\"idx\"\"\"(rowid, v) VALUES(NEW.id, NEW.v); END",
                // Two indexes nobody syncs row by row, a comment naming _sm_pending, a string that reads like SQL.
                "CREATE TRIGGER `two indexes` AFTER DELETE ON t BEGIN -- DELETE FROM _sm_pending\n"
                        + " INSERT INTO [ext \"idx\"]([ext \"idx\"], rowid, v) VALUES('delete', OLD.id, OLD.v);"
                        + " /* UPDATE audit SET what = 1; */ INSERT INTO contentless(docid, v) VALUES(OLD.id,"
                        + " 'DELETE FROM audit'); END",
                // A bare keyword inside the WHEN clause, a quoted "begin" column, an upsert's DO UPDATE.
                "CREATE TRIGGER counts AFTER UPDATE ON t WHEN NEW.\"begin\" IS NOT OLD.\"begin\" BEGIN"
                        + " INSERT INTO \"odd \"\"name\"\"\"(k, n) VALUES('updates', 1)"
                        + " ON CONFLICT(k) DO UPDATE SET n = n + 1; END",
                "CREATE TRIGGER replaces AFTER INSERT ON t BEGIN INSERT OR REPLACE INTO audit(what) VALUES(NEW.v);"
                        + " UPDATE OR IGNORE audit SET what = upper(what) WHERE id = NEW.id; END",
                // A table that is synced beside an index: derives.
                "CREATE TRIGGER mixed AFTER UPDATE OF v ON t BEGIN INSERT INTO contentless(v) VALUES(NEW.v);"
                        + " DELETE FROM audit WHERE what = OLD.v; END",
                // A regular FTS table is synced as rows: a trigger writing it derives.
                "CREATE TRIGGER feed AFTER INSERT ON audit BEGIN INSERT INTO [synced fts](v) VALUES(NEW.what); END",
                // ShareMirror's objects, named in any quoting or case, in the header or the body.
                "CREATE TABLE \"_sm_pending\"(x)",
                "CREATE TRIGGER sneaky AFTER INSERT ON audit BEGIN DELETE FROM [_SM_pending]; END",
                "CREATE TRIGGER watcher AFTER INSERT ON audit WHEN (SELECT count(*) FROM `_sm_pending`) > 0"
                        + " BEGIN SELECT 1; END",
                "CREATE TRIGGER checks BEFORE INSERT ON audit WHEN NEW.what = '' BEGIN"
                        + " SELECT RAISE(ABORT, 'INSERT INTO _sm_pending is just text'); END");
        Map<String, String> roles = new TreeMap<>();
        Map<String, Set<String>> writes = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            for (AppTriggers.Trigger t : AppTriggers.read(c)) {
                roles.put(t.name(), t.role().name());
                writes.put(t.name(), t.writes());
            }
        }
        assertEquals(Map.of("index it", "INDEXES", "two indexes", "INDEXES", "counts", "DERIVES", "replaces", "DERIVES",
                "mixed", "DERIVES", "feed", "DERIVES", "sneaky", "MEDDLES", "watcher", "MEDDLES", "checks", "DERIVES"),
                roles);
        assertEquals(Set.of("ext \"idx\""), writes.get("index it"));
        assertEquals(Set.of("ext \"idx\"", "contentless"), writes.get("two indexes"));
        assertEquals(Set.of("odd \"name\""), writes.get("counts"));
        assertEquals(Set.of("audit"), writes.get("replaces"));
        assertEquals(Set.of("contentless", "audit"), writes.get("mixed"));
        assertEquals(Set.of("synced fts"), writes.get("feed"));
        assertEquals(Set.of(), writes.get("checks"));
    }
}
