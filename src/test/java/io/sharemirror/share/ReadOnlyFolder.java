package io.sharemirror.share;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A folder nobody may write to, not even root: a read-only bind mount of the folder over itself (root ignores file
 * permissions, and CI runs as root). For another user, taking away the write permission does the same. Writes fail
 * with EROFS or EACCES, as on a share this user may only read. {@link #close()} makes it writable again.
 */
public final class ReadOnlyFolder implements AutoCloseable {

    private final Path folder;
    private final Set<PosixFilePermission> permissionsBefore;

    private ReadOnlyFolder(Path folder, Set<PosixFilePermission> permissionsBefore) {
        this.folder = folder;
        this.permissionsBefore = permissionsBefore;
    }

    /** Makes the existing {@code folder} read-only until {@link #close()}. */
    public static ReadOnlyFolder of(Path folder) {
        Path dir = folder.toAbsolutePath().normalize();
        try {
            if (!isRoot()) {
                Set<PosixFilePermission> before = Files.getPosixFilePermissions(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
                return new ReadOnlyFolder(dir, before);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run("mount", "--bind", dir.toString(), dir.toString());
        ReadOnlyFolder mounted = new ReadOnlyFolder(dir, null);
        LastResort.register(mounted);
        try {
            // A bind mount takes the flags of the mount it copies; read-only needs a remount of the bind.
            run("mount", "-o", "remount,bind,ro", dir.toString());
        } catch (RuntimeException e) {
            mounted.close();
            throw e;
        }
        return mounted;
    }

    /** Writable again: unmounts (lazily if a test left a file open there) or restores the permissions. */
    @Override
    public void close() {
        try {
            if (permissionsBefore != null) {
                Files.setPosixFilePermissions(folder, permissionsBefore);
                return;
            }
            Command.run("umount", folder.toString());
            Mounts.detach(folder); // only if umount refused: a test left a file open there
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            LastResort.done(this);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(String... argv) {
        Command c = Command.run(argv);
        if (!c.ok()) {
            throw new IllegalStateException(c.toString());
        }
    }

    @Override
    public String toString() {
        return "read-only " + folder;
    }
}
