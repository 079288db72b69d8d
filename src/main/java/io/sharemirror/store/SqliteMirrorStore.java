package io.sharemirror.store;

import io.sharemirror.sync.CaptureRepair;
import io.sharemirror.sync.Clock;
import io.sharemirror.sync.CloneProgress;
import io.sharemirror.sync.Hub;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.MirrorStore;
import io.sharemirror.sync.PendingWritesException;
import io.sharemirror.sync.ReferenceClock;
import io.sharemirror.sync.ReplacedReplica;
import io.sharemirror.sync.Replica;
import io.sharemirror.sync.Retry;
import io.sharemirror.sync.SchemaChange;
import io.sharemirror.sync.StoreException;
import io.sharemirror.sync.StoreException.Kind;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.tinylog.Logger;

/**
 * Storage for one mirrored database: the hub on the share, the replica in the cache folder.
 *
 * <p>Over 400 lines: it still opens the hub, makes and replaces replica files, syncs schemas and holds the process
 * lock; issue 18 splits those jobs behind a narrow hub port (its list is in docs/ARCHITECTURE.md).
 */
public final class SqliteMirrorStore implements MirrorStore {

    private final String name;
    private final String hubLocation;
    private final Path replicaPath;
    private final Predicate<String> mirrored;
    private final MirrorMode mode;
    private final ConnectionFactory factory;
    private final Cloner cloner;
    private final SchemaSync schema;
    private final int poolSize;
    private final Duration timeout;
    private final Retry retry;
    private final ClockKeeper clock;

    private SqliteHub hub;
    private SqliteReplica replica;
    /** Which file the open replica is (its inode, where the platform has one): another file at the path is not it. */
    private Object replicaIdentity;
    /** The same for the hub connection. */
    private Object hubIdentity;
    private boolean closed;
    /** The replica's schema cookie when capture was last checked; null: check at the next cycle. */
    private Long replicaCookie;

    /** A store whose stamps may lie {@link ReferenceClock#DEFAULT_AHEAD_LIMIT} ahead of reference time. */
    public SqliteMirrorStore(String name, String hubLocation, Path replicaPath, Predicate<String> mirrored,
                             MirrorMode mode, ConnectionFactory factory, int poolSize, Duration timeout, Retry retry) {
        this(name, hubLocation, replicaPath, mirrored, mode, factory, poolSize, timeout, retry,
                new ReferenceClock(Clock.SYSTEM, ReferenceClock.DEFAULT_AHEAD_LIMIT));
    }

    public SqliteMirrorStore(String name, String hubLocation, Path replicaPath, Predicate<String> mirrored,
                             MirrorMode mode, ConnectionFactory factory, int poolSize, Duration timeout, Retry retry,
                             ReferenceClock reference) {
        this.name = name;
        this.hubLocation = hubLocation;
        this.replicaPath = replicaPath;
        this.mirrored = mirrored;
        this.mode = mode;
        this.factory = factory;
        this.cloner = new Cloner(factory, mirrored, mode, name, reference);
        this.schema = new SchemaSync(name, mirrored);
        this.clock = new ClockKeeper(name, reference, this::openReplicaOrNull);
        this.poolSize = poolSize;
        this.timeout = timeout;
        this.retry = retry;
    }

    /** Who hears how the next copies of the hub advance, and may cancel them; {@link CloneProgress#NONE} by default. */
    public void watchClones(CloneProgress watcher) {
        cloner.watch(watcher);
    }

    @Override
    public MirrorMode mode() {
        return mode;
    }

    @Override
    public synchronized Hub hub() {
        ensureOpen();
        if (hub != null && !hubStillThere()) {
            // Reads through an open descriptor keep working after a share is unmounted or moved, or after another file
            // (a backup put back) replaced the hub: one stat per cycle notices, and the next connection opens what is
            // at the path now, or reports the share as unreachable.
            disconnectHub();
        }
        if (hub == null) {
            hub = connectHub();
        }
        return hub;
    }

    @Override
    public synchronized Replica replica() {
        ensureOpen();
        if (replica == null) {
            if (!Files.exists(replicaPath)) {
                cloneHubInto(replicaPath);
            }
            replica = openReplica();
            if (replica.blocked()) {
                Logger.warn("{}: a Clear Cache was interrupted; finishing it", name);
                // The interrupted Clear Cache archived what differed before it copied; a row written since was refused.
                restoreFreshClone(rows -> Logger.warn("{}: {} rows of the replica still differed from the hub when the"
                        + " interrupted Clear Cache was finished", name, rows.size()));
            } else if (mode == MirrorMode.READ_WRITE && replica.madeFor() == MirrorMode.READ_ONLY) {
                // A read-only copy has nothing pending to lose. (The other way round, the read-only cycle's first
                // refresh replaces the replica, and refuses while it holds writes that were never pushed.)
                Logger.info("{}: the replica is a read-only copy and the config now says mode: read-write;"
                        + " replacing it with a fresh clone", name);
                restoreFreshClone(rows -> { }); // a read-only copy holds nothing of this desktop's
            }
        }
        return replica;
    }

    @Override
    public boolean replicaExists() {
        return Files.isRegularFile(replicaPath);
    }

    @Override
    public synchronized Optional<ReplacedReplica> replaceUntrustedReplica() {
        ensureOpen();
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
            Object file = identity(replicaPath);
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
                check = single(replica.rows().connection(), "PRAGMA quick_check");
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
                    single(c, "SELECT node FROM _sm_state"), true);
        } catch (SQLException | RuntimeException e) {
            return new Salvage(List.of(), null, false);
        }
    }

    /** Whether the hub's path still leads to the file the hub connection was made to. */
    private boolean hubStillThere() {
        try {
            Object key = identity(Path.of(hubLocation));
            return key == null || key.equals(hubIdentity); // no file keys (Windows): being there is all we can tell
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The file's key (device and inode on Unix), or null where the platform has none. */
    private static Object identity(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    private void closeReplica() {
        if (replica != null) {
            replica.close();
            replica = null;
        }
    }

    @Override
    public synchronized void disconnectHub() {
        if (hub != null) {
            hub.rows().close();
            hub = null;
        }
    }

    /** See {@link SchemaSync}: what the hub's schema gained reaches the replica; the rest is reported. */
    @Override
    public synchronized SchemaChange syncSchema() {
        SqliteHub h = (SqliteHub) hub();
        SqliteReplica r = (SqliteReplica) replica();
        try {
            Optional<SchemaChange> same = schema.sameDefinitions(h, r);
            if (same.isPresent()) {
                return same.get();
            }
            return schema.run(h, r, instrumentHub(h.rows().connection()));
        } catch (SQLException e) {
            throw SqliteErrors.classify("matching the replica's tables to the hub's", e);
        }
    }

    @Override
    public synchronized CaptureRepair checkCapture() {
        SqliteReplica r = (SqliteReplica) replica();
        long cookie = r.schemaCookie();
        if (mode == MirrorMode.READ_ONLY || Long.valueOf(cookie).equals(replicaCookie)) {
            return new CaptureRepair(false, List.of());
        }
        synchronized (r) {
            try {
                Connection c = r.rows().connection();
                r.rows().tables(Schema.read(c, mirrored));
                r.rows().forgetStatements();
                List<String> repaired = CaptureCheck.repair(c, r.rows().tables());
                replicaCookie = r.schemaCookie();
                // The cookie also moves when the agent's own apply suspended the application's triggers: only a
                // change of the application's objects calls for a schema check, which costs the share.
                return new CaptureRepair(!AgreedSchema.holds(c, mirrored), repaired);
            } catch (SQLException e) {
                throw SqliteErrors.classify("checking the capture triggers of " + replicaPath, e);
            }
        }
    }

    @Override
    public synchronized int recoverUncaptured() {
        SqliteReplica r = (SqliteReplica) replica();
        SqliteHub h = (SqliteHub) hub();
        synchronized (r) {
            // In one read transaction of the hub: its rows and its log are one snapshot.
            return h.within("comparing tables whose capture had stopped with the hub",
                    () -> CaptureRecovery.recover(h.rows(), r));
        }
    }

    @Override
    public synchronized List<String> uncaptured() {
        SqliteReplica r = (SqliteReplica) replica();
        synchronized (r) {
            try {
                return List.copyOf(CaptureCheck.marked(r.rows().connection()).keySet());
            } catch (SQLException e) {
                throw SqliteErrors.classify("reading " + replicaPath, e);
            }
        }
    }

    @Override
    public Closeable exclusive() {
        Path lockFile = replicaPath.resolveSibling(replicaPath.getFileName() + ".lock");
        try {
            FileChannel channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    OwnerOnly.creating());
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return channel::close; // closing the channel releases the lock
                }
                if (System.nanoTime() > deadline) {
                    channel.close();
                    throw new StoreException(Kind.BUSY, name + " is being synced by another ShareMirror process",
                            "wait for it to finish, or stop the other process", null);
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            throw SqliteErrors.classify("locking " + lockFile, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(Kind.FAILED, "interrupted while waiting for " + lockFile, null, e);
        }
    }

    @Override
    public synchronized void recreateReplica(boolean discardPending, Consumer<List<LocalChange>> archive,
                                             Consumer<List<LocalChange>> archiveUncaptured) {
        SqliteReplica r = (SqliteReplica) replica();
        r.block(true);
        try {
            List<LocalChange> pending = r.pending(Integer.MAX_VALUE);
            if (!pending.isEmpty() && !discardPending) {
                throw new PendingWritesException(name, pending.size());
            }
            hub(); // the share must be reachable before anything is archived and dropped
            if (!pending.isEmpty()) {
                archive.accept(pending);
            }
            restoreFreshClone(archiveUncaptured);
        } catch (RuntimeException e) {
            if (replica != null) {
                replica.block(false);
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
                Cloner.copy(target, "restore", fresh);
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
        SqliteHub source = (SqliteHub) hub();
        if (mode == MirrorMode.READ_WRITE) {
            clock.beforeClone(source);
        }
        cloner.cloneInto(source.rows().connection(), hubLocation, target);
    }

    @Override
    public ReferenceClock referenceClock() {
        return clock.reference();
    }

    @Override
    public synchronized void readServerClock() {
        if (mode == MirrorMode.READ_WRITE) {
            ((SqliteHub) hub()).readServerClock();
        }
    }

    private synchronized SqliteReplica openReplicaOrNull() {
        return replica;
    }

    private SqliteHub connectHub() {
        Path file = hubFile();
        Connection c = null;
        try {
            hubIdentity = identity(file); // before the connection: a file put there later is another one
            // A read-only mirror never writes the hub, so it also works with read permission only.
            c = factory.open(file, ConnectionFactory.Kind.HUB, mode == MirrorMode.READ_ONLY
                    ? ConnectionFactory.Access.READ_ONLY : ConnectionFactory.Access.READ_WRITE);
            HubReads.refuseWal(single(c, "PRAGMA journal_mode"), hubLocation);
            if (mode == MirrorMode.READ_WRITE) {
                instrumentHub(c);
            }
            SqliteHub connected = new SqliteHub(new RowIo(c, Schema.read(c, mirrored)), retry, hubLocation,
                    clock.serverClock(file));
            c = null;
            return connected;
        } catch (SQLException e) {
            throw SqliteErrors.classifyHub("opening the hub " + hubLocation, e);
        } catch (IOException e) {
            throw SqliteErrors.classify("opening the hub " + hubLocation, e);
        } finally {
            if (c != null) {
                RowIo.closeQuietly(c);
            }
        }
    }

    /** Where the hub file is, or why it cannot be reached from this machine. */
    private Path hubFile() {
        boolean unc = hubLocation.startsWith("\\\\") || hubLocation.startsWith("//");
        if (unc && !System.getProperty("os.name", "").startsWith("Windows")) {
            throw new StoreException(Kind.OFFLINE, "cannot open the UNC path " + hubLocation + " on this system",
                    "mount the share (cifs, smbnetfs) and set path to the file under the mount point", null);
        }
        Path file = Path.of(hubLocation);
        try {
            if (Files.readAttributes(file, BasicFileAttributes.class).isDirectory()) {
                throw new StoreException(Kind.FAILED, "the hub path " + hubLocation + " is a folder",
                        "set path to the SQLite database file itself", null);
            }
            return file;
        } catch (NoSuchFileException e) {
            // One message whether or not the folder is there; a folder that cannot be read may be a share that is
            // away, so that is retried with the offline backoff.
            throw new StoreException(shareAnswers(file.toAbsolutePath().getParent()) ? Kind.FAILED : Kind.OFFLINE,
                    "the hub " + hubLocation + " does not exist", "check the path, and that the share is mounted;"
                    + " ShareMirror never creates the shared database", null);
        } catch (IOException e) {
            throw unreachable(e.getMessage());
        }
    }

    /**
     * Whether the folder can be listed. A folder that exists is not enough to call a missing file missing: smbnetfs
     * makes up the folder of a share (and the host above it) itself, also while the server is down.
     */
    private static boolean shareAnswers(Path folder) {
        if (folder == null) {
            return false;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            entries.iterator().hasNext();
            return true;
        } catch (IOException | java.nio.file.DirectoryIteratorException e) {
            return false;
        }
    }

    private StoreException unreachable(String why) {
        return new StoreException(Kind.OFFLINE, "the share holding " + hubLocation + " is not reachable (" + why + ")",
                "check the network and that the share is mounted; local writes keep queueing", null);
    }

    /** Installs missing hub objects in one write transaction; returns the hub's schema cookie afterwards. */
    private long instrumentHub(Connection c) throws SQLException {
        Map<String, TableInfo> all = Schema.read(c, t -> true);
        boolean complete = Instrumentation.names(c, "table", Instrumentation.OWN).containsAll(HubLog.TABLE_NAMES)
                && Instrumentation.hasColumn(c, "_sm_log", "cols")
                && Instrumentation.triggersToMake(c, HubLog.triggers(all.values())).isEmpty()
                && RowidGuard.complete(c, all.values());
        if (!complete) {
            retry.onBusy(() -> {
                try (Statement s = c.createStatement()) {
                    s.execute("BEGIN IMMEDIATE");
                    try {
                        HubLog.install(c, Schema.read(c, t -> true).values());
                        s.execute("COMMIT");
                    } catch (SQLException e) {
                        RowIo.rollbackQuietly(c);
                        throw e;
                    }
                } catch (SQLException e) {
                    throw SqliteErrors.classifyHub("installing ShareMirror's log and triggers on " + hubLocation, e);
                }
            });
            Logger.info("{}: installed change logging on the hub for {} tables", name, all.size());
        }
        return Long.parseLong(single(c, "PRAGMA schema_version"));
    }

    private SqliteReplica openReplica() {
        Connection writer = null;
        Connection watcher = null;
        ReadPool readers = null;
        try {
            Object file = identity(replicaPath); // before the connections: a file put there later is another one
            writer = factory.open(replicaPath, ConnectionFactory.Kind.LOCAL);
            String unusable = ReplicaCapture.replicaMode(writer) == null
                    ? "is not a replica ShareMirror finished making (its _sm_state table is missing)" : null;
            String check = unusable == null ? single(writer, "PRAGMA quick_check") : "ok";
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

    static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        }
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
        if (replica != null) {
            replica.close();
            replica = null;
        }
        disconnectHub();
    }
}
