package io.sharemirror.store;

import io.sharemirror.paths.PathShape;
import io.sharemirror.status.FileCheck;
import io.sharemirror.status.FileCheck.Finding;
import io.sharemirror.status.FileCheck.Topic;
import io.sharemirror.status.FileCheck.Verdict;
import io.sharemirror.status.Sizes;
import io.sharemirror.sync.MirrorMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Add Database dialog's live checks of a file the agent does not have open yet, read-only and without a lock held
 * past a query: is it there, is it an SQLite database, not in WAL mode, may this user write it, how big is it, which
 * tables does it have and which of them ShareMirror cannot mirror, and why. Each answer is a sentence for people.
 *
 * <p>The header is read with a plain file read: the caller makes sure the agent does not have the file open (closing
 * a second descriptor would drop the agent's locks on it), which holds for a file not in the config.
 */
public final class FileInspector {

    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 100;
    private static final int WAL_FORMAT = 2;

    private FileInspector() {
    }

    /** Every finding about {@code location} for a database mirrored in {@code mode}; never throws. */
    public static FileCheck inspect(String location, MirrorMode mode, Duration busyTimeout) {
        List<Finding> found = new ArrayList<>();
        Path file = reachable(location, found);
        if (file == null) {
            return new FileCheck(found);
        }
        byte[] header = header(file, found);
        if (header == null) {
            return new FileCheck(found);
        }
        access(file, mode, found);
        boolean wal = header[18] == WAL_FORMAT;
        found.add(wal ? new Finding(Topic.JOURNAL, Verdict.PROBLEM, "in WAL mode, which does not work on a network"
                + " share; when nobody has it open, switch it back with `sqlite3 " + location
                + " 'PRAGMA journal_mode=DELETE'`")
                : new Finding(Topic.JOURNAL, Verdict.GOOD, "rollback journal (not WAL): right for a share"));
        tables(file, busyTimeout, wal, found);
        return new FileCheck(found);
    }

    /** The file, or null after saying why it cannot be reached. */
    private static Path reachable(String location, List<Finding> found) {
        if (PathShape.needsMountHere(location)) {
            found.add(new Finding(Topic.REACHABLE, Verdict.PROBLEM, "a \\\\server\\share path cannot be opened on this"
                    + " system; mount the share and choose the file under its mount point (such as /mnt/share/app.db)"));
            return null;
        }
        Path file = Path.of(location);
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                found.add(new Finding(Topic.REACHABLE, Verdict.PROBLEM, "this is a folder; choose the database file in it"));
                return null;
            }
            found.add(new Finding(Topic.REACHABLE, Verdict.GOOD, "the file is there"));
            found.add(new Finding(Topic.SIZE, Verdict.NOTE, Sizes.bytes(attributes.size())
                    + " (the first copy brings all of it to this computer)"));
            return file;
        } catch (NoSuchFileException e) {
            found.add(new Finding(Topic.REACHABLE, Verdict.PROBLEM, missing(file)));
        } catch (IOException e) {
            found.add(new Finding(Topic.REACHABLE, Verdict.PROBLEM, "the share cannot be reached (" + e.getMessage()
                    + ") — check the network and that the share is mounted"));
        }
        return null;
    }

    /**
     * One message for a missing file whether or not its folder is there: on a share that is not mounted the folder
     * is missing too, and on smbnetfs a share's folder exists even while its server is down.
     */
    static String missing(Path file) {
        return "there is no file " + file.getFileName() + " in " + file.toAbsolutePath().getParent()
                + (folderAnswers(file.toAbsolutePath().getParent()) ? "" : " (nor can that folder be read)")
                + " — check the path, and that the share is mounted; ShareMirror never creates the shared database";
    }

    private static boolean folderAnswers(Path folder) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            entries.iterator().hasNext();
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The first 100 bytes, or null after saying why this is not an SQLite database. */
    private static byte[] header(Path file, List<Finding> found) {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (header.hasRemaining() && channel.read(header) >= 0) {
                // read on: a share may return the header in pieces
            }
        } catch (IOException e) {
            found.add(new Finding(Topic.SQLITE, Verdict.PROBLEM, "it cannot be read (" + e.getMessage() + ") — check"
                    + " that this user may read it"));
            return null;
        }
        byte[] bytes = header.array();
        boolean sqlite = header.position() == HEADER;
        for (int i = 0; sqlite && i < MAGIC.length; i++) {
            sqlite = bytes[i] == MAGIC[i];
        }
        if (!sqlite) {
            found.add(new Finding(Topic.SQLITE, Verdict.PROBLEM, header.position() == 0
                    ? "the file is empty (0 bytes): not an SQLite database — check the path"
                    : "not an SQLite database — check the path (it does not start the way every SQLite file does)"));
            return null;
        }
        found.add(new Finding(Topic.SQLITE, Verdict.GOOD, "an SQLite database"));
        return bytes;
    }

    /**
     * Read-write mirroring writes the hub and its journal: the file and its folder must be writable. The file is
     * opened for writing (and closed, writing nothing): a share that may only be read can still say "writable" to a
     * permission check (smbnetfs does, for a share whose server refuses writes).
     */
    private static void access(Path file, MirrorMode mode, List<Finding> found) {
        boolean writable = opensForWriting(file) && Files.isWritable(file.toAbsolutePath().getParent());
        if (mode == MirrorMode.READ_ONLY) {
            found.add(new Finding(Topic.ACCESS, Verdict.GOOD, writable ? "writable for this user; mode read-only"
                    + " leaves it as it is" : "read-only for this user: fine for mode read-only"));
        } else if (writable) {
            found.add(new Finding(Topic.ACCESS, Verdict.GOOD, "writable for this user (the file and its folder)"));
        } else {
            found.add(new Finding(Topic.ACCESS, Verdict.PROBLEM, "read-only for this user: syncing both ways needs"
                    + " to write the file and its folder; choose Mode: read-only for a copy that follows the share,"
                    + " or ask for write access"));
        }
    }

    private static boolean opensForWriting(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            return channel.isOpen();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The tables, and those that cannot be mirrored with the reason. A WAL file on a share often cannot be opened (no
     * shared memory there): then its tables go unmentioned, the journal finding says what to do first.
     */
    private static void tables(Path file, Duration busyTimeout, boolean wal, List<Finding> found) {
        List<String> mirrored = new ArrayList<>();
        List<String> not = new ArrayList<>();
        boolean prepared = false;
        boolean replica = false;
        try (Connection c = new ConnectionFactory(busyTimeout).open(file, ConnectionFactory.Kind.HUB,
                ConnectionFactory.Access.READ_ONLY);
             PreparedStatement s = c.prepareStatement("SELECT name, type FROM pragma_table_list WHERE schema = 'main'"
                     + " AND type IN ('table', 'virtual') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                String name = r.getString(1);
                if (name.startsWith("_sm_")) {
                    prepared |= name.equals("_sm_log");
                    replica |= name.equals("_sm_state");
                    if (!HubLog.TABLE_NAMES.contains(name)) {
                        not.add(name + " (names starting with _sm_ are ShareMirror's own)");
                    }
                } else if (r.getString(2).equals("virtual")) {
                    not.add(name + " (a virtual table, such as full-text search: its rows live in other tables)");
                } else {
                    String why = unkeyed(c, name);
                    if (why == null) {
                        mirrored.add(name);
                    } else {
                        not.add(name + " (" + why + ")");
                    }
                }
            }
        } catch (SQLException e) {
            if (!wal) {
                found.add(new Finding(Topic.TABLES, Verdict.PROBLEM, "its tables cannot be read: " + e.getMessage()));
            }
            return;
        }
        if (replica) {
            found.add(new Finding(Topic.TABLES, Verdict.PROBLEM, "this is a ShareMirror replica (a copy on a computer),"
                    + " not the database on the share — choose the file on the share"));
            return;
        }
        found.add(new Finding(Topic.TABLES, mirrored.isEmpty() ? Verdict.PROBLEM : Verdict.GOOD,
                mirrored.isEmpty() ? "no tables to mirror" : mirrored.size() + (mirrored.size() == 1 ? " table: "
                : " tables: ") + String.join(", ", mirrored) + (prepared ? " (another computer already mirrors it:"
                + " ShareMirror's change log is there)" : "")));
        if (!not.isEmpty()) {
            found.add(new Finding(Topic.NOT_MIRRORED, Verdict.NOTE, "not mirrored: " + String.join("; ", not)));
        }
    }

    /** Why a table's rows cannot be told apart, or null when they can (its key, or its rowid). */
    private static String unkeyed(Connection c, String table) throws SQLException {
        try {
            Schema.read(c, table::equals);
            return null;
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("cannot be identified")) {
                return "no primary key, and columns named rowid, _rowid_ and oid hide its row ids";
            }
            throw e;
        }
    }
}
