package io.sharemirror.ui;

import io.sharemirror.status.PendingWrite;
import io.sharemirror.status.StatusModel;
import io.sharemirror.status.StatusSnapshot;
import io.sharemirror.sync.ArchivedConflict;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.Renumbering;
import io.sharemirror.sync.Waiting;
import io.sharemirror.sync.WayOut;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Everything the tray and the dashboard may ask of the running agent. Any method may touch disks or the
 * share, so the UI calls them on its background thread ({@link Background}), never on the event thread.
 */
public interface AgentControl {

    StatusSnapshot statusSnapshot();

    /** {@code listener} hears every status change, on engine threads: it must hand off to its own. */
    void subscribe(StatusModel.Listener listener);

    void unsubscribe(StatusModel.Listener listener);

    List<String> mirroredNames();

    CompletableFuture<CycleRecord> syncNow(String name);

    /** Whether sync is paused, and until when. */
    Optional<Pause> paused();

    /** Pauses every database until the pause's time, or until {@link #resume()}. */
    void pause(Pause pause);

    void resume();

    /** Sync paused, by the user: until a time, or ({@code until} null) until resumed. */
    record Pause(Instant until) {
    }

    /** The interval every mirrored database uses, or empty when they differ. */
    Optional<Duration> commonInterval();

    /** Applies at once to every mirrored database and is remembered across restarts. */
    void setInterval(Duration interval);

    /** Local writes not yet pushed; reads only the replica. */
    long pendingWrites(String name);

    /** The oldest writes waiting in the replica, at most {@code limit}; reads only the replica. */
    List<PendingWrite> pendingList(String name, int limit);

    /** Pushes first; refuses (PendingWritesException) while writes cannot be pushed unless discarding. */
    CompletableFuture<Void> clearCache(String name, boolean discardPending);

    List<CycleRecord> history(String database, int limit);

    List<ArchivedConflict> conflicts(String database, int limit);

    /** Writes the losing version back as a new local write; it is pushed by the next cycle. */
    void restore(ArchivedConflict conflict);

    /** The changes of a database that wait for a person (writing them breaks a constraint), oldest first. */
    List<Waiting> waiting(String name);

    /** Keep mine, keep theirs or discard, for a change that waits; completes with the cycle that follows. */
    CompletableFuture<CycleRecord> settle(String name, Waiting waiting, WayOut way);

    /**
     * Keep both: {@code row} (the one that waits, or the other row of the clash) takes the values typed, by column;
     * completes with the cycle that follows.
     */
    CompletableFuture<CycleRecord> rewrite(String name, Waiting waiting, Key row, Map<String, String> values);

    /** Rows made here that were moved to another key (all databases when {@code database} is null), newest first. */
    List<Renumbering> renumbered(String database, int limit);

    /** Conflicts archived that nobody has looked at yet. */
    long unreviewedConflicts();

    void markConflictsReviewed();

    /** Add, Edit and Remove Database. */
    SetupControl setup();

    /** Sizes in bytes of the replica and the hub files (-1 when unknown); the hub's may take a share round trip. */
    FileSizes fileSizes(String name);

    record FileSizes(long replica, long hub) {
    }

    boolean notificationsEnabled();

    void setNotificationsEnabled(boolean enabled);

    boolean startsAtLogin();

    /** Writes or removes the operating system's own start-at-login entry. */
    void setStartAtLogin(boolean enabled);

    /** Where start-at-login is written, for people ("~/.config/autostart/sharemirror.desktop"). */
    String startAtLoginLocation();

    Path logDirectory();

    Path cacheDirectory();

    Path configFile();

    /** Component versions (ShareMirror, Java, SQLite, FlatLaf, OS), in display order. */
    Map<String, String> versions();

    /** Stops syncing in order: running cycles finish (bounded), stores close. */
    void shutdown();
}
