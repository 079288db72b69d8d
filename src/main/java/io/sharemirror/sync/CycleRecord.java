package io.sharemirror.sync;

import java.time.Duration;
import java.time.Instant;

/**
 * One sync cycle of one database, as the history shows it.
 *
 * @param pending local writes still waiting when the cycle ended, or -1 when the replica could not tell
 */
public record CycleRecord(String database, Instant started, Duration duration, int pushed, int pulled,
                          int conflicts, long pending, Outcome outcome, String error, String hint) {

    /** How a cycle ended. */
    public enum Outcome {
        /** Nothing to do: no pending writes, nothing new on the hub. */
        IDLE,
        /** Changes moved and everything is consistent. */
        SYNCED,
        /** The share could not be reached. */
        OFFLINE,
        /** Anything else went wrong; see the error. */
        FAILED
    }

    public boolean succeeded() {
        return outcome == Outcome.IDLE || outcome == Outcome.SYNCED;
    }
}
