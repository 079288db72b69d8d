package io.sharemirror.share;

import io.sharemirror.Requirements;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A real small filesystem, a tmpfs of a fixed size mounted over a folder, that a test fills to the last byte and frees
 * again: a full disk, on this machine (a cache folder) or on a share's server (the folder a {@link FaultFs} or smbd
 * serves). Needs root (see {@link Requirements}).
 */
public final class SmallDisk implements AutoCloseable {

    private final Path mountPoint;
    private final Path filler;

    private SmallDisk(Path mountPoint) {
        this.mountPoint = mountPoint.toAbsolutePath().normalize();
        this.filler = this.mountPoint.resolve(".small-disk-filler");
    }

    public static SmallDisk mount(Path mountPoint, long bytes) throws IOException {
        Requirements.requireRoot("mounting a tmpfs needs root");
        Files.createDirectories(mountPoint);
        SmallDisk disk = new SmallDisk(mountPoint);
        Command mount = Command.run("mount", "-t", "tmpfs", "-o", "size=" + bytes + ",mode=0700", "sharemirror-small-disk",
                disk.mountPoint.toString());
        if (!mount.ok()) {
            throw new IllegalStateException("cannot mount a tmpfs: " + mount);
        }
        LastResort.register(disk);
        return disk;
    }

    public Path folder() {
        return mountPoint;
    }

    /** Takes every free byte with a file of its own (until the write fails with ENOSPC); returns how many it took. */
    public long fill() throws IOException {
        long taken = 0;
        try (FileChannel out = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            for (int chunk = 1 << 20; chunk > 0; chunk /= 2) {
                ByteBuffer bytes = ByteBuffer.allocate(chunk);
                while (true) {
                    try {
                        bytes.clear();
                        taken += out.write(bytes);
                    } catch (IOException e) {
                        if (!String.valueOf(e.getMessage()).contains(Errno.ENOSPC.text())) {
                            throw e;
                        }
                        break;
                    }
                }
            }
        }
        return taken;
    }

    /** Gives back what {@link #fill} took. */
    public void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    @Override
    public void close() {
        if (Mounts.isMounted(mountPoint) && !Command.run("umount", mountPoint.toString()).ok()) {
            Mounts.detach(mountPoint); // a file left open by a failed test
        }
        LastResort.done(this);
    }

    @Override
    public String toString() {
        return "SmallDisk " + mountPoint;
    }
}
