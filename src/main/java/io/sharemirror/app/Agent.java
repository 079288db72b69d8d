package io.sharemirror.app;

import io.sharemirror.config.AppConfig;
import io.sharemirror.config.DatabaseConfig;
import io.sharemirror.platform.AppDirs;
import io.sharemirror.platform.MirrorDecision;
import io.sharemirror.platform.NetworkPaths;
import io.sharemirror.status.ClockSkew;
import io.sharemirror.status.DatabaseStatus;
import io.sharemirror.status.PendingWrite;
import io.sharemirror.status.StatusModel;
import io.sharemirror.status.StatusSnapshot;
import io.sharemirror.store.ConnectionFactory;
import io.sharemirror.store.SqliteMirrorStore;
import io.sharemirror.store.StateStore;
import io.sharemirror.store.pg.PgConnector;
import io.sharemirror.store.pg.PgHubConnection;
import io.sharemirror.sync.ArchivedConflict;
import io.sharemirror.sync.Backoff;
import io.sharemirror.sync.CloneProgress;
import io.sharemirror.sync.Clock;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.Mirror;
import io.sharemirror.sync.ReferenceClock;
import io.sharemirror.sync.Renumbering;
import io.sharemirror.sync.Retry;
import io.sharemirror.sync.SyncEngine;
import io.sharemirror.sync.Waiting;
import io.sharemirror.sync.WayOut;
import io.sharemirror.ui.AgentControl.Pause;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.tinylog.Logger;

/**
 * The composition root: turns a validated config into a running engine, and applies config edits. The verbs and the
 * desktop ask it for what they want done (sync now, set the interval, pause…); its engine, state store, status model
 * and settings stay inside.
 */
final class Agent implements AutoCloseable {

    private final ConnectionFactory factory;
    private final Retry retry;
    private final StateStore state;
    private final StatusModel status = new StatusModel();
    private final SyncEngine engine;
    private final Settings settings;
    private final HubFollower follower;
    private final Map<String, DatabaseConfig> active = new LinkedHashMap<>();
    private final Map<String, Mirror> mirrors = new ConcurrentHashMap<>();
    /** Databases the dashboard is adding, and who watches their first copy. */
    private final Map<String, CloneProgress> firstCopies = new ConcurrentHashMap<>();
    private AppConfig config;
    private boolean closed;

    private Agent(AppConfig config) throws IOException {
        this.config = config;
        AppDirs.ownerOnlyFolder(config.cacheDirectory()); // replicas, conflict archive
        var tuning = config.tuning();
        factory = new ConnectionFactory(tuning.connectionTimeout());
        retry = new Retry(new Backoff(tuning.retryBaseDelay(), tuning.retryMaxDelay(), tuning.maxRetries()), Clock.SYSTEM);
        state = new StateStore(factory, config.cacheDirectory().resolve("state.db"));
        engine = new SyncEngine(status, tuning.threadPoolSize(), tuning.hubPollInterval(), Clock.SYSTEM);
        settings = new Settings(state, engine);
        follower = new HubFollower(config.source());
        config.databases().forEach(this::add);
    }

    static Agent open(AppConfig config) throws IOException {
        return new Agent(config);
    }

    AppConfig config() {
        return config;
    }

    Path replicaPath(String name) {
        return config.replicaPath(name);
    }

    /** Applies an edited config: new, removed and changed databases; interval-only edits without a restart. */
    synchronized void reconfigure(AppConfig next) {
        if (!next.cacheDirectory().equals(config.cacheDirectory()) || !next.tuning().equals(config.tuning())) {
            Logger.warn("cache_directory and tuning changes take effect when ShareMirror restarts");
        }
        for (String name : active.keySet().toArray(String[]::new)) {
            DatabaseConfig now = next.database(name).orElse(null);
            DatabaseConfig before = active.get(name);
            if (now == null) {
                Logger.info("{}: removed from the config; no longer synced (its replica stays)", name);
                engine.remove(name);
                active.remove(name);
                mirrors.remove(name);
                settings.removed(name);
            } else if (sameExceptInterval(before, now)) {
                if (!before.syncInterval().equals(now.syncInterval())) {
                    active.put(name, now);
                    if (mirrors.containsKey(name)) {
                        settings.fileSays(name, now.syncInterval());
                    }
                }
            } else {
                Logger.info("{}: settings changed; restarting its sync", name);
                engine.remove(name);
                active.remove(name);
                add(now);
            }
        }
        next.databases().stream().filter(d -> !active.containsKey(d.name())).forEach(d -> {
            Logger.info("{}: added to the config", d.name());
            add(d);
        });
        config = new AppConfig(next.source(), config.cacheDirectory(), config.tuning(), next.databases());
    }

    private static boolean sameExceptInterval(DatabaseConfig a, DatabaseConfig b) {
        return a.path().equals(b.path()) && a.location().equals(b.location()) && a.enableCache() == b.enableCache()
                && a.policies().equals(b.policies()) && a.mode() == b.mode() && a.tables().equals(b.tables());
    }

    private void add(DatabaseConfig db) {
        MirrorDecision decision = MirrorDecision.decide(db.enableCache(), NetworkPaths.classify(db.location()));
        Path replica = replicaPath(db.name());
        DatabaseStatus initial = DatabaseStatus.initial(db.name(), decision.mirror(), decision.reason(), db.location(),
                db.hubKind(), decision.mirror() ? replica.toString() : null);
        active.put(db.name(), db);
        if (!decision.mirror()) {
            engine.addDirect(initial);
            return;
        }
        ReferenceClock reference = new ReferenceClock(Clock.SYSTEM, config.tuning().maxClockAhead());
        SqliteMirrorStore store = db.postgres()
                .map(address -> new SqliteMirrorStore(db.name(), replica, db.tables()::accepts, db.mode(), factory,
                        config.tuning().connectionPoolSize(), config.tuning().connectionTimeout(), reference,
                        PgHubConnection.maker(address, db.tables()::accepts, db.mode(), PgConnector.ofThisProcess())))
                .orElseGet(() -> new SqliteMirrorStore(db.name(), db.location(), replica, db.tables()::accepts,
                        db.mode(), factory, config.tuning().connectionPoolSize(), config.tuning().connectionTimeout(),
                        retry, reference));
        CloneProgress watcher = firstCopies.remove(db.name());
        if (watcher != null) {
            store.watchClones(watcher);
        }
        Mirror mirror = new Mirror(db.name(), store, db.policies(), state, retry, Clock.SYSTEM, follower);
        mirrors.put(db.name(), mirror);
        engine.add(mirror, settings.starting(db.name(), db.syncInterval()), initial);
    }

    /** {@code watcher} hears how the first copy of {@code name} advances, once the config adds it. */
    void expectFirstCopy(String name, CloneProgress watcher) {
        firstCopies.put(name, watcher);
    }

    /** Idempotent: Quit, the shutdown hook and the verb's own cleanup may all call it. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            engine.close();
            state.close();
        }
    }

    boolean isMirrored(String name) {
        return mirrors.containsKey(Objects.requireNonNull(name));
    }

    /** Writes a conflict's losing version back into the replica as a new local write, and notes it. */
    void restore(ArchivedConflict conflict) {
        Mirror m = mirrors.get(conflict.database());
        if (m == null || !m.store().replicaFile().exists()) {
            throw new IllegalStateException(conflict.database() + " has no replica here any more; nothing to restore into");
        }
        m.store().replica().restore(new Key(conflict.table(), conflict.key()), conflict.loserJson(),
                conflict.columns());
        state.markRestored(conflict.id(), Instant.now());
        // The key is row data, which stays in the cache folder: the log names the conflict instead.
        Logger.info("{}: restored the {} version of a row of {} from the conflict archive (conflict {})",
                conflict.database(), conflict.loserSide(), conflict.table(), conflict.id());
    }

    /** The tray menu's Sync Interval: every mirrored database syncs this often, by {@link Settings}' rule. */
    void setInterval(Duration interval) {
        settings.choose(interval);
    }

    /** A configured database's interval in force and where it comes from; a direct one's is the file's. */
    Settings.Interval interval(String name) {
        return settings.interval(name).orElseGet(() -> Settings.Interval.fromFile(config.database(name)
                .orElseThrow(() -> new IllegalArgumentException("no database named " + name)).syncInterval()));
    }

    /** The interval every mirrored database uses, or empty when they differ. */
    Optional<Duration> commonInterval() {
        return settings.commonInterval();
    }

    Optional<Pause> paused() {
        return settings.paused();
    }

    /** Every database stops syncing until the pause's time, or until {@link #resume()}. */
    void pause(Pause pause) {
        settings.pause(pause);
    }

    void resume() {
        settings.resume();
    }

    boolean notificationsEnabled() {
        return settings.notifications();
    }

    void setNotificationsEnabled(boolean enabled) {
        settings.notifications(enabled);
    }

    /** Starts scheduling: every mirrored database gets a first cycle right away. */
    void start() {
        engine.start();
    }

    List<String> mirroredNames() {
        return engine.names();
    }

    /** Runs a cycle now (after the running one, if any); completes when that cycle ends. */
    CompletableFuture<CycleRecord> syncNow(String name) {
        return engine.syncNow(name);
    }

    /** Pushes first; refuses (PendingWritesException) while writes cannot be pushed unless discarding. */
    CompletableFuture<Void> clearCache(String name, boolean discardPending) {
        return engine.clearCache(name, discardPending);
    }

    /** Pushes what waits (with Clear Cache's guard) and stops syncing {@code name}, before it leaves the config. */
    CompletableFuture<Void> release(String name, boolean discardPending) {
        return engine.release(name, discardPending);
    }

    /** Keep mine, keep theirs or discard, for a change that waits; completes with the cycle that follows. */
    CompletableFuture<CycleRecord> settle(String name, Waiting waiting, WayOut way) {
        return engine.resolve(name, waiting, way);
    }

    /** {@code row} (the one that waits, or the other row of its clash) takes the values typed, by column. */
    CompletableFuture<CycleRecord> rewrite(String name, Waiting waiting, Key row, Map<String, String> values) {
        return engine.rewrite(name, waiting, row, values);
    }

    StatusSnapshot statusSnapshot() {
        return status.snapshot();
    }

    /** {@code listener} hears every status change, on the engine's threads. */
    void subscribe(StatusModel.Listener listener) {
        status.addListener(listener);
    }

    void unsubscribe(StatusModel.Listener listener) {
        status.removeListener(listener);
    }

    List<CycleRecord> history(String database, int limit) {
        return state.history(database, limit);
    }

    Optional<Instant> lastSuccess(String database) {
        return state.lastSuccess(database);
    }

    List<ArchivedConflict> conflicts(String database, int limit) {
        return state.conflicts(database, limit);
    }

    List<Renumbering> renumbered(String database, int limit) {
        return state.renumberings(database, limit);
    }

    long unreviewedConflicts() {
        return state.unreviewedConflicts();
    }

    void markConflictsReviewed() {
        state.markConflictsReviewed(Instant.now());
    }

    /** Why state.db was set aside at start and where it is kept; empty when it was fine. */
    Optional<String> stateSetAside() {
        return state.setAside();
    }

    String sqliteVersion() {
        return state.sqliteVersion();
    }

    /** The oldest writes waiting in the replica, read without touching the share; none without a replica. */
    List<PendingWrite> pendingList(String name, int limit) {
        Mirror m = mirrors.get(name);
        if (m == null || !m.store().replicaFile().exists()) {
            return List.of();
        }
        return m.store().replica().pending(limit).stream().map(p -> new PendingWrite(p.key().table(),
                keyText(p.key().pk()), p.row() == null ? PendingWrite.Change.DELETE : p.inserted()
                ? PendingWrite.Change.INSERT : PendingWrite.Change.UPDATE, Instant.ofEpochMilli(p.ts()))).toList();
    }

    /** A key as its JSON array of values, shown without the brackets: {@code 42}, {@code 7,"north"}. */
    private static String keyText(String json) {
        return json.startsWith("[") && json.endsWith("]") ? json.substring(1, json.length() - 1) : json;
    }

    /** Deletes a removed database's replica and the files SQLite and the agent keep beside it. */
    void deleteReplica(String name) throws IOException {
        if (mirrors.containsKey(name)) {
            throw new IllegalStateException(name + " is still synced; remove it from the config first");
        }
        Path replica = replicaPath(name);
        for (String suffix : List.of("", "-wal", "-shm", ".lock")) {
            Files.deleteIfExists(replica.resolveSibling(replica.getFileName() + suffix));
        }
        Logger.info("{}: deleted its replica {}", name, replica);
    }

    /** This computer's clock against the file server's as last measured, without touching the share; null if never. */
    ClockSkew clockSkew(String name) {
        Mirror m = mirrors.get(name);
        if (m == null || !m.store().replicaFile().exists()) {
            return null;
        }
        m.store().replica(); // opening it reads the offset the agent last measured
        return m.clockSkew();
    }

    /** The changes that wait for a person, oldest first, read without touching the share; none without a replica. */
    List<Waiting> waiting(String name) {
        Mirror m = mirrors.get(name);
        return m == null || !m.store().replicaFile().exists() ? List.of() : m.store().replica().waiting();
    }

    /** Pending writes in the replica without touching the share, or -1 when there is no replica yet. */
    long pendingWrites(String name) {
        Mirror m = mirrors.get(name);
        return m == null || !m.store().replicaFile().exists() ? -1 : m.store().replica().pendingCount();
    }
}
