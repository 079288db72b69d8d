package io.sharemirror.store;

import io.sharemirror.sync.Capture;
import io.sharemirror.sync.CaptureRepair;
import io.sharemirror.sync.Clock;
import io.sharemirror.sync.CloneProgress;
import io.sharemirror.sync.Hub;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.MirrorStore;
import io.sharemirror.sync.ReferenceClock;
import io.sharemirror.sync.ReplacedReplica;
import io.sharemirror.sync.Replica;
import io.sharemirror.sync.ReplicaFile;
import io.sharemirror.sync.Retry;
import io.sharemirror.sync.SchemaChange;
import io.sharemirror.sync.StoreException;
import io.sharemirror.sync.StoreException.Kind;
import java.io.Closeable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Storage for one mirrored database: the replica in the cache folder ({@link ReplicaFiles}), its capture
 * ({@link CaptureKeeper}), the schema check between it and the hub ({@link SchemaSync}), the process lock
 * ({@link ProcessLock}) and the hub, of whatever kind, through its {@link HubConnection} ({@link HubFile} for an SQLite
 * file on a share). Named for its own side, which is SQLite whatever the hub: the replica, its capture and the first
 * copy are SQLite files. Every call is serialized on this store, so the rooms need no locks of their own.
 */
public final class SqliteMirrorStore implements MirrorStore {

    private final String name;
    private final MirrorMode mode;
    private final ClockKeeper clock;
    private final HubConnection hubConnection;
    private final ReplicaFiles replicas;
    private final CaptureKeeper captureKeeper;
    private final ProcessLock lock;
    private final SchemaSync schema;
    private boolean closed;

    /** A store whose stamps may lie {@link ReferenceClock#DEFAULT_AHEAD_LIMIT} ahead of reference time. */
    public SqliteMirrorStore(String name, String hubLocation, Path replicaPath, Predicate<String> mirrored,
                             MirrorMode mode, ConnectionFactory factory, int poolSize, Duration timeout, Retry retry) {
        this(name, hubLocation, replicaPath, mirrored, mode, factory, poolSize, timeout, retry,
                new ReferenceClock(Clock.SYSTEM, ReferenceClock.DEFAULT_AHEAD_LIMIT));
    }

    /** A store whose hub is the SQLite file at {@code hubLocation}. */
    public SqliteMirrorStore(String name, String hubLocation, Path replicaPath, Predicate<String> mirrored,
                             MirrorMode mode, ConnectionFactory factory, int poolSize, Duration timeout, Retry retry,
                             ReferenceClock reference) {
        this(name, replicaPath, mirrored, mode, factory, poolSize, timeout, reference, (referenceClock, clockSamples) ->
                new HubFile(name, hubLocation, mirrored, mode, factory, retry, referenceClock, clockSamples));
    }

    /** A store whose hub connection {@code hub} makes, for a hub of any kind. */
    public SqliteMirrorStore(String name, Path replicaPath, Predicate<String> mirrored, MirrorMode mode,
                             ConnectionFactory factory, int poolSize, Duration timeout, ReferenceClock reference,
                             HubConnection.Maker hub) {
        this.name = name;
        this.mode = mode;
        this.clock = new ClockKeeper(name, reference, this::openReplicaOrNull);
        this.hubConnection = hub.make(reference, clock::sampled);
        this.replicas = new ReplicaFiles(name, replicaPath, mirrored, mode, factory, poolSize, timeout, clock,
                hubConnection);
        this.captureKeeper = new CaptureKeeper(replicaPath, mirrored, mode);
        this.lock = new ProcessLock(name, replicaPath, timeout);
        this.schema = new SchemaSync(mirrored);
    }

    /** Who hears how the next copies of the hub advance, and may cancel them; {@link CloneProgress#NONE} by default. */
    public void watchClones(CloneProgress watcher) {
        replicas.watchClones(watcher);
    }

    @Override
    public MirrorMode mode() {
        return mode;
    }

    @Override
    public synchronized Hub hub() {
        return connectedHub();
    }

    @Override
    public synchronized Replica replica() {
        return sqliteReplica();
    }

    private Hub connectedHub() {
        ensureOpen();
        return hubConnection.hub();
    }

    private SqliteReplica sqliteReplica() {
        ensureOpen();
        return replicas.replica();
    }

    @Override
    public synchronized void disconnectHub() {
        hubConnection.disconnect();
    }

    /** Its calls are serialized on this store, as every other. */
    @Override
    public ReplicaFile replicaFile() {
        return new ReplicaFile() {
            @Override
            public boolean exists() {
                return replicas.exists();
            }

            @Override
            public void recreate(boolean discardPending, Consumer<List<LocalChange>> archive,
                                 Consumer<List<LocalChange>> archiveUncaptured) {
                synchronized (SqliteMirrorStore.this) {
                    ensureOpen();
                    replicas.recreate(discardPending, archive, archiveUncaptured);
                }
            }

            @Override
            public Optional<ReplacedReplica> replaceIfUntrusted() {
                synchronized (SqliteMirrorStore.this) {
                    ensureOpen();
                    return replicas.replaceUntrusted();
                }
            }
        };
    }

    /** Its calls are serialized on this store, as every other. */
    @Override
    public Capture capture() {
        return new Capture() {
            @Override
            public CaptureRepair check() {
                synchronized (SqliteMirrorStore.this) {
                    return captureKeeper.check(sqliteReplica());
                }
            }

            @Override
            public int recover() {
                synchronized (SqliteMirrorStore.this) {
                    SqliteReplica r = sqliteReplica();
                    return captureKeeper.recover(r, connectedHub());
                }
            }

            @Override
            public List<String> uncaptured() {
                synchronized (SqliteMirrorStore.this) {
                    return captureKeeper.uncaptured(sqliteReplica());
                }
            }
        };
    }

    @Override
    public synchronized SchemaChange syncSchema() {
        Hub h = connectedHub();
        return schema.sync(h.schema(), sqliteReplica());
    }

    @Override
    public Closeable exclusive() {
        return lock.take();
    }

    @Override
    public ReferenceClock referenceClock() {
        return clock.reference();
    }

    private synchronized SqliteReplica openReplicaOrNull() {
        return replicas.openOrNull();
    }

    /** A removed database must not reopen connections through a late request. */
    private void ensureOpen() {
        if (closed) {
            throw new StoreException(Kind.FAILED, name + " is no longer configured", null, null);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        replicas.close();
        hubConnection.disconnect();
    }
}
