package io.sharemirror.sync.conflict;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Who wins when a key was changed both locally and on the hub since the last sync. */
public enum ConflictPolicy {
    /** The later change by hybrid-logical-clock time wins; equal times go to the larger node id. */
    NEWEST_WINS("newest-wins"),
    /** The version already on the hub wins: whoever pushed first keeps it. */
    HUB_WINS("hub-wins"),
    /** The local version wins and overwrites the hub. */
    REPLICA_WINS("replica-wins");

    private final String configName;

    ConflictPolicy(String configName) {
        this.configName = configName;
    }

    /** The spelling used in config.yaml. */
    public String configName() {
        return configName;
    }

    /** Decides between the local pending version and the remote one; never returns null. */
    public Side winner(Version local, Version remote) {
        return switch (this) {
            case HUB_WINS -> Side.REMOTE;
            case REPLICA_WINS -> Side.LOCAL;
            case NEWEST_WINS -> {
                int byTime = Long.compare(local.ts(), remote.ts());
                if (byTime != 0) {
                    yield byTime > 0 ? Side.LOCAL : Side.REMOTE;
                }
                // Direct writers have no node id (""), so they lose ties against any agent.
                yield local.node().compareTo(remote.node()) > 0 ? Side.LOCAL : Side.REMOTE;
            }
        };
    }

    public String reason(Side winner, Version local, Version remote) {
        return switch (this) {
            case HUB_WINS -> "hub-wins policy: the version already on the hub is kept";
            case REPLICA_WINS -> "replica-wins policy: the local version is kept";
            case NEWEST_WINS -> local.ts() == remote.ts()
                    ? "newest-wins policy: same time " + time(local.ts()) + ", larger node id wins"
                    : "newest-wins policy: " + (winner == Side.LOCAL ? "local" : "hub")
                      + " change is newer (" + time(Math.max(local.ts(), remote.ts())) + " > "
                      + time(Math.min(local.ts(), remote.ts())) + ")";
        };
    }

    /**
     * A change time as this computer's local time of day: stamps are taken in the file server's time, so this is
     * what a correctly set clock here showed when the change was made.
     */
    private static String time(long stampMs) {
        return TIME.format(Instant.ofEpochMilli(stampMs));
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    public enum Side { LOCAL, REMOTE }

    /** One side of a conflict: when it changed (HLC ms) and which node wrote it ("" for a direct writer). */
    public record Version(long ts, String node) {
        public Version {
            node = node == null ? "" : node;
        }
    }
}
