package io.sharemirror.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.app.Cli.Result;
import io.sharemirror.store.Cluster;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A row that waits, as a script sees it: {@code status} names it (table, key, rule, values, the other row, since when)
 * with what to do, and the state is WAITING, not OK; {@code settle} takes a way out, refuses bad input saying what is
 * wrong and what is allowed, and once the row is settled everything is in sync.
 *
 * <p>The clash is {@link ClashingDesktops}'.
 */
class WaitingRowsCliTest {

    @TempDir
    Path dir;

    @Test
    void aWaitingRowIsListedAndSettledFromTheCommandLine() throws Exception {
        ClashingDesktops.share(dir, "");
        Path hub = dir.resolve("share").resolve("orders.db");
        assertEquals(0, cli("sync").code());
        ClashingDesktops.clash(dir, dir.resolve("cache").resolve("orders.db"));
        assertEquals(0, cli("sync").code(), "the rest syncs: the sync succeeds");

        Result status = cli("status");
        assertTrue(status.out().matches("(?s).*\\norders +WAITING .*"), status::toString);
        assertTrue(status.out().contains("  waits: supplier [10] (made here) breaks UNIQUE (code) with code = 'NEW',"
                + " which supplier [20] on the hub holds, since "), status::toString);
        assertTrue(status.out().contains("  hint: " + StatusTable.WAITING_HINT), status::toString);
        Result json = cli("status", "--json");
        assertTrue(json.out().contains("\"waiting\": [{\"table\": \"supplier\"") && json.out().contains(
                "{\"table\": \"supplier\", \"key\": \"[10]\", \"from_hub\": false"), json::toString);

        Result notWaiting = cli("settle", "orders", "supplier", "99", "keep-mine");
        assertEquals(2, notWaiting.code(), notWaiting::toString);
        assertTrue(notWaiting.err().contains("supplier [99] does not wait in orders; the rows that wait there: ")
                && notWaiting.err().contains("supplier [10] (made here) breaks"), notWaiting::toString);
        Result unknownWay = cli("settle", "orders", "supplier", "10", "keep-all");
        assertEquals(2, unknownWay.code(), unknownWay::toString);
        assertTrue(unknownWay.err().contains("unknown way out 'keep-all'; ways out are " + SettleVerb.WAYS),
                unknownWay::toString);
        Result noValue = cli("settle", "orders", "supplier", "10", "keep-both");
        assertEquals(2, noValue.code(), noValue::toString);
        assertTrue(noValue.err().contains("keep-both needs the new values, as COLUMN=VALUE, e.g. code=..."),
                noValue::toString);
        Result clashesAgain = cli("settle", "orders", "supplier", "10", "keep-both", "code=S1");
        assertEquals(5, clashesAgain.code(), clashesAgain::toString);
        assertTrue(clashesAgain.err().contains("keep-both refused: supplier [10] with the values typed breaks UNIQUE"
                + " (code) on the hub: code = 'S1' is held by supplier [1] (type other values)"), clashesAgain::toString);
        Result refused = cli("settle", "orders", "supplier", "10", "keep-theirs");
        assertEquals(5, refused.code(), refused::toString);
        assertTrue(refused.err().contains("part [1] points at it (ON DELETE RESTRICT)"), refused::toString);

        Result settled = cli("settle", "orders", "supplier", "10", "keep-both", "code=NEW-2");
        assertEquals(0, settled.code(), settled::toString);
        assertTrue(settled.out().startsWith("orders: keep-both for supplier [10] done; the sync that followed: synced"),
                settled::toString);
        assertEquals("1=S1,10=NEW-2,20=NEW", Cluster.scalar(hub, "SELECT group_concat(id || '=' || code) FROM"
                + " (SELECT * FROM supplier ORDER BY id)"), "both rows live");
        Result after = cli("status");
        assertTrue(after.out().matches("(?s).*\\norders +OK .*"), after::toString);
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
