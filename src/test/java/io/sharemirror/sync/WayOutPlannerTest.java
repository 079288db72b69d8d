package io.sharemirror.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.LocalChange.Known;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ways out a person chooses for a change that waits, case by case. Our new row {@code supplier[10]} and the hub's
 * {@code supplier[20]} both want code 'NEW'; ours waits to be pushed, theirs waits to be applied here. Each test expects
 * the archived loser and the plan's steps, as PlannerTest does.
 */
class WayOutPlannerTest {

    private static final Key MINE = Key.ofInteger("supplier", 10);
    private static final Key THEIRS = Key.ofInteger("supplier", 20);
    private static final Instant SINCE = Instant.parse("2026-12-03T10:00:00Z");

    private final Map<Key, Row> hubRows = new HashMap<>(Map.of(THEIRS, row("NEW", "b's")));
    private final Map<Key, Row> localRows = new HashMap<>(Map.of(MINE, row("NEW", "a's")));
    private final Waiting ours = new Waiting(MINE, false, 0, 0, null, clash(MINE, THEIRS), SINCE);
    private final Waiting theirs = new Waiting(THEIRS, true, 7, 50, "b", clash(THEIRS, MINE), SINCE);
    private final Map<Key, LocalChange> pending = Map.of(MINE,
            new LocalChange(MINE, 40, 1, Known.NEW, true, row("NEW", "a's"), 0, 0));

    /** Their row has no version here, so it is undone on the hub by a delete; ours then goes as it is. */
    @Test
    void keepMineArchivesTheHubsRowAndUndoesItThereOursStopsWaiting() {
        assertPlan(plan(theirs, WayOut.KEEP_MINE), "archive hub b's lost to local deleted", "delete supplier[20]",
                "release supplier[10]");
    }

    @Test
    void keepTheirsArchivesOursAndTakesTheHubsRow() {
        assertPlan(plan(theirs, WayOut.KEEP_THEIRS), "archive local a's lost to hub b's", "forget supplier[10]",
                "delete supplier[10]", "take supplier[20]", "release supplier[10]");
    }

    @Test
    void theSameChoiceMadeOnOurWaitingChangePlansTheSame() {
        assertEquals(describe(plan(theirs, WayOut.KEEP_MINE)), describe(plan(ours, WayOut.KEEP_MINE)));
    }

    @Test
    void theLoserIsArchivedWithThePersonsChoice() {
        ConflictRecord loser = plan(theirs, WayOut.KEEP_MINE).archive().get(0);
        assertEquals("UNIQUE index supplier_code (code): code = 'NEW' can belong to one row only; this computer's row"
                + " keeps it (Keep Mine, chosen on this computer)", loser.reason());
    }

    @Test
    void aRuleNoOtherRowHoldsOffersNoRowToKeepInstead() {
        Waiting notNull = new Waiting(MINE, false, 0, 0, null, new Clash(MINE, "NOT NULL constraint failed:"
                + " supplier.name", "", null, List.of("name")), SINCE);
        WayOutRefused refused = assertThrows(WayOutRefused.class, () -> plan(notNull, WayOut.KEEP_MINE));
        assertEquals("supplier [10] breaks NOT NULL constraint failed: supplier.name, a rule no other row holds: there"
                + " is no other row to keep instead", refused.getMessage());
        assertEquals("change its value (Edit Value), or discard the change", refused.hint());
    }

    @Test
    void keepBothWritesTheValueTypedAsAnEditOfTheRowChosen() {
        WayOutPlanner.Rewrite rewrite = planner().rewrite(theirs, MINE, Map.of("code", "NEW-A"), localRows.get(MINE),
                pending.get(MINE));
        assertEquals(List.of("NEW-A", "a's"), rewrite.row().values());
        assertEquals(Known.NEW, rewrite.known(), "a row made here stays new");
        WayOutPlanner.Rewrite onTheirs = planner().rewrite(theirs, THEIRS, Map.of("code", "NEW-B", "name", " "),
                hubRows.get(THEIRS), null);
        assertEquals(List.of("NEW-B", "b's"), onTheirs.row().values(), "a blank value leaves the column");
        assertEquals(List.of("code"), onTheirs.changed());
        assertTrue(onTheirs.fromHub() && onTheirs.known() == Known.ON_HUB, "the hub's row, edited here");
    }

    @Test
    void keepBothSaysWhatIsWrongWithWhatWasTyped() {
        assertRefused(() -> planner().rewrite(theirs, MINE, Map.of("code", " "), localRows.get(MINE), null),
                "no new value was typed for supplier [10]", "type a new value for code");
        assertRefused(() -> planner().rewrite(theirs, MINE, Map.of("colour", "red"), localRows.get(MINE), null),
                "supplier has no column colour", "its columns are code, name");
        assertRefused(() -> planner().rewrite(theirs, Key.ofInteger("supplier", 3), Map.of("code", "X"),
                row("S3", "three"), null), "supplier [3] is not one of the rows of this clash",
                "choose supplier [20] or supplier [10]");
        assertRefused(() -> planner().rewrite(theirs, THEIRS, Map.of("code", "X"), null, null),
                "supplier [20] is no longer on the hub", "sync, and see whether the change still waits");
    }

    private static void assertRefused(Runnable attempt, String message, String hint) {
        WayOutRefused refused = assertThrows(WayOutRefused.class, attempt::run);
        assertEquals(message, refused.getMessage());
        assertEquals(hint, refused.hint());
    }

    private static Clash clash(Key key, Key other) {
        return new Clash(key, "UNIQUE index supplier_code (code)", "code = 'NEW'", other, List.of("code"));
    }

    private static Row row(String code, String name) {
        return new Row(List.of("code", "name"), List.of(code, name));
    }

    private static WayOutPlanner planner() {
        return new WayOutPlanner("db", "a", Instant.EPOCH);
    }

    private Plan plan(Waiting chosen, WayOut way) {
        return planner().plan(chosen, way, List.of(ours, theirs), pending, new PlanInputs() {
            @Override
            public long freeKey(String table, long atLeast) {
                return 100;
            }

            @Override
            public List<Follower> followers(Key parent, boolean hubsRow) {
                return List.of();
            }

            @Override
            public Row hubRow(Key key) {
                return hubRows.get(key);
            }

            @Override
            public Row localRow(Key key) {
                return localRows.get(key);
            }
        }, Found.NOTHING, 100);
    }

    private static void assertPlan(Plan plan, String... expected) {
        assertEquals(List.of(expected), describe(plan));
    }

    /** The archived loser first, then the steps, each as one line. */
    private static List<String> describe(Plan plan) {
        List<String> actual = new ArrayList<>();
        for (ConflictRecord c : plan.archive()) {
            boolean localWon = c.winner().equals("local");
            actual.add("archive " + (localWon ? "hub " + name(c.remote()) : "local " + name(c.local())) + " lost to "
                    + (localWon ? "local " + name(c.local()) : "hub " + name(c.remote())));
        }
        for (Plan.Step step : plan.steps()) {
            String what = step instanceof Plan.Cascade ? "delete" : step instanceof Plan.TakeRow ? "take"
                    : step.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
            actual.add(what + " " + step.key().table() + step.key().pk());
        }
        return actual;
    }

    private static String name(Row row) {
        return row == null ? "deleted" : String.valueOf(row.values().get(1));
    }
}
