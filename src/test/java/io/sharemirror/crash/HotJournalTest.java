package io.sharemirror.crash;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Figures;
import io.sharemirror.Requirements;
import io.sharemirror.share.SqliteShell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub's hot journal rolls back, and only SQLite ever removes it (ARCHITECTURE.md#share-rules: nothing of ours deletes or renames a
 * live {@code -journal}). A sqlite3 shell is killed with SIGKILL in the middle of a transaction big enough to spill
 * pages into the hub file; then an agent in a child JVM, traced by strace, syncs with the hub. The hub must read
 * exactly as before the dead transaction, and every unlink or rename of {@code hub.db-journal} the agent's process
 * made must come from SQLite's own code (the sqlite-jdbc native library on the call stack), never from Java's file
 * API: a journal deleted instead of rolled back would leave the dead transaction's pages in the hub.
 */
class HotJournalTest {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void anAgentRollsTheHubsHotJournalBackAndNeverDeletesIt() throws Exception {
        Path hub = CrashHub.create(dir);
        Path journal = Path.of(hub + "-journal");
        Map<String, List<String>> before = chinook(hub);
        byte[] committed = Files.readAllBytes(hub);

        try (SqliteShell shell = SqliteShell.holdingWriteLock(hub,
                "PRAGMA cache_size = 5; UPDATE Track SET Name = Name || ' (never committed)'")) {
            shell.close(); // SIGKILL, the write lock and a hot journal left behind
        }
        assertTrue(CrashHub.hotJournal(hub), "the killed transaction left a hot journal");
        assertFalse(Arrays.equals(committed, Files.readAllBytes(hub)),
                "the killed transaction's pages reached the hub file, so only a rollback restores it");

        Requirements.requireProgram("strace", "strace");
        Path trace = dir.resolve("journal.strace");
        List<String> strace = List.of("strace", "-f", "-qq", "-k", "--seccomp-bpf", "-o", trace.toString(),
                "-e", "trace=unlink,unlinkat,rename,renameat,renameat2", "-e", "signal=none", "-P", journal.toString());
        Path cache = Files.createDirectories(dir.resolve("cache"));
        ChildProcess agent = ChildProcess.start("A1", Chaos.Point.RANDOM, dir.resolve("agent.log"), strace,
                ChildJvm.options(dir), List.of(hub.toString(), cache.toString(), dir.resolve("A.ledger").toString(),
                        Chaos.Point.RANDOM.label, "seed=1", "life=A1", "writes=true"));
        try {
            // Three seconds of syncing after it opened: the rollback, if any, has happened by then.
            await("the agent opened and ran for 3 s, see " + agent.log).atMost(Duration.ofSeconds(60))
                    .until(() -> !agent.alive() || (agent.openedAt != 0
                            && System.nanoTime() - agent.openedAt >= Duration.ofSeconds(3).toNanos()));
        } finally {
            agent.kill();
        }
        agent.await(30);
        assertEquals(null, agent.error, "see " + agent.log);
        assertTrue(agent.openedAt != 0, "the agent never synced, see " + agent.log);

        // A call our SIGKILL cut short never returned ("= ?"), and strace prints a stack only when a call returns.
        List<String> removals = removals(Files.readAllLines(trace));
        List<String> cutShort = removals.stream().filter(r -> r.lines().findFirst().orElse("").endsWith("= ?"))
                .toList();
        List<String> notBySqlite = removals.stream().filter(r -> !cutShort.contains(r) && !r.contains("libsqlitejdbc"))
                .toList();
        Map<String, List<String>> after = chinook(hub);
        long rows = before.values().stream().mapToLong(List::size).sum();
        long wrong = before.entrySet().stream().mapToLong(t -> differing(t.getValue(), after.get(t.getKey()))).sum();
        Invariants health = new Invariants();
        health.checkHealthy("hub", hub, -1);
        Figures.of("HotJournalTest.anAgentRollsTheHubsHotJournalBackAndNeverDeletesIt").runs(1).faults(1)
                .writesChecked(rows).writesLost(wrong).put("journal_removals_by_sqlite", removals.size()
                        - notBySqlite.size() - cutShort.size()).put("journal_removals_elsewhere", notBySqlite.size())
                .put("journal_removals_cut_by_the_kill", cutShort.size()).publish();

        assertEquals(List.of(), health.violations);
        assertEquals(before, after, "the hub's own tables read as before the killed transaction");
        assertFalse(CrashHub.hotJournal(hub), "no hot journal is left");
        assertFalse(removals.isEmpty(), "strace saw no removal of " + journal + " at all, not even the rollback's;"
                + " see " + trace);
        assertEquals(List.of(), notBySqlite, "removals of the hub's journal outside SQLite's code");
        assertTrue(cutShort.size() <= 1, "only the one call in flight at the kill may lack its stack: " + cutShort);
    }

    /** Every table of the chinook sample, as {@link Invariants#dump} reads it; the crash tables are the agent's. */
    private static Map<String, List<String>> chinook(Path hub) throws Exception {
        TreeMap<String, List<String>> tables = Invariants.dump(hub);
        tables.keySet().removeIf(t -> t.startsWith("crash_"));
        return tables;
    }

    private static long differing(List<String> expected, List<String> actual) {
        List<String> missing = new ArrayList<>(expected);
        if (actual != null) {
            missing.removeAll(actual);
        }
        return missing.size();
    }

    /** strace's output, one entry per system call: its line and the call stack lines (" > ...") under it. */
    private static List<String> removals(List<String> lines) {
        List<String> calls = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith(" > ") && !calls.isEmpty()) {
                calls.set(calls.size() - 1, calls.get(calls.size() - 1) + "\n" + line);
            } else if (!line.isBlank()) {
                calls.add(line);
            }
        }
        return calls;
    }
}
