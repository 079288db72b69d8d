package io.sharemirror.sync;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Notices changes committed to the hub that are no longer there, and a hub another agent marked damaged. With locks
 * that work, the hub's log only grows and a committed push stays; a share whose locks lie lets another computer's
 * commit overlap ours and write back pages it read before ours (so would a hub replaced by an older copy). One
 * mirror's cycle calls it at four points; each check throws {@link HubDamagedException} (or, for a marked hub, a FAILED
 * {@link StoreException}).
 *
 * <p>Cost: the probe's fields on every cycle; a read of two log entries from the file on a cycle that moves data; and a
 * read back of every push, from the file, before its pending rows are cleared.
 */
final class LossDetector {

    /** A push whose read-back failed, who made it and the log head it followed: read back again before believing it. */
    private List<LocalChange> doubted = List.of();
    private String doubtedBy;
    private long doubtedAfter;
    /** Log entries this replica saw at the end of its last cycle that moved data, by position. */
    private Map<Long, String> seen = Map.of();

    /** After the probe: the hub is not marked damaged, its log ends at or past the cursor, a doubted push landed. */
    void beforeCycle(Hub hub, Replica replica, HubProbe probe) {
        if (probe.damage() != null) {
            throw new StoreException(StoreException.Kind.FAILED, "the hub was reported damaged by ShareMirror on "
                    + probe.damage(), HubDamagedException.REPORTED_HINT, null);
        }
        if (probe.head() < replica.cursor()) {
            throw HubDamagedException.lostChanges("the hub's change log ends at " + probe.head()
                    + ", before the entries this replica already pulled (up to " + replica.cursor() + ")");
        }
        confirmDoubted(hub, "rows of this replica's last push are not on the hub as pushed");
    }

    /**
     * Before a cycle moves data: the entries seen at the end of the last one are in the log unchanged (unless pruned).
     * A stale commit after our last check replaces or drops them. Two are watched: the newest one, and the first one
     * that cycle added.
     */
    void beforeExchange(Hub hub, HubProbe probe) {
        Map<Long, String> watched = new HashMap<>(seen);
        watched.keySet().removeIf(seq -> seq < probe.oldest());
        Map<Long, String> now = hub.logEntries(watched.keySet(), true);
        for (Map.Entry<Long, String> e : watched.entrySet()) {
            if (!e.getValue().equals(now.get(e.getKey()))) {
                throw HubDamagedException.lostChanges("the hub's log changed under an entry this replica had seen:"
                        + " at " + e.getKey() + " it held " + e.getValue() + ", now " + now.get(e.getKey()));
            }
        }
    }

    /**
     * Once a push committed, before its pending rows are cleared: it is on the hub as pushed. If not, the cycle's
     * repeat on a new connection reads it back again first ({@link #beforeCycle}); a read cut short must not pass for
     * damage.
     */
    void afterCommit(Hub hub, List<LocalChange> pushed, String node, long head) {
        doubted = pushed;
        doubtedBy = node;
        doubtedAfter = head;
        confirmDoubted(hub, "the push of " + pushed.size() + " rows did not land as written although COMMIT succeeded");
    }

    /** At the end of a cycle that moved data: remembers the entries {@link #beforeExchange} checks next time. */
    void afterExchange(Hub hub, Replica replica, long headBefore) {
        Set<Long> watch = new TreeSet<>();
        watch.add(replica.cursor());
        if (headBefore < replica.cursor()) {
            watch.add(headBefore + 1);
        }
        seen = hub.logEntries(watch, false); // what this cycle read; checked from the file next time
    }

    private void confirmDoubted(Hub hub, String problem) {
        if (doubted.isEmpty()) {
            return;
        }
        List<String> gone = hub.notLanded(doubted, doubtedBy, doubtedAfter); // (a re-clone brings a new node id)
        if (!gone.isEmpty()) {
            throw HubDamagedException.lostChanges(problem + ": " + gone.size() + " of " + doubted.size()
                    + " rows, e.g. " + String.join("; ", gone.subList(0, Math.min(3, gone.size()))));
        }
        doubted = List.of();
    }
}
