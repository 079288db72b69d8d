package io.sharemirror.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Figures;
import io.sharemirror.Requirements;
import io.sharemirror.share.FaultFs;
import io.sharemirror.status.ClockSkew;
import io.sharemirror.store.Cluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 19: a desktop whose clock is wrong, the whole desktop (its agent and its application, both under Debian's
 * libfaketime), never decides a conflict by its wrong clock and is told its clock is wrong. The hub is on a FaultFs
 * share served by this JVM, whose clock is right: the file server's timestamps reach the faked desktop untouched, as
 * a real server's reach a desktop with a wrong clock (ServerClock's comment has the experiment).
 *
 * <p>Desktop S runs with the skew, desktop C and a program writing the hub directly (W, the sqlite3 shell) run with
 * the right time. Six rows are edited by all three, one in each of three slots a second apart, in every order; the
 * agents run as `sharemirror sync` in child JVMs afterwards, so every edit is concurrent with the others. The truly
 * last edit must win on the hub and both replicas, the two others must be in a conflict archive, S's stamps must lie
 * within the real time of its edits, and `status` must warn on S exactly when the skew is over 30 s.
 */
class ClockSkewTest {

    private static final Path LIBFAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");
    private static final List<String> PARTIES = List.of("C", "S", "W");
    /** Every order of the three parties: row i + 1 is edited in slot k by ORDERS[i][k]. */
    private static final String[][] ORDERS = {
        {"C", "S", "W"}, {"C", "W", "S"}, {"S", "C", "W"}, {"S", "W", "C"}, {"W", "C", "S"}, {"W", "S", "C"}};
    /** Real time between slots: far above the offset's error (milliseconds on FaultFs), far below every skew. */
    private static final Duration SLOT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    /** FAKETIME offsets as libfaketime reads them, and the same in seconds. */
    @ParameterizedTest
    @ValueSource(strings = {"+5s", "-5s", "+1h", "-1h", "+1d"})
    void theTrulyLastEditWinsWhateverTheSkewedDesktopsClockSays(String skew) throws Exception {
        Requirements.requireFile(LIBFAKETIME, "faketime");
        Duration ahead = parse(skew);
        try (FaultFs share = FaultFs.mount(dir.resolve("server"), dir.resolve("share"))) {
            Path hub = share.folder().resolve("hub.db");
            Cluster.run(hub, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)",
                    "INSERT INTO t(id, v) VALUES (1, 'base'), (2, 'base'), (3, 'base'), (4, 'base'), (5, 'base'),"
                            + " (6, 'base')");
            Desktop s = new Desktop(dir.resolve("S"), hub, faked(skew));
            Desktop c = new Desktop(dir.resolve("C"), hub, Map.of());
            s.sync();
            c.sync();
            // The offset S's application stamps with from now on (a later push may refine it).
            long offset = Long.parseLong(Cluster.scalar(s.replica, "SELECT clock_offset FROM _sm_state"));
            long claimed = Long.parseLong(Cluster.scalar(s.replica, "SELECT clock_error FROM _sm_state"));

            Map<String, long[]> editedAt = new HashMap<>(); // "S1" -> real time before and after the edit
            for (int slot = 0; slot < 3; slot++) {
                Instant due = Instant.now().plus(SLOT);
                for (String party : PARTIES) {
                    List<Integer> rows = new ArrayList<>();
                    for (int i = 0; i < ORDERS.length; i++) {
                        if (ORDERS[i][slot].equals(party)) {
                            rows.add(i + 1);
                        }
                    }
                    String value = party + slot;
                    String sql = "UPDATE t SET v = '" + value + "' WHERE id IN (" + rows.get(0) + ", " + rows.get(1) + ")";
                    long before = System.currentTimeMillis();
                    switch (party) {
                        case "S" -> s.application(sql);
                        case "C" -> c.application(sql);
                        default -> sqlite3(hub, sql, Map.of());
                    }
                    editedAt.put(value, new long[] {before, System.currentTimeMillis()});
                }
                Cluster.awaitClockPast(due.toEpochMilli()); // the slots are a second apart in real time
            }
            s.sync();
            c.sync();
            s.sync();
            c.sync();

            List<String> wrong = new ArrayList<>();
            List<String> archived = new ArrayList<>(s.archivedValues());
            archived.addAll(c.archivedValues());
            for (int i = 0; i < ORDERS.length; i++) {
                int id = i + 1;
                String winner = ORDERS[i][2] + "2";
                for (Path copy : List.of(hub, s.replica, c.replica)) {
                    String got = Cluster.scalar(copy, "SELECT v FROM t WHERE id = " + id);
                    if (!winner.equals(got)) {
                        wrong.add("row " + id + " on " + copy.getParent().getFileName() + ": " + got + ", not " + winner);
                    }
                }
                for (int slot = 0; slot < 2; slot++) {
                    String loser = ORDERS[i][slot] + slot;
                    if (archived.stream().noneMatch(v -> v.equals(id + "=" + loser))) {
                        wrong.add("row " + id + ": the losing version " + loser + " is in no conflict archive");
                    }
                }
            }
            // S's stamps lie in the real time of its edits, within the offset's error: those that won as pushed to
            // the hub, those that lost as S archived them. Each row is edited by S once, so a row's stamps by S are
            // that edit's (matched by row, not by time: on a loaded machine the slots may run into each other).
            long measuredError = Math.abs(offset + ahead.toMillis());
            String sNode = Cluster.scalar(s.replica, "SELECT node FROM _sm_state");
            Map<Integer, List<Long>> sStamps = new HashMap<>();
            String stamps = Cluster.scalar(hub, "SELECT group_concat(json_extract(pk, '$[0]') || ':' || ts) FROM _sm_log"
                    + " WHERE origin = '" + sNode + "'") + "," + Cluster.scalar(s.home.resolve("cache").resolve("state.db"),
                    "SELECT group_concat(json_extract(pk, '$[0]') || ':' || local_ts) FROM conflicts WHERE winner = 'hub'");
            for (String stamp : stamps.split(",")) {
                if (!stamp.equals("null")) {
                    String[] rowAndTs = stamp.split(":");
                    sStamps.computeIfAbsent(Integer.parseInt(rowAndTs[0]), r -> new ArrayList<>())
                            .add(Long.parseLong(rowAndTs[1]));
                }
            }
            long worstStamp = 0;
            for (int i = 0; i < ORDERS.length; i++) {
                int slot = List.of(ORDERS[i]).indexOf("S");
                long[] real = editedAt.get("S" + slot);
                List<Long> rowStamps = sStamps.getOrDefault(i + 1, List.of());
                if (rowStamps.isEmpty()) {
                    wrong.add("no stamp of S's edit of row " + (i + 1));
                }
                for (long t : rowStamps) {
                    worstStamp = Math.max(worstStamp, Math.max(real[0] - t, t - real[1]));
                }
            }
            long cClock = Long.parseLong(Cluster.scalar(c.replica, "SELECT clock FROM _sm_state"));
            long cLead = cClock - System.currentTimeMillis();
            String sStatus = s.status();
            String cStatus = c.status();
            boolean warnedS = sStatus.contains("This computer's clock is " + ClockSkew.span(ahead)
                    + (ahead.isNegative() ? " behind" : " ahead of") + " the file server");
            boolean shouldWarn = ahead.abs().compareTo(ClockSkew.NOTICEABLE) > 0;
            Figures.of("ClockSkewTest." + skew).runs(1).writesChecked(ORDERS.length * 3L * 3)
                    .put("skew_ms", ahead.toMillis()).put("measured_offset_ms", offset).put("claimed_error_ms", claimed)
                    .put("offset_error_ms", measuredError).put("worst_stamp_outside_edit_ms", worstStamp)
                    .put("rows_won_by_last_edit", ORDERS.length - wrong.stream().filter(w -> w.contains(" on ")).map(
                            w -> w.substring(0, w.indexOf(" on "))).distinct().count())
                    .put("c_clock_lead_ms", cLead).put("warned", warnedS).publish();

            assertEquals(List.of(), wrong);
            assertTrue(measuredError <= claimed, "the offset " + offset + " ms is " + measuredError
                    + " ms from the truth, more than its claimed error " + claimed + " ms");
            assertTrue(worstStamp <= claimed + 5, "S stamped an edit " + worstStamp + " ms outside its real time");
            assertTrue(cLead < 2_000, "C's clock was moved " + cLead + " ms ahead");
            assertEquals(shouldWarn, warnedS, "S's status:\n" + sStatus);
            assertEquals(shouldWarn, sStatus.contains(ClockSkew.HINT), sStatus);
            assertFalse(cStatus.contains("clock:"), "C's clock is right:\n" + cStatus);
        }
    }

    /**
     * A program writing the hub directly with its clock a day ahead (no agent can correct it): C's clock is not
     * dragged a day ahead by pulling its change, C's later edit of that row still wins over it, and C's edits of
     * other rows keep stamps in real time.
     */
    @Test
    void aDirectWriterADayAheadDragsNoClockAndAnEditAfterSeeingItWins() throws Exception {
        Requirements.requireFile(LIBFAKETIME, "faketime");
        try (FaultFs share = FaultFs.mount(dir.resolve("server"), dir.resolve("share"))) {
            Path hub = share.folder().resolve("hub.db");
            Cluster.run(hub, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)",
                    "INSERT INTO t(id, v) VALUES (1, 'base'), (2, 'base')");
            Desktop c = new Desktop(dir.resolve("C"), hub, Map.of());
            c.sync();
            sqlite3(hub, "UPDATE t SET v = 'W a day ahead' WHERE id = 1", faked("+1d"));
            long wStamp = Long.parseLong(Cluster.scalar(hub, "SELECT max(ts) FROM _sm_log"));
            c.sync();
            assertEquals("W a day ahead", Cluster.scalar(c.replica, "SELECT v FROM t WHERE id = 1"));
            long lead = Long.parseLong(Cluster.scalar(c.replica, "SELECT clock FROM _sm_state")) - System.currentTimeMillis();
            assertTrue(lead < 2_000, "C's clock was dragged " + lead + " ms ahead");

            c.application("UPDATE t SET v = 'C after seeing W' WHERE id = 1");
            c.application("UPDATE t SET v = 'C elsewhere' WHERE id = 2");
            long afterSeeing = Long.parseLong(Cluster.scalar(c.replica, "SELECT ts FROM _sm_pending WHERE pk = '[1]'"));
            long elsewhere = Long.parseLong(Cluster.scalar(c.replica, "SELECT ts FROM _sm_pending WHERE pk = '[2]'"));
            assertTrue(afterSeeing > wStamp, "the edit after seeing W's is stamped after it");
            assertTrue(Math.abs(elsewhere - System.currentTimeMillis()) < 2_000, "another row's edit stays in real time");
            c.sync();
            assertEquals("C after seeing W", Cluster.scalar(hub, "SELECT v FROM t WHERE id = 1"));
            assertEquals("C elsewhere", Cluster.scalar(hub, "SELECT v FROM t WHERE id = 2"));
        }
    }

    /**
     * The hub's log keeps what a desktop seen within a month has not pulled, whatever the pruning desktop's clock says:
     * a month ahead, it took every other desktop for gone and pruned what they still needed; a month behind, its own
     * sightings looked a month old and others pruned past it. Either way a desktop had to copy the whole hub again.
     * The log's entries are aged by eight days (past the week they are kept for everyone) between the steps.
     */
    @ParameterizedTest
    @ValueSource(strings = {"+40d", "-40d"})
    void noDesktopsClockMakesTheLogForgetWhatAnotherHasNotPulled(String skew) throws Exception {
        Requirements.requireFile(LIBFAKETIME, "faketime");
        try (FaultFs share = FaultFs.mount(dir.resolve("server"), dir.resolve("share"))) {
            Path hub = share.folder().resolve("hub.db");
            Cluster.run(hub, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
            Desktop s = new Desktop(dir.resolve("S"), hub, faked(skew));
            Desktop c = new Desktop(dir.resolve("C"), hub, Map.of());
            s.sync();
            c.sync();
            s.application("INSERT INTO t(v) VALUES ('S first')");
            s.sync();
            c.application("INSERT INTO t(v) VALUES ('C first')");
            c.sync();
            String ageByEightDays = "UPDATE _sm_log SET ts = ts - " + Duration.ofDays(8).toMillis();

            sqlite3(hub, "INSERT INTO t(v) VALUES ('W first')", Map.of());
            sqlite3(hub, ageByEightDays, Map.of());
            c.application("INSERT INTO t(v) VALUES ('C second')");
            c.sync(); // C prunes: S has not pulled C's first row nor W's
            assertKeptFor(hub, s, "after C pruned");

            sqlite3(hub, "INSERT INTO t(v) VALUES ('W second')", Map.of());
            sqlite3(hub, ageByEightDays, Map.of());
            s.application("INSERT INTO t(v) VALUES ('S second')");
            s.sync(); // S prunes: C has not pulled W's second row
            assertKeptFor(hub, c, "after S pruned");

            c.sync();
            s.sync();
            for (Desktop d : List.of(s, c)) {
                assertEquals(Cluster.dump(hub), Cluster.dump(d.replica), "every row on " + d.home.getFileName());
            }
        }
    }

    /** The hub's log still holds every entry after the desktop's recorded position (it was not pruned past). */
    private static void assertKeptFor(Path hub, Desktop d, String when) throws Exception {
        String node = Cluster.scalar(d.replica, "SELECT node FROM _sm_state");
        long position = Long.parseLong(Cluster.scalar(hub, "SELECT last_seq FROM _sm_nodes WHERE node = '" + node + "'"));
        long oldest = Long.parseLong(Cluster.scalar(hub, "SELECT min(seq) FROM _sm_log"));
        assertTrue(oldest <= position + 1, when + ": the log starts at " + oldest + ", but " + d.home.getFileName()
                + " has pulled only up to " + position);
    }

    /** One desktop: its config, cache folder and log folder, and the environment its processes run in. */
    private static final class Desktop {
        final Path home;
        final Path config;
        final Path replica;
        final Map<String, String> environment;

        Desktop(Path home, Path hub, Map<String, String> clock) throws IOException {
            this.home = Files.createDirectories(home);
            this.config = home.resolve("config.yaml");
            this.replica = home.resolve("cache").resolve("hub.db");
            Files.writeString(config, "database:\n  enable_cache: true\n  cache_directory: " + home.resolve("cache")
                    + "\ndatabases:\n  - name: hub\n    path: " + hub + "\n");
            Map<String, String> env = new HashMap<>(clock);
            env.put("XDG_STATE_HOME", home.resolve("state").toString());
            this.environment = env;
        }

        void sync() throws Exception {
            String out = run("sync");
            assertTrue(out.contains("hub: synced") || out.contains("hub: idle"), out);
        }

        String status() throws Exception {
            return run("status");
        }

        void application(String sql) throws Exception {
            sqlite3(replica, sql, environment);
        }

        /** Every archived version, as "id=value", from this desktop's conflict archive. */
        List<String> archivedValues() throws Exception {
            String rows = Cluster.scalar(home.resolve("cache").resolve("state.db"), "SELECT group_concat(v, ',') FROM ("
                    + "SELECT json_extract(pk, '$[0]') || '=' || json_extract(local_row, '$.v') AS v FROM conflicts"
                    + " WHERE winner = 'hub' UNION ALL SELECT json_extract(pk, '$[0]') || '='"
                    + " || json_extract(remote_row, '$.v') FROM conflicts WHERE winner = 'local')");
            return rows == null ? List.of() : List.of(rows.split(","));
        }

        private String run(String verb) throws Exception {
            try (JavaChild agent = JavaChild.start(environment, List.of(), Main.class, verb, "--config",
                    config.toString())) {
                int exit = agent.awaitExit(Duration.ofSeconds(60));
                String out = String.join("\n", agent.output());
                assertEquals(0, exit, out);
                return out;
            }
        }
    }

    private static Map<String, String> faked(String skew) {
        // The monotonic clock stays real (the JVM's timers need it); stat() results stay real, as a server's are.
        return Map.of("LD_PRELOAD", LIBFAKETIME.toString(), "FAKETIME", skew, "FAKETIME_DONT_FAKE_MONOTONIC", "1",
                "NO_FAKE_STAT", "1");
    }

    private static void sqlite3(Path db, String sql, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sqlite3", "-batch", "-bail", "-cmd", ".timeout 10000", db.toString(),
                sql + ";").redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "sqlite3 " + db + " " + sql + ": " + out);
    }

    private static Duration parse(String skew) {
        long n = Long.parseLong(skew.substring(0, skew.length() - 1));
        return switch (skew.charAt(skew.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
