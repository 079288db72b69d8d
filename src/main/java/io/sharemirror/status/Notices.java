package io.sharemirror.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Decides which status changes deserve a desktop notification: a database going offline, failing,
 * recovering, resolving conflicts, having more rows wait for a person, finding this computer's clock off by more
 * than {@link ClockSkew#NOTICEABLE}, or syncing with another hub (its hub moved, {@code sharemirror move-hub}).
 * The same news about the same database is told at most once per {@code quiet} period, so a flapping VPN does not
 * flood the desktop.
 */
public final class Notices {

    public enum Kind { OFFLINE, FAILED, RECOVERED, CONFLICTS, WAITING, CLOCK, MOVED }

    public record Notice(String database, Kind kind, String title, String text) {
    }

    private final Supplier<Instant> clock;
    private final Duration quiet;
    private final Map<String, DatabaseStatus> seen = new HashMap<>();
    private final Map<String, Instant> told = new HashMap<>();

    public Notices(Supplier<Instant> clock, Duration quiet) {
        this.clock = clock;
        this.quiet = quiet;
    }

    /** The notices this snapshot calls for, given the snapshots seen before. */
    public synchronized List<Notice> next(StatusSnapshot snapshot) {
        List<Notice> out = new ArrayList<>();
        for (DatabaseStatus now : snapshot.databases()) {
            DatabaseStatus before = seen.put(now.name(), now);
            if (!now.mirrored()) {
                continue;
            }
            if (before != null && !Objects.equals(before.hubPath(), now.hubPath())) {
                tell(out, now, Kind.MOVED, now.name() + " moved to " + now.hubKind(), "Its hub is " + now.hubPath()
                        + " now, and local writes go there" + (now.pendingWrites() > 0 ? " (" + now.pendingWrites()
                        + " pending)" : "") + "; " + before.hubPath() + " is no longer synced.");
            }
            SyncState was = before == null ? SyncState.PENDING : before.state();
            if (now.state() != was && now.state() == SyncState.OFFLINE) {
                tell(out, now, Kind.OFFLINE, now.name() + " is offline",
                        "The share cannot be reached. Local writes keep working and are queued"
                                + (now.pendingWrites() > 0 ? " (" + now.pendingWrites() + " pending)" : "") + ".");
            } else if (now.state() != was && now.state() == SyncState.FAILED) {
                tell(out, now, Kind.FAILED, now.name() + ": sync failed",
                        now.error() + (now.hint() == null ? "" : "\n" + now.hint()));
            } else if (was.compareTo(SyncState.FAILED) >= 0 && now.state().compareTo(SyncState.FAILED) < 0) {
                tell(out, now, Kind.RECOVERED, now.name() + " is back in sync",
                        now.pendingWrites() > 0 ? now.pendingWrites() + " writes are still being pushed."
                                : "Everything queued while it was away has been pushed.");
            }
            long resolved = now.conflicts() - (before == null ? 0 : before.conflicts());
            if (resolved > 0) {
                tell(out, now, Kind.CONFLICTS, now.name() + ": " + resolved + (resolved == 1 ? " conflict" : " conflicts")
                        + " resolved", "The losing versions are archived; see Conflicts in the dashboard.");
            }
            if (now.waiting() > (before == null ? 0 : before.waiting())) {
                tell(out, now, Kind.WAITING, now.name() + ": " + (now.waiting() == 1 ? "a row waits" : now.waiting()
                        + " rows wait") + " for you", now.firstWaiting() + ".\nEverything else syncs. In the"
                        + " dashboard's Waiting tab: keep mine, keep theirs, or keep both under another value.");
            }
            if (skewed(now) && (before == null || !skewed(before))) {
                tell(out, now, Kind.CLOCK, now.name() + ": this computer's clock is wrong",
                        now.clock().describe() + ".\n" + ClockSkew.HINT + ".");
            }
        }
        return out;
    }

    private static boolean skewed(DatabaseStatus db) {
        return db.clock() != null && db.clock().noticeable();
    }

    private void tell(List<Notice> out, DatabaseStatus db, Kind kind, String title, String text) {
        Instant now = clock.get();
        String key = db.name() + "/" + kind;
        Instant last = told.get(key);
        if (last == null || !now.isBefore(last.plus(quiet))) {
            told.put(key, now);
            out.add(new Notice(db.name(), kind, title, text));
        }
    }
}
