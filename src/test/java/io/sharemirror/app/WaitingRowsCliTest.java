package io.sharemirror.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.app.Cli.Result;
import io.sharemirror.store.Cluster;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A row that waits, as a script sees it: {@code status} names it (table, key, rule, values, the other row, since when)
 * with what to do, and the state is WAITING, not OK; {@code settle} takes a way out, refuses bad input saying what is
 * wrong and what is allowed, and once the row is settled everything is in sync.
 *
 * <p>This desktop made supplier 10 with code 'NEW' and a part pointing at it under ON DELETE RESTRICT; another desktop
 * made supplier 20 with the same code later. The policy gives the code to the newer row, but ours cannot go while its
 * part points at it, so the clash waits here.
 */
class WaitingRowsCliTest {

    @TempDir
    Path dir;

    @Test
    void aWaitingRowIsListedAndSettledFromTheCommandLine() throws Exception {
        Path hub = Files.createDirectories(dir.resolve("share")).resolve("app.db");
        Cluster.run(hub, "CREATE TABLE supplier(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT)",
                "CREATE TABLE part(id INTEGER PRIMARY KEY, supplier_id INTEGER REFERENCES supplier(id)"
                        + " ON DELETE RESTRICT, v TEXT)",
                "INSERT INTO supplier VALUES(1, 'S1', 'one')");
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "database:\n  cache_directory: cache\n  enable_cache: true\n"
                + "databases:\n  - name: app\n    path: share/app.db\n");
        Path replica = dir.resolve("cache").resolve("app.db");
        assertEquals(0, cli("sync").code());
        try (Cluster other = new Cluster(dir.resolve("other"), hub)) {
            var b = other.add(ConflictPolicy.NEWEST_WINS);
            other.settle();
            Cluster.run(replica, "INSERT INTO supplier VALUES(10, 'NEW', 'made here')",
                    "INSERT INTO part VALUES(1, 10, 'bolt')");
            long ours = Long.parseLong(Cluster.scalar(replica, "SELECT max(ts) FROM _sm_pending"));
            XDisplay.waitFor(() -> System.currentTimeMillis() > ours, "the clock is past our stamp");
            b.exec("INSERT INTO supplier VALUES(20, 'NEW', 'made there')");
            assertTrue(b.sync().succeeded());
        }
        assertEquals(0, cli("sync").code(), "the rest syncs: the sync succeeds");

        Result status = cli("status");
        assertTrue(status.out().matches("(?s).*\\napp +WAITING .*"), status::toString);
        assertTrue(status.out().contains("  waits: supplier [10] (made here) breaks UNIQUE (code) with code = 'NEW',"
                + " which supplier [20] on the hub holds, since "), status::toString);
        assertTrue(status.out().contains("  hint: " + StatusTable.WAITING_HINT), status::toString);
        Result json = cli("status", "--json");
        assertTrue(json.out().contains("\"waiting\": [{\"table\": \"supplier\"") && json.out().contains(
                "{\"table\": \"supplier\", \"key\": \"[10]\", \"from_hub\": false"), json::toString);

        Result notWaiting = cli("settle", "app", "supplier", "99", "keep-mine");
        assertEquals(2, notWaiting.code(), notWaiting::toString);
        assertTrue(notWaiting.err().contains("supplier [99] does not wait in app; the rows that wait there: ")
                && notWaiting.err().contains("supplier [10] (made here) breaks"), notWaiting::toString);
        Result unknownWay = cli("settle", "app", "supplier", "10", "keep-all");
        assertEquals(2, unknownWay.code(), unknownWay::toString);
        assertTrue(unknownWay.err().contains("unknown way out 'keep-all'; ways out are " + SettleVerb.WAYS),
                unknownWay::toString);
        Result noValue = cli("settle", "app", "supplier", "10", "keep-both");
        assertEquals(2, noValue.code(), noValue::toString);
        assertTrue(noValue.err().contains("keep-both needs the new values, as COLUMN=VALUE, e.g. code=..."),
                noValue::toString);
        Result clashesAgain = cli("settle", "app", "supplier", "10", "keep-both", "code=S1");
        assertEquals(5, clashesAgain.code(), clashesAgain::toString);
        assertTrue(clashesAgain.err().contains("keep-both refused: supplier [10] with the values typed breaks UNIQUE"
                + " (code) on the hub: code = 'S1' is held by supplier [1] (type other values)"), clashesAgain::toString);
        Result refused = cli("settle", "app", "supplier", "10", "keep-theirs");
        assertEquals(5, refused.code(), refused::toString);
        assertTrue(refused.err().contains("part [1] points at it (ON DELETE RESTRICT)"), refused::toString);

        Result settled = cli("settle", "app", "supplier", "10", "keep-both", "code=NEW-2");
        assertEquals(0, settled.code(), settled::toString);
        assertTrue(settled.out().startsWith("app: keep-both for supplier [10] done; the sync that followed: synced"),
                settled::toString);
        assertEquals("1=S1,10=NEW-2,20=NEW", Cluster.scalar(hub, "SELECT group_concat(id || '=' || code) FROM"
                + " (SELECT * FROM supplier ORDER BY id)"), "both rows live");
        Result after = cli("status");
        assertTrue(after.out().matches("(?s).*\\napp +OK .*"), after::toString);
        assertFalse(after.out().contains("waits:"), after::toString);
    }

    private Result cli(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = dir.resolve("config.yaml").toString();
        return Cli.run(all);
    }
}
