package io.sharemirror.store.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.share.PostgresServer;
import io.sharemirror.store.Cluster;
import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.TablePolicies;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The move's rule for the log (ARCHITECTURE.md#moving-a-hub): on the PostgreSQL hub every entry keeps the number it had
 * in the file, the numbering goes on after the file's highest, and what pruning removed is recorded as removed, so a
 * replica's cursor means the same on both hubs.
 */
class PgLogCopyTest {

    @RegisterExtension
    static final PostgresServer.PerClass postgres = new PostgresServer.PerClass();

    @TempDir
    Path dir;

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    row.add(r.getString(i));
                }
                rows.add(String.join("|", row.stream().map(String::valueOf).toList()));
            }
        }
        return rows;
    }

    @Test
    void everyEntryKeepsItsNumberAndTheNewHubNumbersOnAfterTheFilesHighest() throws Exception {
        Cluster cluster = Cluster.twoDesktops(dir, TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS),
                "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT)");
        Cluster.Node a = cluster.nodes.get(0);
        Cluster.Node b = cluster.nodes.get(1);
        a.exec("INSERT INTO item VALUES (1, 'a1'), (2, 'a2'), (3, 'a3')");
        Cluster.assertSynced(a.sync());
        b.exec("UPDATE item SET name = 'b' WHERE id = 2", "DELETE FROM item WHERE id = 3");
        Cluster.assertSynced(b.sync());
        cluster.hubExec("INSERT INTO item VALUES (10, 'direct')", "UPDATE item SET name = 'direct' WHERE id = 1");
        // Pruning removed the two oldest; the newest was deleted too, so the file's AUTOINCREMENT mark is above its
        // highest entry, and a number once given is never given again.
        cluster.hubExec("DELETE FROM _sm_log WHERE seq <= 2", "DELETE FROM _sm_log WHERE seq = (SELECT max(seq)"
                + " FROM _sm_log)");
        cluster.close();
        String entries = "SELECT seq, tbl, pk, op, origin, ts, cols FROM _sm_log ORDER BY seq";
        String nodes = "SELECT node, last_seq, last_seen FROM _sm_nodes ORDER BY node";

        try (Connection file = DriverManager.getConnection("jdbc:sqlite:" + cluster.hub);
             Connection pg = postgres.server().connect()) {
            long mark = Long.parseLong(Cluster.scalar(cluster.hub, "SELECT seq FROM sqlite_sequence"
                    + " WHERE name = '_sm_log'"));
            long oldest = Long.parseLong(Cluster.scalar(cluster.hub, "SELECT min(seq) FROM _sm_log"));
            assertTrue(mark > Long.parseLong(Cluster.scalar(cluster.hub, "SELECT max(seq) FROM _sm_log")));
            pg.setAutoCommit(false);
            PgCatalog.install(pg);
            PgLogCopy.Log copied = PgLogCopy.copy(file, pg);
            assertEquals(copied, PgLogCopy.verify(file, pg));
            pg.commit();

            assertEquals(new PgLogCopy.Log(rows(file, entries).size(), mark, oldest - 1), copied);
            assertEquals(rows(file, entries), rows(pg, entries), "every entry as it was, under its number");
            assertEquals(rows(file, nodes), rows(pg, nodes), "each agent's cursor for pruning");
            assertEquals(List.of(Long.toString(oldest - 1)), rows(pg, "SELECT pruned FROM _sm_meta"));

            Statement s = pg.createStatement();
            s.executeUpdate("UPDATE _sm_log SET ts = ts + 1 WHERE seq = " + oldest);
            SQLException changed = assertThrows(SQLException.class, () -> PgLogCopy.verify(file, pg));
            assertTrue(changed.getMessage().startsWith("log entry " + oldest + " differs on the PostgreSQL hub: ts is"),
                    changed.getMessage());
            pg.rollback();

            // A direct writer on the new hub: its entry is numbered at commit, after the file's mark.
            s.executeUpdate("INSERT INTO _sm_log(tbl, pk, op, ts) VALUES ('item', '[11]', 'I', 1)");
            pg.commit();
            assertEquals(List.of(Long.toString(mark + 1)), rows(pg, "SELECT seq FROM _sm_log WHERE pk = '[11]'"));

            SQLException again = assertThrows(SQLException.class, () -> PgLogCopy.copy(file, pg));
            assertTrue(again.getMessage().contains("already holds a ShareMirror log"), again.getMessage());
            pg.rollback();
        }
    }
}
