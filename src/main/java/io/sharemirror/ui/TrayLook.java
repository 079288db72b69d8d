package io.sharemirror.ui;

import io.sharemirror.config.DatabaseConfig;
import io.sharemirror.status.DatabaseStatus;
import io.sharemirror.status.StatusSnapshot;
import io.sharemirror.status.SyncState;
import io.sharemirror.ui.AgentControl.Pause;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the tray icon and its tooltip say: not set up yet, or the most severe state of all databases; with a pause mark
 * while sync is paused, and an attention mark while conflicts wait to be reviewed. Rows that wait for a person are a
 * state of their own, and the tooltip names the first. The tray's menu header and the dashboard say the same.
 *
 * @param pause empty while syncing
 * @param unreviewed archived conflicts nobody has looked at yet
 */
record TrayLook(StatusSnapshot status, Optional<Pause> pause, long unreviewed) {

    boolean setUp() {
        return !status.databases().isEmpty();
    }

    SyncState state() {
        return status.overall();
    }

    boolean attention() {
        return unreviewed > 0;
    }

    /** The icon's source in icons/ (a pause and conflicts to review are badges over it: {@link StateIcons}). */
    String icon() {
        return setUp() ? StateIcons.file(state()) : "setup";
    }

    /** "In sync", "Offline, paused until 15:04", "Not set up". */
    String headline() {
        if (!setUp()) {
            return "Not set up";
        }
        return Format.state(state()) + pause.map(p -> ", paused " + until(p.until())).orElse("");
    }

    /**
     * One line (X11 trays show no line breaks in tooltips); the kinds of hub unless all are file shares; the worst
     * clock that is off by more than 30 s.
     */
    String tooltip() {
        if (!setUp()) {
            return "ShareMirror: not set up — click to add a database";
        }
        return "ShareMirror: " + headline() + " · "
                + Format.count(status.databases().size(), "database", "databases") + hubs() + " · "
                + Format.count(status.pendingWrites(), "pending write", "pending writes") + " · last sync "
                + Format.time(status.lastSync().orElse(null))
                + status.databases().stream().map(DatabaseStatus::clock).filter(c -> c != null && c.noticeable())
                        .max(Comparator.comparing(c -> c.ahead().abs())).map(c -> " · " + c.describe()).orElse("")
                + (attention() ? " · " + Format.count(unreviewed, "conflict", "conflicts") + " to review" : "")
                + waiting().map(w -> " · " + w).orElse("");
    }

    /** " (PostgreSQL db:5432/app, file share)", or empty when every hub is a file share, as most are. */
    private String hubs() {
        List<String> kinds = status.databases().stream().map(DatabaseStatus::hubKind).distinct().toList();
        return kinds.equals(List.of(DatabaseConfig.FILE_SHARE)) ? "" : " (" + String.join(", ", kinds) + ")";
    }

    /** "2 rows wait: orders: supplier [10] (made here) breaks ...", or empty when none waits. */
    Optional<String> waiting() {
        long count = status.waiting();
        return status.firstWaiting().map(first -> (count == 1 ? "1 row waits: " : count + " rows wait, first: ") + first);
    }

    static String until(Instant until) {
        return until == null ? "until resumed" : "until " + Format.time(until);
    }
}
