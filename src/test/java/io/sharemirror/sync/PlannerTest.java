package io.sharemirror.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sharemirror.sync.LocalChange.Known;
import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.TablePolicies;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a pull does to one key, case by case: the planner's specification. Each test names the local pending change
 * and the hub's newest change of row {@code t[1]} and expects the plan's steps (what the replica does) and the archived
 * loser. Stamps are small numbers; the local node is "b", other agents "a" and "c", a direct writer "".
 */
class PlannerTest {

    private static final Key KEY = Key.ofInteger("t", 1);
    private static final String NODE = "b";

    // ---- nothing pending here: the hub's version is taken ----

    @Test
    void aKeyNotPendingHereTakesTheHubsVersion() {
        assertPlan(plan(theirEdit(5, "a")), "take t[1] a");
        assertPlan(plan(theirDelete(5)), "take t[1] deleted");
    }

    @Test
    void aChangeToATableNotMirroredHereIsPassedOverButItsStampStillCounts() {
        Plan plan = new Planner("db", NODE, TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS), Instant.EPOCH, Long.MAX_VALUE).plan(
                List.of(new RemoteChange(Key.ofInteger("other", 1), 1, 99, "a", row("x"), false, 0, null)), Map.of(),
                table -> table.equals("t"), new Inputs(), Found.NOTHING);
        assertPlan(plan);
        assertEquals(99, plan.newestStamp());
    }

    /**
     * A stamp further ahead of reference time than max_clock_ahead comes from a wrong clock elsewhere: it does not drag
     * the replica's clock, and is set aside for its own row (an edit made here after it must still be stamped after
     * it). Our own far-ahead stamps (made before this desktop measured its clock) are neither.
     */
    @Test
    void aStampFarAheadOfReferenceTimeDoesNotDragTheClock() {
        Key other = Key.ofInteger("t", 2);
        Key ours = Key.ofInteger("t", 3);
        Plan plan = new Planner("db", NODE, TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS), Instant.EPOCH, 1_000).plan(List.of(
                theirEdit(900, "a"), new RemoteChange(other, 2, 5_000, "a", row("ahead"), false, 0, null),
                new RemoteChange(ours, 3, 7_000, NODE, row("our own"), false, 0, null)), Map.of(), t -> true,
                new Inputs(), Found.NOTHING);
        assertEquals(900, plan.newestStamp());
        assertEquals(Map.of(other, 5_000L), plan.aheadStamps());
    }

    // ---- our own push, found by the pull after a crash kept its pending change ----

    @Test
    void ourOwnPushSettlesThePendingVersionItCarried() {
        RemoteChange ours = new RemoteChange(KEY, 1, 5, NODE, row("b"), false, 0, new OwnPush(5, false));
        assertPlan(plan(ours, edit(5, "b")), "forget t[1]");
    }

    @Test
    void aChangeMadeAfterOurOwnPushStaysPendingAsAnEditOfThePushedRow() {
        RemoteChange ours = new RemoteChange(KEY, 1, 5, NODE, row("b"), false, 0, new OwnPush(5, false));
        assertPlan(plan(ours, inserted(7, "b again")), "mark t[1] ON_HUB");
    }

    @Test
    void aRowMadeAgainAfterOurPushedRowWasDeletedHereReplacesIt() {
        RemoteChange ours = new RemoteChange(KEY, 1, 5, NODE, row("b"), false, 0, new OwnPush(5, false));
        LocalChange deletedThenMadeAgain = new LocalChange(KEY, 8, 3, Known.ON_HUB, true, row("new b"), 0, 7);
        assertPlan(plan(ours, deletedThenMadeAgain), "mark t[1] NEW replacing 7");
    }

    // ---- an edit or delete here meets one there: the policy decides, the loser is archived ----

    @Test
    void newestWinsKeepsTheNewerLocalEditAndArchivesTheHubs() {
        assertPlan(plan(theirEdit(5, "a"), edit(6, "b")), "archive hub a lost to local b");
    }

    @Test
    void newestWinsTakesTheNewerHubEditAndArchivesOurs() {
        assertPlan(plan(theirEdit(7, "a"), edit(6, "b")), "archive local b lost to hub a", "forget t[1]",
                "take t[1] a");
    }

    @Test
    void equalStampsGoToTheLargerNodeIdAndADirectWriterLosesTies() {
        assertPlan(plan(theirEdit(6, "a"), edit(6, "b")), "archive hub a lost to local b");
        assertPlan(plan(new RemoteChange(KEY, 1, 6, "c", row("c"), false, 0, null), edit(6, "b")),
                "archive local b lost to hub c", "forget t[1]", "take t[1] c");
        assertPlan(plan(new RemoteChange(KEY, 1, 6, "", row("direct"), false, 0, null), edit(6, "b")),
                "archive hub direct lost to local b");
    }

    @Test
    void hubWinsAndReplicaWinsIgnoreTheStamps() {
        assertPlan(plan(ConflictPolicy.HUB_WINS, theirEdit(1, "a"), edit(9, "b")), "archive local b lost to hub a",
                "forget t[1]", "take t[1] a");
        assertPlan(plan(ConflictPolicy.REPLICA_WINS, theirEdit(9, "a"), edit(1, "b")),
                "archive hub a lost to local b");
    }

    @Test
    void twoSidesThatAgreeArchiveNothing() {
        assertPlan(plan(theirEdit(5, "same"), edit(6, "same")));
        assertPlan(plan(theirEdit(7, "same"), edit(6, "same")), "forget t[1]", "take t[1] same");
    }

    @Test
    void aLocalDeleteNewerThanTheirEditIsPushed() {
        assertPlan(plan(theirEdit(5, "a"), deleted(6)), "archive hub a lost to local deleted");
    }

    @Test
    void aLocalEditNewerThanTheirDeleteRevivesTheRow() {
        assertPlan(plan(theirDelete(5), edit(6, "b")), "archive hub deleted lost to local b", "mark t[1] REVIVED");
    }

    /**
     * Both deleted the row: nothing lost. Ours stays pending with its newer stamp, for the hub to keep; the row it
     * deleted is the one someone may still bring back.
     */
    @Test
    void twoDeletesAgreeAndTheNewerStampIsKept() {
        assertPlan(plan(theirDelete(5), deleted(6)), "mark t[1] REVIVED");
        assertPlan(plan(theirDelete(7), deleted(6)), "forget t[1]", "take t[1] deleted");
    }

    /**
     * RELIABILITY.md's open defect, "a delete dropped by a revival": C deleted the row, our pull kept our own newer
     * delete (the hub now holds nothing at the key), then B's edit, older than C's delete in lineage but newer in time,
     * brought the same row back (logged as an edit, not as a new row). Our delete concerns that same row: the policy
     * decides, and ours, the newest, wins; it was dropped without a trace.
     */
    @Test
    void aRevivalOfTheRowWeDeletedMeetsOurDeleteByPolicy() {
        LocalChange ourDeleteAfterTheirs = new LocalChange(KEY, 9, 2, Known.REVIVED, true, null, 0, 9);
        assertPlan(plan(theirEdit(8, "revived by b"), ourDeleteAfterTheirs),
                "archive hub revived by b lost to local deleted");
    }

    // ---- two rows made on one integer key: both live ----

    @Test
    void twoNewRowsOnOneIntegerKeyAreBothKeptOursMoves() {
        assertPlan(plan(theirNewRow(5, "a"), inserted(6, "b")), "move t[1] to 100 at 6", "forget t[1]",
                "take t[1] a");
    }

    @Test
    void aRowMadeAndDeletedHereGivesWayToTheirs() {
        LocalChange madeAndGone = new LocalChange(KEY, 6, 2, Known.NEW, true, null, 0, 6);
        assertPlan(plan(theirNewRow(5, "a"), madeAndGone), "forget t[1]", "take t[1] a");
    }

    @Test
    void ourNewRowStaysWhenTheirsCameAndWent() {
        assertPlan(plan(theirDelete(5), inserted(6, "b")));
    }

    @Test
    void aNaturalKeyMadeOnBothSidesNamesOneThingThePolicyDecides() {
        Key code = new Key("t", "[\"acme\"]");
        LocalChange ours = new LocalChange(code, 6, 1, Known.NEW, false, row("b"), 0, 0);
        RemoteChange theirs = new RemoteChange(code, 1, 5, "a", row("a"), true, 0, null);
        assertPlan(plan(List.of(theirs), Map.of(code, ours), new Inputs()), "archive hub a lost to local b");
    }

    @Test
    void theRowsMadeHereThatPointAtAMovedRowFollowIt() {
        Inputs inputs = new Inputs();
        Key album = Key.ofInteger("album", 7);
        Key playlistEntry = new Key("playlist_track", "[1,1]");
        inputs.followers.put(KEY, List.of(new Follower(album, 1, 6, child("artist_id", 1), "artist_id", -1),
                new Follower(playlistEntry, 1, 6, child("track_id", 1), "track_id", 1)));
        Plan plan = plan(List.of(theirNewRow(5, "a")), Map.of(KEY, inserted(6, "b")), inputs);
        assertPlan(plan, "move t[1] to 100 at 6", "repoint album[7].artist_id to 100",
                "repoint playlist_track[1,1].track_id to 100 in key", "forget t[1]", "take t[1] a");
        assertEquals(Map.of(KEY, 1L, album, 1L, playlistEntry, 1L), plan.expected(), "the plan holds only on these");
    }

    /**
     * Followers are read from the replica as it was before the plan: one the plan already moved (its own key taken by
     * the hub's row) must be followed to where it went, or the hub's row would be repointed instead.
     */
    @Test
    void aFollowerThisPlanMovedAlreadyIsRepointedWhereItWent() {
        Inputs inputs = new Inputs();
        Key album = Key.ofInteger("album", 7);
        inputs.followers.put(KEY, List.of(new Follower(album, 1, 6, child("artist_id", 1), "artist_id", -1)));
        LocalChange ourAlbum = new LocalChange(album, 6, 1, Known.NEW, true, row("our album"), 0, 0);
        RemoteChange theirAlbum = new RemoteChange(album, 1, 5, "a", row("their album"), true, 0, null);
        Plan plan = plan(List.of(theirAlbum, theirNewRow(5, "a")), Map.of(KEY, inserted(6, "b"), album, ourAlbum),
                inputs);
        assertPlan(plan, "move album[7] to 100 at 6", "forget album[7]", "take album[7] their album",
                "move t[1] to 101 at 6", "repoint album[100].artist_id to 101", "forget t[1]", "take t[1] a");
    }

    // ---- SQLite reuses the largest rowid: a delete and a new row on the same key ----

    @Test
    void theirReplaceMeetsOurEditOfTheOldRow() {
        RemoteChange replace = new RemoteChange(KEY, 2, 7, "a", row("their new row"), true, 5, null);
        assertPlan(plan(replace, edit(4, "b")), "archive local b lost to hub deleted", "forget t[1]",
                "take t[1] their new row");
        assertPlan(plan(replace, edit(6, "b")), "archive hub deleted lost to local b", "move t[1] to 100 at 6",
                "forget t[1]", "take t[1] their new row");
    }

    @Test
    void theirReplaceMeetsOurDeleteOfTheOldRow() {
        RemoteChange replace = new RemoteChange(KEY, 2, 7, "a", row("their new row"), true, 5, null);
        assertPlan(plan(replace, deleted(6)), "forget t[1]", "take t[1] their new row");
    }

    @Test
    void ourReplaceMeetsTheirEditOfTheOldRow() {
        LocalChange replaced = new LocalChange(KEY, 8, 3, Known.NEW, true, row("our new row"), 6, 6);
        assertPlan(plan(theirEdit(5, "a"), replaced), "archive hub a lost to local deleted");
        assertPlan(plan(theirEdit(7, "a"), replaced), "archive local deleted lost to hub a", "move t[1] to 100 at 8",
                "forget t[1]", "take t[1] a");
        assertPlan(plan(theirDelete(7), replaced));
    }

    @Test
    void ourRevivedRowMeetsTheirNewRowOnTheKey() {
        LocalChange revived = new LocalChange(KEY, 6, 2, Known.REVIVED, true, row("b"), 0, 0);
        assertPlan(plan(theirNewRow(7, "a"), revived), "move t[1] to 100 at 6", "forget t[1]", "take t[1] a");
        assertPlan(plan(theirEdit(7, "a"), revived), "archive local b lost to hub a", "forget t[1]", "take t[1] a");
    }

    // ---- helpers: the language of the cases above ----

    private static Row row(String v) {
        return new Row(List.of("v"), List.of(v));
    }

    /** A row made here that points at row 1 by {@code column}. */
    private static Row child(String column, long parent) {
        return new Row(List.of(column, "v"), List.of(parent, "child"));
    }

    private static LocalChange edit(long ts, String v) {
        return new LocalChange(KEY, ts, 1, Known.ON_HUB, true, row(v), 0, 0);
    }

    private static LocalChange deleted(long ts) {
        return new LocalChange(KEY, ts, 2, Known.ON_HUB, true, null, 0, ts);
    }

    private static LocalChange inserted(long ts, String v) {
        return new LocalChange(KEY, ts, 1, Known.NEW, true, row(v), 0, 0);
    }

    private static RemoteChange theirEdit(long ts, String v) {
        return new RemoteChange(KEY, 1, ts, "a", row(v), false, 0, null);
    }

    private static RemoteChange theirDelete(long ts) {
        return new RemoteChange(KEY, 1, ts, "a", null, false, 0, null);
    }

    private static RemoteChange theirNewRow(long ts, String v) {
        return new RemoteChange(KEY, 1, ts, "a", row(v), true, 0, null);
    }

    private static Plan plan(RemoteChange remote) {
        return plan(List.of(remote), Map.of(), new Inputs());
    }

    private static Plan plan(RemoteChange remote, LocalChange local) {
        return plan(ConflictPolicy.NEWEST_WINS, remote, local);
    }

    private static Plan plan(ConflictPolicy policy, RemoteChange remote, LocalChange local) {
        return new Planner("db", NODE, TablePolicies.everyTable(policy), Instant.EPOCH, Long.MAX_VALUE).plan(List.of(remote),
                Map.of(local.key(), local), t -> true, new Inputs(), Found.NOTHING);
    }

    private static Plan plan(List<RemoteChange> remote, Map<Key, LocalChange> local, Inputs inputs) {
        return new Planner("db", NODE, TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS), Instant.EPOCH, Long.MAX_VALUE).plan(remote, local,
                t -> true, inputs, Found.NOTHING);
    }

    /** Free keys from 100 up; followers as the test sets them. */
    private static final class Inputs implements PlanInputs {
        final Map<Key, List<Follower>> followers = new HashMap<>();
        final Map<Key, Row> hubRows = new HashMap<>();
        final Map<Key, Row> localRows = new HashMap<>();
        private long next = 100;

        @Override
        public long freeKey(String table, long atLeast) {
            return next++;
        }

        @Override
        public List<Follower> followers(Key parent, boolean hubsRow) {
            return followers.getOrDefault(parent, List.of());
        }

        @Override
        public Row hubRow(Key key) {
            return hubRows.get(key);
        }

        @Override
        public Row localRow(Key key) {
            return localRows.get(key);
        }
    }

    /** The archived loser first (if any), then the steps, each as one line. */
    private static void assertPlan(Plan plan, String... expected) {
        List<String> actual = new ArrayList<>();
        for (ConflictRecord c : plan.archive()) {
            boolean localWon = c.winner().equals("local");
            actual.add("archive " + (localWon ? "hub " + text(c.remote()) : "local " + text(c.local())) + " lost to "
                    + (localWon ? "local " + text(c.local()) : "hub " + text(c.remote())));
        }
        for (Plan.Step step : plan.steps()) {
            actual.add(describe(step));
        }
        assertEquals(List.of(expected), actual);
    }

    private static String text(Row row) {
        return row == null ? "deleted" : String.valueOf(row.values().get(0));
    }

    private static String describe(Plan.Step step) {
        String key = step.key().table() + step.key().pk();
        if (step instanceof Plan.TakeRow take) {
            return "take " + key + " " + text(take.row());
        } else if (step instanceof Plan.Forget) {
            return "forget " + key;
        } else if (step instanceof Plan.Mark mark) {
            return "mark " + key + " " + mark.known() + (mark.replaced() == 0 ? "" : " replacing " + mark.replaced());
        } else if (step instanceof Plan.Move move) {
            return "move " + key + " to " + move.to() + " at " + move.ts();
        } else if (step instanceof Plan.Repoint repoint) {
            return "repoint " + key + "." + repoint.column() + " to " + repoint.to()
                    + (repoint.keyIndex() >= 0 ? " in key" : "");
        }
        throw new AssertionError("unknown step " + step);
    }
}
