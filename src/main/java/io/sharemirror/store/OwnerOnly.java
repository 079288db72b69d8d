package io.sharemirror.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files in the cache folder that only their owner may read: replicas, state.db, lock files. SQLite gives the files it
 * makes next to a database (-wal, -shm, -journal) the database file's mode, so a database made owner-only before
 * SQLite first opens it stays that way with all its companions.
 */
final class OwnerOnly {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /** The attribute that creates a file owner-only; none on Windows, where the profile folders' ACLs are private. */
    static FileAttribute<?>[] creating() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(MODE)} : new FileAttribute<?>[0];
    }

    /** Creates {@code file} empty and owner-only, or makes an existing one owner-only (one made by an older version). */
    static void prepare(Path file) throws IOException {
        try {
            Files.createFile(file, creating());
        } catch (FileAlreadyExistsException e) {
            if (POSIX && !Files.getPosixFilePermissions(file).equals(MODE)) {
                Files.setPosixFilePermissions(file, MODE);
            }
        }
    }
}
