package io.sharemirror.share;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jnr.ffi.Pointer;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

/**
 * A slow, faulty share on one machine (ARCHITECTURE.md#tests): a FUSE filesystem mounted over a folder that passes every
 * operation to a backing folder, after {@link Faults} had its say (latency, errors, down, counting).
 *
 * <p>Nothing is answered from a kernel cache, so every operation a program makes reaches this class as it would reach a
 * server: attribute and lookup caching are off, and files are opened with direct I/O (no page cache) — except
 * SQLite's {@code -shm} files, which WAL maps into memory and FUSE cannot map with direct I/O. POSIX advisory locks
 * are deliberately not implemented: the kernel then keeps them itself, correct between all processes of this machine.
 *
 * <p>A WAL database on the mount must be used from another process (a child JVM, the sqlite3 shell): a page fault on
 * the mapped {@code -shm} file, served by a FUSE thread of the faulting JVM itself, deadlocks that JVM (seen: the
 * fault holds the address-space lock the serving thread needs to allocate). This JVM's opens of {@code -shm} files
 * are refused with EPERM and a message, instead of hanging the test run.
 */
public final class FaultFs extends FuseStubFS implements Share {

    private static final String[] MOUNT_OPTIONS = {"-o", String.join(",",
            "fsname=faultfs", "subtype=faultfs",
            "attr_timeout=0", "entry_timeout=0", "negative_timeout=0", // every stat and lookup reaches us
            "big_writes")}; // one pwrite() is one WRITE, not 4 KiB pieces
    private static final int O_ACCMODE = 3;
    private static final int O_RDONLY = 0;
    private static final int O_EXCL = 0200;
    private static final long UTIME_NOW = (1L << 30) - 1;
    private static final long UTIME_OMIT = (1L << 30) - 2;
    private static final String ATTRIBUTES = "unix:mode,nlink,uid,gid,size,lastAccessTime,lastModifiedTime,ctime";

    private final Path backing;
    private final Path mountPoint;
    private final Faults faults = new Faults();
    private final UnsyncedWrites unsynced = new UnsyncedWrites();
    private final Map<Long, FileChannel> open = new ConcurrentHashMap<>();
    private final AtomicLong nextHandle = new AtomicLong(1);
    private volatile Pointer session; // libfuse's struct fuse, set once the kernel sent INIT; to tell it to exit
    private Thread loop;

    private FaultFs(Path backing, Path mountPoint) {
        this.backing = backing.toAbsolutePath().normalize();
        this.mountPoint = mountPoint.toAbsolutePath().normalize();
    }

    /** Mounts a FaultFs over {@code mountPoint} showing {@code backing}; needs FUSE ({@link Mounts#requireFuse}). */
    public static FaultFs mount(Path backing, Path mountPoint) throws IOException {
        Mounts.requireFuse();
        Files.createDirectories(backing);
        Files.createDirectories(mountPoint);
        FaultFs fs = new FaultFs(backing, mountPoint);
        fs.start();
        return fs;
    }

    public Faults faults() {
        return faults;
    }

    @Override
    public Path folder() {
        return mountPoint;
    }

    /** The backing folder. */
    @Override
    public Path serverFolder() {
        return backing;
    }

    @Override
    public void vanish() {
        faults.down(true);
    }

    @Override
    public void reappear() {
        faults.down(false);
    }

    /** A power cut: every write not yet fsynced is lost (see {@link Faults#loseUnsyncedWrites}). Close the files first. */
    public void powerLoss() {
        unsynced.dropAll();
    }

    private void start() {
        LastResort.register(this);
        loop = new Thread(() -> mount(mountPoint, true, false, MOUNT_OPTIONS), "faultfs " + mountPoint);
        loop.setDaemon(true);
        loop.start();
        try {
            Mounts.await("mounting FaultFs on " + mountPoint, Duration.ofSeconds(10), loop::isAlive,
                    () -> session != null);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Unmounts and waits for the FUSE loop to end. With a file still open the kernel refuses to unmount; then libfuse
     * is told to exit, and one request wakes a worker to notice: its teardown detaches the mount and closes the FUSE
     * device, so the files left open fail with ENOTCONN instead of keeping this JVM's loop (and the JVM) alive.
     */
    @Override
    public void close() {
        faults.clear(); // operations still in flight finish at once
        if (!Mounts.tryUnmount(mountPoint) && session != null) {
            libFuse.fuse_exit(session);
            Files.exists(mountPoint.resolve(".faultfs-wake-up"));
        }
        try {
            loop.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Mounts.detach(mountPoint);
        open.values().forEach(FaultFs::closeQuietly);
        open.clear();
        LastResort.done(this);
    }

    @Override
    public String toString() {
        return "FaultFs " + mountPoint + " over " + backing;
    }

    // ---- FUSE operations: each is counted, delayed and maybe failed by Faults, then done on the backing folder ----

    @Override
    public Pointer init(Pointer conn) {
        session = getContext().fuse.get(); // the kernel sent INIT: the mount is live
        return null;
    }

    @Override
    public int getattr(String path, FileStat stat) {
        return call(Op.GETATTR, path, () -> {
            Map<String, Object> a = Files.readAttributes(file(path), ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            long size = unsynced.size(path, (Long) a.get("size"));
            stat.st_mode.set((Integer) a.get("mode"));
            stat.st_nlink.set((Integer) a.get("nlink"));
            stat.st_uid.set((Integer) a.get("uid"));
            stat.st_gid.set((Integer) a.get("gid"));
            stat.st_size.set(size);
            stat.st_blksize.set(UnsyncedWrites.BLOCK);
            stat.st_blocks.set((size + 511) / 512);
            setTime(stat.st_atim, (FileTime) a.get("lastAccessTime"));
            setTime(stat.st_mtim, (FileTime) a.get("lastModifiedTime"));
            setTime(stat.st_ctim, (FileTime) a.get("ctime"));
            return 0;
        });
    }

    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filler, long offset, FuseFileInfo fi) {
        return call(Op.READDIR, path, () -> {
            filler.apply(buf, ".", null, 0);
            filler.apply(buf, "..", null, 0);
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(file(path))) {
                for (Path entry : entries) {
                    filler.apply(buf, entry.getFileName().toString(), null, 0);
                }
            }
            return 0;
        });
    }

    @Override
    public int mkdir(String path, long mode) {
        return call(Op.MKDIR, path, () -> {
            Files.createDirectory(file(path), permissions(mode));
            return 0;
        });
    }

    @Override
    public int rmdir(String path) {
        return call(Op.RMDIR, path, () -> {
            Files.delete(file(path));
            return 0;
        });
    }

    @Override
    public int unlink(String path) {
        return call(Op.UNLINK, path, () -> {
            Files.delete(file(path));
            unsynced.forget(path);
            return 0;
        });
    }

    @Override
    public int rename(String from, String to) {
        return call(Op.RENAME, from, () -> {
            Files.move(file(from), file(to), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            unsynced.rename(from, to);
            return 0;
        });
    }

    @Override
    public int chmod(String path, long mode) {
        return call(Op.CHMOD, path, () -> {
            Files.setPosixFilePermissions(file(path), permissions(mode).value());
            return 0;
        });
    }

    @Override
    public int chown(String path, long uid, long gid) {
        return call(Op.CHOWN, path, () -> {
            // (uid_t) -1 means "leave as it is"
            if ((int) uid != -1) {
                Files.setAttribute(file(path), "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
            }
            if ((int) gid != -1) {
                Files.setAttribute(file(path), "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
            }
            return 0;
        });
    }

    @Override
    public int utimens(String path, Timespec[] times) {
        return call(Op.UTIMENS, path, () -> {
            Files.getFileAttributeView(file(path), BasicFileAttributeView.class)
                    .setTimes(fileTime(times[1]), fileTime(times[0]), null);
            return 0;
        });
    }

    @Override
    public int statfs(String path, Statvfs stat) {
        return call(Op.STATFS, path, () -> {
            FileStore store = Files.getFileStore(backing);
            stat.f_bsize.set(UnsyncedWrites.BLOCK);
            stat.f_frsize.set(UnsyncedWrites.BLOCK);
            stat.f_blocks.set(store.getTotalSpace() / UnsyncedWrites.BLOCK);
            stat.f_bfree.set(store.getUnallocatedSpace() / UnsyncedWrites.BLOCK);
            stat.f_bavail.set(store.getUsableSpace() / UnsyncedWrites.BLOCK);
            stat.f_namemax.set(255);
            return 0;
        });
    }

    @Override
    public int create(String path, long mode, FuseFileInfo fi) {
        return call(Op.CREATE, path, () -> {
            if (mapsItself(path)) {
                return refuseSelfMapping(path);
            }
            Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
                    (fi.flags.get() & O_EXCL) != 0 ? StandardOpenOption.CREATE_NEW : StandardOpenOption.CREATE);
            return register(path, FileChannel.open(file(path), options, permissions(mode)), fi);
        });
    }

    @Override
    public int open(String path, FuseFileInfo fi) {
        return call(Op.OPEN, path, () -> {
            if (mapsItself(path)) {
                return refuseSelfMapping(path);
            }
            // Always readable: held-back writes are merged with what is on disk (we run as root, as the fixture needs).
            Set<StandardOpenOption> options = (fi.flags.get() & O_ACCMODE) == O_RDONLY
                    ? EnumSet.of(StandardOpenOption.READ)
                    : EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE);
            return register(path, FileChannel.open(file(path), options), fi);
        });
    }

    @Override
    public int read(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
        int fault = faults.enter(Op.READ, path);
        if (fault < 0) {
            return fault;
        }
        return run(() -> {
            byte[] bytes = new byte[(int) size];
            int n = unsynced.read(path, channel(fi), offset, bytes);
            if (fault == Faults.SHORT_READ) {
                n /= 2;
            }
            buf.put(0, bytes, 0, n);
            return n;
        });
    }

    @Override
    public int write(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
        return call(Op.WRITE, path, () -> {
            byte[] bytes = new byte[(int) size];
            buf.get(0, bytes, 0, bytes.length);
            if (holdsBack(path)) {
                unsynced.write(path, channel(fi), offset, bytes);
            } else {
                UnsyncedWrites.writeFully(channel(fi), offset, bytes, bytes.length);
            }
            return bytes.length;
        });
    }

    @Override
    public int truncate(String path, long size) {
        return call(Op.TRUNCATE, path, () -> {
            try (FileChannel channel = FileChannel.open(file(path), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                resize(path, channel, size);
            }
            return 0;
        });
    }

    @Override
    public int ftruncate(String path, long size, FuseFileInfo fi) {
        return call(Op.TRUNCATE, path, () -> {
            resize(path, channel(fi), size);
            return 0;
        });
    }

    @Override
    public int flush(String path, FuseFileInfo fi) {
        return call(Op.FLUSH, path, () -> 0); // every write already reached the backing file (or is held back on purpose)
    }

    @Override
    public int fsync(String path, int isdatasync, FuseFileInfo fi) {
        return call(Op.FSYNC, path, () -> {
            FileChannel channel = channel(fi);
            unsynced.sync(path, channel);
            channel.force(isdatasync == 0);
            return 0;
        });
    }

    @Override
    public int release(String path, FuseFileInfo fi) {
        int fault = faults.enter(Op.RELEASE, path); // counted and reported, but the kernel drops the handle anyway
        FileChannel channel = open.remove(fi.fh.get());
        if (channel != null) {
            closeQuietly(channel);
        }
        return fault;
    }

    // ---- helpers ----

    @FunctionalInterface
    private interface Body {
        int run() throws IOException;
    }

    /** Faults first; then the operation. */
    private int call(Op op, String path, Body body) {
        int fault = faults.enter(op, path);
        return fault != 0 ? fault : run(body);
    }

    /** Does the operation, its Java exception turned back into the errno a filesystem returns. */
    private int run(Body body) {
        // libfuse's threads come without a context class loader; surefire's console capture, first used from one
        // of them, failed to initialise and broke every later System.out of the test JVM.
        Thread.currentThread().setContextClassLoader(FaultFs.class.getClassLoader());
        try {
            return body.run();
        } catch (NoSuchFileException e) {
            return -ErrorCodes.ENOENT();
        } catch (FileAlreadyExistsException e) {
            return -ErrorCodes.EEXIST();
        } catch (DirectoryNotEmptyException e) {
            return -ErrorCodes.ENOTEMPTY();
        } catch (NotDirectoryException e) {
            return -ErrorCodes.ENOTDIR();
        } catch (AccessDeniedException e) {
            return -ErrorCodes.EACCES();
        } catch (IOException e) {
            return -errnoOf(e);
        } catch (RuntimeException e) {
            e.printStackTrace(); // a bug here must not pass for a flaky share
            return -ErrorCodes.EIO();
        }
    }

    /** The backing folder's real errors pass through as themselves when Java's message names them (a full disk). */
    private static int errnoOf(IOException e) {
        String message = String.valueOf(e.getMessage());
        for (Errno errno : Errno.values()) {
            if (message.endsWith(errno.text())) {
                return errno.code;
            }
        }
        return ErrorCodes.EIO();
    }

    private Path file(String path) {
        return backing.resolve(path.substring(1));
    }

    private boolean holdsBack(String path) {
        return unsynced.holds(path) || faults.losesUnsynced(path);
    }

    private void resize(String path, FileChannel channel, long size) throws IOException {
        if (holdsBack(path)) {
            unsynced.truncate(path, channel, size);
        } else if (size < channel.size()) {
            channel.truncate(size);
        } else if (size > channel.size()) {
            UnsyncedWrites.writeFully(channel, size - 1, new byte[1], 1);
        }
    }

    /** Whether this is a WAL index file opened by a thread of this very JVM (FUSE reports the caller's thread id). */
    private boolean mapsItself(String path) {
        return path.endsWith("-shm") && Files.exists(Path.of("/proc/self/task/" + getContext().pid.get()));
    }

    private int refuseSelfMapping(String path) {
        System.err.println("FaultFs refuses " + path + " to its own JVM: WAL's mapped -shm file would deadlock it;"
                + " use WAL databases on this mount from another process");
        return -ErrorCodes.EPERM();
    }

    private int register(String path, FileChannel channel, FuseFileInfo fi) {
        long handle = nextHandle.getAndIncrement();
        open.put(handle, channel);
        fi.fh.set(handle);
        if (!path.endsWith("-shm")) {
            directIo(fi);
        }
        return 0;
    }

    /**
     * Sets fuse_file_info.direct_io, which jnr-fuse 0.5.8 maps wrongly: in libfuse 2.9 the bit field word
     * ({@code direct_io:1, keep_cache:1, ...}) is the int right before {@code uint64_t fh}.
     */
    private static void directIo(FuseFileInfo fi) {
        Pointer memory = fi.fh.getMemory();
        long bits = fi.fh.offset() - Integer.BYTES;
        memory.putInt(bits, memory.getInt(bits) | 1);
    }

    private FileChannel channel(FuseFileInfo fi) throws IOException {
        FileChannel channel = open.get(fi.fh.get());
        if (channel == null) {
            throw new IOException("no open file with handle " + fi.fh.get());
        }
        return channel;
    }

    private static FileAttribute<Set<PosixFilePermission>> permissions(long mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((mode & (1L << (8 - p.ordinal()))) != 0) { // OWNER_READ is 0400 ... OTHERS_EXECUTE is 0001
                set.add(p);
            }
        }
        return PosixFilePermissions.asFileAttribute(set);
    }

    private static void setTime(Timespec spec, FileTime time) {
        Instant t = time.toInstant();
        spec.tv_sec.set(t.getEpochSecond());
        spec.tv_nsec.set(t.getNano());
    }

    private static FileTime fileTime(Timespec spec) {
        long nanos = spec.tv_nsec.longValue();
        if (nanos == UTIME_OMIT) {
            return null;
        }
        return FileTime.from(nanos == UTIME_NOW ? Instant.now() : Instant.ofEpochSecond(spec.tv_sec.get(), nanos));
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // the backing file is local; nothing a test could do about a failed close
        }
    }
}
