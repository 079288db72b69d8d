package io.sharemirror.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.LocalChange.Known;
import java.time.Instant;
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

    private final PlannerTest.Inputs inputs = new PlannerTest.Inputs();
    private final Waiting ours = new Waiting(MINE, false, 0, 0, null, clash(MINE, THEIRS), SINCE);
    private final Waiting theirs = new Waiting(THEIRS, true, 7, 50, "b", clash(THEIRS, MINE), SINCE);
    private final Map<Key, LocalChange> pending = Map.of(MINE,
            new LocalChange(MINE, 40, 1, Known.NEW, true, row("NEW", "a's"), 0, 0, null));

    WayOutPlannerTest() {
        inputs.hubRows.put(THEIRS, row("NEW", "b's"));
        inputs.localRows.put(MINE, row("NEW", "a's"));
    }

    /** Their row has no version here, so it is undone on the hub by a queued delete; ours then goes as it is. */
    @Test
    void keepMineArchivesTheHubsRowAndUndoesItThereOursStopsWaiting() {
        PlannerTest.assertPlan(plan(theirs, WayOut.KEEP_MINE), "archive hub name=b's code=NEW lost to local deleted",
                "delete supplier[20] at 100 queued", "release supplier[10]");
    }

    /** Ours was made here, so it goes here only: the hub never had it. */
    @Test
    void keepTheirsArchivesOursAndTakesTheHubsRow() {
        PlannerTest.assertPlan(plan(theirs, WayOut.KEEP_THEIRS), "archive local name=a's code=NEW lost to hub name=b's code=NEW", "forget supplier[10]",
                "delete supplier[10] at 100", "take supplier[20] name=b's code=NEW", "release supplier[10]");
    }

    @Test
    void theSameChoiceMadeOnOurWaitingChangePlansTheSame() {
        Plan fromTheirs = plan(theirs, WayOut.KEEP_MINE);
        Plan fromOurs = plan(ours, WayOut.KEEP_MINE);
        assertEquals(fromTheirs.steps(), fromOurs.steps());
        assertEquals(fromTheirs.archive(), fromOurs.archive());
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
        WayOutPlanner.Rewrite rewrite = planner().rewrite(theirs, MINE, Map.of("code", "NEW-A"), inputs.localRows.get(MINE),
                pending.get(MINE));
        assertEquals(List.of("a's", "NEW-A"), rewrite.row().values());
        assertEquals(Known.NEW, rewrite.known(), "a row made here stays new");
        WayOutPlanner.Rewrite onTheirs = planner().rewrite(theirs, THEIRS, Map.of("code", "NEW-B", "name", " "),
                inputs.hubRows.get(THEIRS), null);
        assertEquals(List.of("b's", "NEW-B"), onTheirs.row().values(), "a blank value leaves the column");
        assertEquals(List.of("code"), onTheirs.changed());
        assertTrue(onTheirs.fromHub() && onTheirs.known() == Known.ON_HUB, "the hub's row, edited here");
    }

    @Test
    void keepBothSaysWhatIsWrongWithWhatWasTyped() {
        assertRefused(() -> planner().rewrite(theirs, MINE, Map.of("code", " "), inputs.localRows.get(MINE), null),
                "no new value was typed for supplier [10]", "type a new value for code");
        assertRefused(() -> planner().rewrite(theirs, MINE, Map.of("colour", "red"), inputs.localRows.get(MINE), null),
                "supplier has no column colour", "its columns are name, code");
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

    /** The name first: plans are written with a row's first value. */
    private static Row row(String code, String name) {
        return new Row(List.of("name", "code"), List.of(name, code));
    }

    private static WayOutPlanner planner() {
        return new WayOutPlanner("db", "a", Instant.EPOCH);
    }

    private Plan plan(Waiting chosen, WayOut way) {
        return planner().plan(chosen, way, List.of(ours, theirs), pending, inputs, Found.NOTHING, 100);
    }
}
