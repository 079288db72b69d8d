package io.sharemirror.sync.conflict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.conflict.ConflictPolicy.Side;
import io.sharemirror.sync.conflict.ConflictPolicy.Version;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class ConflictPolicyTest {

    private static final Version OLDER_A = new Version(1000, "node-a");
    private static final Version NEWER_B = new Version(2000, "node-b");

    @Test
    void newestWinsByTimeOnEitherSide() {
        assertEquals(Side.REMOTE, ConflictPolicy.NEWEST_WINS.winner(OLDER_A, NEWER_B));
        assertEquals(Side.LOCAL, ConflictPolicy.NEWEST_WINS.winner(NEWER_B, OLDER_A));
    }

    @Test
    void newestWinsBreaksTiesByNodeIdTheSameWayOnEveryNode() {
        Version a = new Version(5000, "node-a");
        Version b = new Version(5000, "node-b");
        // node-b wins whether node-a or node-b does the resolving: both replicas agree.
        assertEquals(Side.REMOTE, ConflictPolicy.NEWEST_WINS.winner(a, b));
        assertEquals(Side.LOCAL, ConflictPolicy.NEWEST_WINS.winner(b, a));
    }

    @Test
    void directWritersLoseTiesAgainstAnyAgent() {
        Version direct = new Version(5000, null);
        assertEquals("", direct.node());
        assertEquals(Side.LOCAL, ConflictPolicy.NEWEST_WINS.winner(new Version(5000, "a"), direct));
    }

    @Test
    void hubWinsAndReplicaWinsIgnoreTime() {
        assertEquals(Side.REMOTE, ConflictPolicy.HUB_WINS.winner(NEWER_B, OLDER_A));
        assertEquals(Side.LOCAL, ConflictPolicy.REPLICA_WINS.winner(OLDER_A, NEWER_B));
    }

    @Test
    void reasonsSayWhyInLocalTimesNotRawStamps() {
        String reason = ConflictPolicy.NEWEST_WINS.reason(Side.REMOTE, OLDER_A, NEWER_B);
        DateTimeFormatter local = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
        String newer = local.format(Instant.ofEpochMilli(2000));
        String older = local.format(Instant.ofEpochMilli(1000));
        assertTrue(reason.contains("hub change is newer (" + newer + " > " + older + ")"), reason);
    }
}
