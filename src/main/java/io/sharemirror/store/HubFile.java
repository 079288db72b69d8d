package io.sharemirror.store;

import io.sharemirror.paths.PathShape;
import io.sharemirror.sync.ClockSample;
import io.sharemirror.sync.Hub;
import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.ReferenceClock;
import io.sharemirror.sync.Retry;
import io.sharemirror.sync.StoreException;
import io.sharemirror.sync.StoreException.Kind;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The connection to an SQLite file hub: finds the file on the share, keeps one connection to it (made again when
 * another file is at the path), installs the hub's log ({@link HubLog}) and reads the file server's clock off the
 * hub's journal ({@link ServerClock}). Not thread-safe on its own: {@link SqliteMirrorStore} serializes every call.
 */
final class HubFile implements HubConnection {

    private final String name;
    private final String hubLocation;
    private final Predicate<String> mirrored;
    private final MirrorMode mode;
    private final ConnectionFactory factory;
    private final Retry retry;
    private final ReferenceClock reference;
    private final Consumer<ClockSample> clockSamples;

    private SqliteHub hub;
    /** Which file the hub connection is (its inode, where the platform has one): another file at the path is not it. */
    private Object hubIdentity;

    HubFile(String name, String hubLocation, Predicate<String> mirrored, MirrorMode mode, ConnectionFactory factory,
            Retry retry, ReferenceClock reference, Consumer<ClockSample> clockSamples) {
        this.name = name;
        this.hubLocation = hubLocation;
        this.mirrored = mirrored;
        this.mode = mode;
        this.factory = factory;
        this.retry = retry;
        this.reference = reference;
        this.clockSamples = clockSamples;
    }

    @Override
    public String location() {
        return hubLocation;
    }

    /** The hub connection, made if there is none or the path now leads to another file. */
    @Override
    public Hub hub() {
        if (hub != null && !hubStillThere()) {
            // Reads through an open descriptor keep working after a share is unmounted or moved, or after another file
            // (a backup put back) replaced the hub: one stat per cycle notices, and the next connection opens what is
            // at the path now, or reports the share as unreachable.
            disconnect();
        }
        if (hub == null) {
            hub = connectHub();
        }
        return hub;
    }

    @Override
    public void disconnect() {
        if (hub != null) {
            hub.rows().close();
            hub = null;
        }
    }

    /** Whether the hub's path still leads to the file the hub connection was made to. */
    private boolean hubStillThere() {
        try {
            Object key = FileIdentity.of(Path.of(hubLocation));
            return key == null || key.equals(hubIdentity); // no file keys (Windows): being there is all we can tell
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private SqliteHub connectHub() {
        Path file = hubFile();
        Connection c = null;
        try {
            hubIdentity = FileIdentity.of(file); // before the connection: a file put there later is another one
            // A read-only mirror never writes the hub, so it also works with read permission only.
            c = factory.open(file, ConnectionFactory.Kind.HUB, mode == MirrorMode.READ_ONLY
                    ? ConnectionFactory.Access.READ_ONLY : ConnectionFactory.Access.READ_WRITE);
            HubReads.refuseWal(SingleValue.of(c, "PRAGMA journal_mode"), hubLocation);
            if (mode == MirrorMode.READ_WRITE) {
                HubLog.installMissing(c, retry, name, hubLocation);
            }
            ServerClock serverClock = new ServerClock(file, reference.localClock(), clockSamples, reference::now);
            SqliteHub connected = new SqliteHub(new RowIo(c, Schema.read(c, mirrored)), retry, hubLocation,
                    serverClock, new BackupApi(name, mode), mirrored, name);
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
        if (PathShape.needsMountHere(hubLocation)) {
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
}
