package io.sharemirror.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.conflict.ConflictPolicy.Version;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The log folded into each key's newest change, as every hub kind's pull reads it. */
class LogFoldTest {

    private static final Key ONE = new Key("t", "[1]");
    private static final Key TWO = new Key("t", "[2]");

    @Test
    void aKeyIsInTheWindowByItsFirstEntryAndTakesItsNewestFromPastIt() {
        LogFold fold = new LogFold(10, "me", Map.of());
        fold.add(ONE, 5, "U", "other", 100, null);
        fold.add(TWO, 11, "U", "other", 110, null);
        fold.add(ONE, 12, "U", null, 120, null);
        assertEquals(List.of(ONE), fold.keys(), "TWO is first logged past the window");
        RemoteChange change = fold.change(ONE, null);
        assertEquals(12, change.seq());
        assertEquals(120, change.ts());
        assertEquals("", change.origin(), "a direct writer");
    }

    @Test
    void entriesAPullAppliedPastTheCursorArePassedOver() {
        LogFold fold = new LogFold(10, "me", Map.of(ONE, 6L));
        fold.add(ONE, 5, "I", "other", 100, null);
        fold.add(ONE, 6, "D", "other", 110, null);
        fold.add(TWO, 7, "I", "other", 120, null);
        assertEquals(List.of(TWO), fold.keys());
    }

    @Test
    void anotherNodesInsertAfterADeleteReplacesTheRowTheReaderKnew() {
        LogFold fold = new LogFold(10, "me", Map.of());
        fold.add(ONE, 1, "D", "other", 100, null);
        fold.add(ONE, 2, "I", "other", 110, null);
        fold.add(ONE, 3, "D", "third", 120, null);
        RemoteChange change = fold.change(ONE, null);
        assertTrue(change.created());
        assertEquals(100, change.replaced(), "the first delete, before the new row");
        assertNull(change.columns(), "whole rows");
    }

    @Test
    void theReadersOwnPushConfirmsItAndOthersEditsSayTheirColumns() {
        LogFold fold = new LogFold(10, "me", Map.of());
        fold.add(ONE, 1, "U", "other", 100, Set.of("a", "b"));
        fold.add(ONE, 2, "U", "third", 90, Set.of("b"));
        fold.add(ONE, 3, "D", "me", 130, null);
        RemoteChange change = fold.change(ONE, null);
        assertEquals(new OwnPush(130, true), change.ownPush());
        assertFalse(change.created());
        assertEquals(Map.of("a", new Version(100, "other"), "b", new Version(100, "other")), change.columns(),
                "each column's newest change");
    }
}
