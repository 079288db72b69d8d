package io.sharemirror.sync;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The narrow hub port: every verb the engine needs from the shared database, whatever holds it. Reads
 * ({@link HubReader}: probe, changes since a cursor, rows by key, clashes, free keys), one write path (a push: a batch
 * applied in one transaction, {@link #beginPush()}), change detection ({@link #version()}), loss checks
 * ({@link #notLanded}, {@link #logEntries}, {@link #reportDamage}), a table whole with its log for a replica's
 * capture recovery ({@link #tableSnapshot}), the server's clock ({@link #readServerClock()}) and
 * the snapshot a replica's first copy starts from ({@link #snapshotInto}); its schema verbs are {@link #schema()}'s.
 * The schema is brought together with the replica's through {@link MirrorStore#syncSchema()}.
 *
 * <p>Errors are {@link StoreException}s: BUSY is retried by the engine, OFFLINE means the hub cannot be reached now.
 * After a failure the engine drops the connection ({@link MirrorStore#disconnectHub()}) and asks for a new one.
 */
public interface Hub extends HubReader {

    /**
     * Begins a push: takes the hub's write lock, so the reads of the returned transaction and its writes are one
     * atomic step that no other writer interleaves. Nothing is visible to others until
     * {@link PushTransaction#commit()}; closing the transaction without it rolls everything back. The returned
     * transaction must be closed.
     */
    PushTransaction beginPush();

    /**
     * A number that changes whenever anyone commits to the hub: the read-only mirror's idle check. Only values from
     * the same Hub object compare; a reconnected hub starts a new series.
     */
    long version();

    /**
     * Which of these versions, pushed by {@code node} after log entry {@code after}, are not on the hub as pushed (as
     * read from the file, not from a cache): one line each saying what is wrong. Empty when all landed.
     */
    List<String> notLanded(List<LocalChange> pushed, String node, long after);

    /**
     * The log entries at these positions, each as text that changes when the entry does; positions with no entry are
     * left out. {@code fromFile}: read past the connection's cache, which a commit that lying locks let overlap ours
     * can leave looking valid.
     */
    Map<Long, String> logEntries(Set<Long> seqs, boolean fromFile);

    /**
     * One table whole, in one read snapshot with the log: every row, and each key the log names after {@code after}
     * with whether one of those entries made a row there. A key's entries up to its sequence in {@code applied} are
     * left out, as {@link #changes} leaves them out (a pull cut short applied them already). For a replica whose
     * capture had stopped, to tell what it wrote meanwhile from what others did ({@link Capture#recover()}); both
     * come from one snapshot, so every row state read is covered by the log entries read. Null when the hub does not
     * sync the table (it has none, or the schema check left it out).
     */
    TableSnapshot tableSnapshot(String table, long after, Map<Key, Long> applied);

    /** Records on the hub that {@code node} found committed changes gone from it: every agent's probe sees it. */
    void reportDamage(String node, String what);

    /**
     * Reads the file server's clock into {@link MirrorStore#referenceClock()} with a tiny write of the agent's own on
     * the hub that no other agent pulls (a push reads it anyway): for when none was read for a while. It writes, so
     * only a read-write mirror calls it; a read-only mirror stamps nothing.
     */
    void readServerClock();

    /**
     * Writes one consistent snapshot of the hub into a new SQLite database file at {@code target}, for the first copy
     * of a replica: the application's tables, indexes, views and triggers with their rows, and the hub's log
     * ({@code _sm_log}, {@code _sm_rowids}, ARCHITECTURE.md#files-and-tables), which the copy then turns into the
     * replica's starting cursor and clock. A hub that is an SQLite file copies itself; another kind writes the same
     * tables by its own means. {@code progress} hears how the copy advances; when it answers false, nothing of the copy
     * is kept and this fails (FAILED, "the first copy of ... was cancelled").
     *
     * @return the hub's schema version as of the snapshot or before it: a change in between only costs one extra
     *         schema check
     */
    long snapshotInto(Path target, CloneProgress progress);

    /** The hub's schema verbs, for one schema check ({@link MirrorStore#syncSchema()}). */
    HubSchema schema();
}
