package io.sharemirror.store;

import io.sharemirror.sync.CloneProgress;
import io.sharemirror.sync.Hub;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.PendingWritesException;
import io.sharemirror.sync.ReplacedReplica;
import io.sharemirror.sync.StoreException;
import io.sharemirror.sync.StoreException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.tinylog.Logger;

/**
 * The replica's files in the cache folder: opens the replica (cloning the hub first when there is none), and makes it
 * a fresh copy of the hub again, in place for Clear Cache or beside an untrusted one that is set aside. Not thread-safe
 * on its own: {@link SqliteMirrorStore} serializes every call.
 */
final class ReplicaFiles {

    private final String name;
    private final Path replicaPath;
    private final Predicate<String> mirrored;
    private final MirrorMode mode;
    private final ConnectionFactory factory;
    private final Cloner cloner;
    private final int poolSize;
    private final Duration timeout;
    private final ClockKeeper clock;
    private final HubConnection hub;

    private SqliteReplica replica;
    /** Which file the open replica is (its inode, where the platform has one): another file at the path is not it. */
    private Object replicaIdentity;

    ReplicaFiles(String name, Path replicaPath, Predicate<String> mirrored, MirrorMode mode, ConnectionFactory factory,
                 int poolSize, Duration timeout, ClockKeeper clock, HubConnection hub) {
        this.name = name;
        this.replicaPath = replicaPath;
        this.mirrored = mirrored;
        this.mode = mode;
        this.factory = factory;
        this.cloner = new Cloner(factory, mirrored, mode, name, clock.reference());
        this.poolSize = poolSize;
        this.timeout = timeout;
        this.clock = clock;
        this.hub = hub;
    }

    /** Who hears how the next copies of the hub advance, and may cancel them. */
    void watchClones(CloneProgress watcher) {
        cloner.watch(watcher);
    }

    /** The replica, opened if needed and cloned from the hub first if it does not exist yet. */
    SqliteReplica replica() {
        if (replica == null) {
            if (!Files.exists(replicaPath)) {
                cloneHubInto(replicaPath);
            }
            replica = openReplica();
            if (replica.state().blocked()) {
                Logger.warn("{}: a Clear Cache was interrupted; finishing it", name);
                // The interrupted Clear Cache archived what differed before it copied; a row written since was refused.
                restoreFreshClone(rows -> Logger.warn("{}: {} rows of the replica still differed from the hub when the"
                        + " interrupted Clear Cache was finished", name, rows.size()));
            } else if (mode == MirrorMode.READ_WRITE && replica.state().madeFor() == MirrorMode.READ_ONLY) {
                // A read-only copy has nothing pending to lose. (The other way round, the read-only cycle's first
                // refresh replaces the replica, and refuses while it holds writes that were never pushed.)
                Logger.info("{}: the replica is a read-only copy and the config now says mode: read-write;"
                        + " replacing it with a fresh clone", name);
                restoreFreshClone(rows -> { }); // a read-only copy holds nothing of this desktop's
            }
        }
        return replica;
    }

    /** The replica if it is open, else null; never opens it. */
    SqliteReplica openOrNull() {
        return replica;
    }

    boolean exists() {
        return Files.isRegularFile(replicaPath);
    }

    /** See {@link io.sharemirror.sync.ReplicaFile#replaceIfUntrusted()}. */
    Optional<ReplacedReplica> replaceUntrusted() {
        String problem = distrust();
        if (problem == null) {
            return Optional.empty();
        }
        Salvage salvage = salvage();
        // The fresh copy is made beside it first: the path is without a replica only for two renames.
        Path fresh = replicaPath.resolveSibling(replicaPath.getFileName() + ".fresh");
        try {
            cloneHubInto(fresh);
        } catch (StoreException e) {
            throw new StoreException(e.kind(), problem + "; it is replaced as soon as a fresh copy of the hub can be"
                    + " made, which failed: " + e.getMessage(), e.hint(), e);
        }
        List<LocalChange> uncaptured = uncapturedAgainst(fresh);
        if (replica != null) {
            try {
                carryRenumbered(fresh);
            } catch (StoreException e) {
                Logger.warn("{}: the notes of renumbered rows stay in the replica set aside: {}", name, e.getMessage());
            }
        }
        closeReplica();
        Path kept;
        try {
            kept = Quarantine.move(replicaPath);
            Files.move(fresh, replicaPath, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StoreException(Kind.FAILED, "moving the untrusted replica " + replicaPath + " aside failed: " + e,
                    "check the cache folder's permissions and free space", e);
        }
        replica = openReplica();
        return Optional.of(new ReplacedReplica(problem + (kept == null ? "" : "; it is kept as " + kept)
                + (salvage.readable() ? "" : "; the writes it held could not be read, they are still in that file"),
                salvage.changes(), uncaptured, salvage.node()));
    }

    /**
     * The replica's rows that a fresh copy of the hub lacks and that are not pending ({@link UncapturedRows}), read
     * through the connection still open on it, else from its file; none when it cannot be read (damaged): its file is
     * kept aside anyway.
     */
    private List<LocalChange> uncapturedAgainst(Path fresh) {
        if (replica != null) {
            synchronized (replica) {
                try {
                    Connection c = replica.rows().connection();
                    return UncapturedRows.find(c, Schema.read(c, mirrored), fresh);
                } catch (SQLException | RuntimeException e) {
                    Logger.warn("{}: could not compare the replica with the hub before replacing it: {}", name,
                            e.getMessage());
                    return List.of();
                }
            }
        }
        try (Connection c = factory.open(replicaPath, ConnectionFactory.Kind.LOCAL, ConnectionFactory.Access.READ_ONLY)) {
            return ReplicaCapture.replicaMode(c) == null ? List.of()
                    : UncapturedRows.find(c, Schema.read(c, mirrored), fresh);
        } catch (SQLException | RuntimeException e) {
            Logger.warn("{}: could not compare the replica with the hub before replacing it: {}", name, e.getMessage());
            return List.of();
        }
    }

    /** Why the replica can no longer be used, as a sentence naming it, or null when it can (or is not made yet). */
    private String distrust() {
        if (replica == null) {
            if (!Files.exists(replicaPath)) {
                return null;
            }
            try {
                replica();
                return null;
            } catch (StoreException e) {
                if (e.kind() == Kind.CORRUPT) {
                    return e.getMessage();
                }
                throw e;
            }
        }
        try {
            Object file = FileIdentity.of(replicaPath);
            if (file != null && !file.equals(replicaIdentity)) {
                return "the replica " + replicaPath + " was replaced by another file while ShareMirror had it open";
            }
        } catch (NoSuchFileException e) {
            return "the replica " + replicaPath + " was deleted while ShareMirror had it open";
        } catch (IOException e) {
            throw SqliteErrors.classify("checking the replica " + replicaPath, e);
        }
        if (replica.foundDamage()) {
            // Confirmed before anything is moved: an error that says "damaged" once is not enough.
            String check;
            try {
                check = SingleValue.of(replica.rows().connection(), "PRAGMA quick_check");
            } catch (SQLException e) {
                check = e.getMessage();
            }
            if (!"ok".equals(check)) {
                return "the replica " + replicaPath + " is damaged (" + Quarantine.checkResult(check) + ")";
            }
        }
        return null;
    }

    /** The writes a replica being replaced held that were never pushed, and the node id they were made under. */
    private record Salvage(List<LocalChange> changes, String node, boolean readable) {
    }

    /** Read through the connection still open on it (a deleted file lives on there), else from its file. */
    private Salvage salvage() {
        if (replica != null) {
            synchronized (replica) {
                try {
                    // Its tables as they are now: a column added by another program since the last cycle holds values too.
                    Connection c = replica.rows().connection();
                    return new Salvage(PendingQueue.oldest(c, Schema.read(c, mirrored), Integer.MAX_VALUE),
                            replica.node(), true);
                } catch (SQLException | RuntimeException e) {
                    return new Salvage(List.of(), replica.node(), false);
                }
            }
        }
        try (Connection c = factory.open(replicaPath, ConnectionFactory.Kind.LOCAL, ConnectionFactory.Access.READ_ONLY)) {
            if (ReplicaCapture.replicaMode(c) == null) {
                return new Salvage(List.of(), null, true); // not a replica: nothing of ShareMirror's is in it
            }
            return new Salvage(PendingQueue.oldest(c, Schema.read(c, mirrored), Integer.MAX_VALUE),
                    SingleValue.of(c, "SELECT node FROM _sm_state"), true);
        } catch (SQLException | RuntimeException e) {
            return new Salvage(List.of(), null, false);
        }
    }

    private void closeReplica() {
        if (replica != null) {
            replica.close();
            replica = null;
        }
    }

    /** See {@link io.sharemirror.sync.ReplicaFile#recreate}. */
    void recreate(boolean discardPending, Consumer<List<LocalChange>> archive,
                  Consumer<List<LocalChange>> archiveUncaptured) {
        SqliteReplica r = replica();
        r.state().block(true);
        try {
            List<LocalChange> pending = r.pending(Integer.MAX_VALUE);
            if (!pending.isEmpty() && !discardPending) {
                throw new PendingWritesException(name, pending.size());
            }
            hub.hub(); // the hub must be reachable before anything is archived and dropped
            if (!pending.isEmpty()) {
                archive.accept(pending);
            }
            restoreFreshClone(archiveUncaptured);
        } catch (RuntimeException e) {
            if (replica != null) {
                replica.state().block(false);
            }
            throw e;
        }
    }

    /**
     * Copies a fresh clone over the replica with the backup API, so open connections see the new contents: in one
     * write transaction, so a reader sees the old copy or the new one, never a mix. (Never a rename over the live
     * file: its readers would stay on the old one, and its -wal and -shm would be paired with the new.) Before, the
     * rows of the replica the copy lacks and that are not pending go to {@code archiveUncaptured}.
     */
    private void restoreFreshClone(Consumer<List<LocalChange>> archiveUncaptured) {
        Path fresh = replicaPath.resolveSibling(replicaPath.getFileName() + ".fresh");
        cloneHubInto(fresh);
        List<LocalChange> uncaptured = uncapturedAgainst(fresh);
        if (!uncaptured.isEmpty()) {
            archiveUncaptured.accept(uncaptured);
        }
        carryRenumbered(fresh);
        try {
            replica.close();
            replica = null;
            try (Connection target = factory.open(replicaPath, ConnectionFactory.Kind.LOCAL)) {
                BackupApi.copy(target, "restore", fresh);
            }
            Files.deleteIfExists(fresh);
        } catch (SQLException e) {
            throw SqliteErrors.classify("replacing the replica " + replicaPath, e);
        } catch (IOException e) {
            throw SqliteErrors.classify("removing " + fresh, e);
        }
        replica = openReplica();
    }

    /**
     * Applications look up the rows the agent renumbered in the replica's {@code _sm_renumbered} ({@link RenumberedRows}):
     * a fresh copy that replaces the replica gets them first.
     */
    private void carryRenumbered(Path fresh) {
        synchronized (replica) {
            try (Connection to = factory.open(fresh, ConnectionFactory.Kind.LOCAL)) {
                RenumberedRows.carry(replica.rows().connection(), to);
            } catch (SQLException e) {
                throw SqliteErrors.classify("copying the notes of renumbered rows into " + fresh, e);
            }
        }
    }

    /** A fresh copy of the hub, whose clock starts at reference time: the server's clock is read first if due. */
    private void cloneHubInto(Path target) {
        Hub source = hub.hub();
        if (mode == MirrorMode.READ_WRITE) {
            clock.beforeClone(source);
        }
        cloner.cloneInto(source, hub.location(), target);
    }

    private SqliteReplica openReplica() {
        Connection writer = null;
        Connection watcher = null;
        ReadPool readers = null;
        try {
            Object file = FileIdentity.of(replicaPath); // before the connections: a file put there later is another one
            writer = factory.open(replicaPath, ConnectionFactory.Kind.LOCAL);
            String unusable = ReplicaCapture.replicaMode(writer) == null
                    ? "is not a replica ShareMirror finished making (its _sm_state table is missing)" : null;
            String check = unusable == null ? SingleValue.of(writer, "PRAGMA quick_check") : "ok";
            if (unusable != null || !"ok".equals(check)) {
                throw new StoreException(Kind.CORRUPT, "the replica " + replicaPath + " "
                        + (unusable != null ? unusable : "fails its integrity check (" + Quarantine.checkResult(check) + ")"),
                        SqliteReplica.DAMAGED_HINT, null);
            }
            ReplicaCapture.upgrade(writer, Schema.read(writer, mirrored).values());
            watcher = factory.open(replicaPath, ConnectionFactory.Kind.LOCAL);
            readers = new ReadPool(factory, replicaPath, poolSize, timeout);
            SqliteReplica opened = new SqliteReplica(new RowIo(writer, Schema.read(writer, mirrored)), readers, watcher,
                    replicaPath.toString(), new AheadStamps(name, clock.reference()));
            replicaIdentity = file;
            clock.opened(opened);
            return opened;
        } catch (SQLException | IOException | RuntimeException e) {
            if (writer != null) {
                RowIo.closeQuietly(writer);
            }
            if (watcher != null) {
                RowIo.closeQuietly(watcher);
            }
            if (readers != null) {
                readers.close();
            }
            if (e instanceof IOException io) {
                throw SqliteErrors.classify("opening the replica " + replicaPath, io);
            }
            if (!(e instanceof SQLException sql)) {
                throw (RuntimeException) e;
            }
            StoreException failed = SqliteErrors.classify("opening the replica " + replicaPath, sql);
            throw failed.kind() != Kind.CORRUPT ? failed : new StoreException(Kind.CORRUPT, "the replica " + replicaPath
                    + " is damaged: " + sql.getMessage(), SqliteReplica.DAMAGED_HINT, e);
        }
    }

    void close() {
        closeReplica();
    }
}
