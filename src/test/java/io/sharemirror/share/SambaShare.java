package io.sharemirror.share;

import io.sharemirror.Requirements;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real SMB share on one machine (ARCHITECTURE.md#tests): Debian's smbd on 127.0.0.1 and a free port, with its own config and
 * state under one folder, mounted with smbnetfs (FUSE). {@link #stopServer()} makes the share vanish the way a server
 * or VPN going away does; {@link #startServer()} brings it back on the same port and mount.
 *
 * <p>What experiments on Samba 4.17 and smbnetfs 0.6.3 showed, and what the settings below answer:
 * <ul>
 * <li>smbnetfs ignores the client's {@code smb ports}, but a path component {@code host:port} works, so every
 *     fixture has a port of its own and none needs 445.
 * <li>smbnetfs has no FUSE {@code lock} operation, so fcntl locks are kept by the kernel for this mount only. Two
 *     processes on the mount exclude each other (the sqlite3 shell gets "database is locked"), but a writer on the
 *     server's folder is not excluded (nor, by the same token, one on another smbnetfs mount): it wrote a row while
 *     the shell held the lock, and the shell's commit overwrote it ("broken locks", issue 5). Its source has no
 *     {@code fsync} operation either, so fsync succeeds at once and no SMB flush reaches the server.
 * <li>With libfuse's default 1 s attribute and lookup cache, a file deleted on the server still "existed" for a
 *     second and SQLite failed to re-create it ("unable to open database file"); with the timeouts at 0 changes are
 *     seen at once. direct_io keeps reads off the kernel page cache, as on FaultFs.
 * <li>smbnetfs caches a failed connection for 3 s (neg_cache), which delayed recovery after a restart by that much;
 *     with neg_cache_timeout=100 ms a query still failed (CANTOPEN) when smbd was back within those 100 ms, so
 *     {@link #startServer()} waits until the share answers through the mount. neg_cache=false instead hangs smbnetfs
 *     at start (20 of 20 tries).
 * <li>smbnetfs retries a failed request twice, two seconds apart, so the first operation after the server went away
 *     took 2.0 s to fail; with max_retry_count=0 it fails at once. A fixture that waits for the share after a restart
 *     loses nothing by it, and a vanished share looks vanished without delay.
 * <li>While the server is down every operation fails with EIO (SQLite: CANTOPEN or IOERR). smbd listens 70-150 ms
 *     after it is started. Files read back intact after a restart, and smbnetfs even reopens, by path, descriptors
 *     opened before the stop: a connection SQLite held open keeps working.
 * </ul>
 */
public final class SambaShare implements Share {

    private static final Path SMBD = Path.of("/usr/sbin/smbd");
    private static final Path SMBNETFS = Path.of("/usr/bin/smbnetfs");
    private static final String SHARE = "share";
    private static final Duration STARTUP = Duration.ofSeconds(15);

    private final Path root;
    private final Path exported;
    private final Path mountPoint;
    private final int port;
    private Daemon smbd;
    private Daemon smbnetfs;
    /** Further smbnetfs mounts of the same share, by mount point: other desktops ({@link #anotherDesktop}). */
    private final Map<Path, Daemon> otherDesktops = new java.util.LinkedHashMap<>();

    private SambaShare(Path root, int port) {
        this.root = root.toAbsolutePath().normalize();
        this.exported = this.root.resolve("exported");
        this.mountPoint = this.root.resolve("mnt");
        this.port = port;
    }

    /**
     * Starts a server and mounts its share, everything under {@code root}. Needs Samba, smbnetfs, FUSE and root:
     * without them the calling test fails in CI and skips elsewhere ({@link Requirements}).
     */
    public static SambaShare start(Path root) throws IOException {
        Mounts.requireFuse();
        Requirements.requireFile(SMBD, "samba");
        Requirements.requireFile(SMBNETFS, "smbnetfs");
        Requirements.requireRoot("smbd needs root to serve files as their owner");
        SambaShare share = new SambaShare(root, Loopback.freePort());
        LastResort.register(share);
        try {
            share.configure();
            share.startServer();
            share.smbnetfs = share.mount(share.mountPoint);
        } catch (IOException | RuntimeException e) {
            share.close();
            throw e;
        }
        return share;
    }

    /** The share's folder as the client sees it, under the smbnetfs mount. */
    @Override
    public Path folder() {
        return shareUnder(mountPoint);
    }

    /**
     * Mounts the share once more, as a second desktop would, and returns its folder there. The two mounts' fcntl locks
     * do not see each other (each is kept by this machine's kernel for its own mount): a share whose locks lie.
     */
    public synchronized Path anotherDesktop() throws IOException {
        Path other = root.resolve("mnt-" + (otherDesktops.size() + 2));
        Files.createDirectories(other);
        otherDesktops.put(other, mount(other));
        return shareUnder(other);
    }

    private Path shareUnder(Path mount) {
        return mount.resolve("127.0.0.1:" + port).resolve(SHARE);
    }

    /** The folder smbd serves. */
    @Override
    public Path serverFolder() {
        return exported;
    }

    @Override
    public void vanish() {
        stopServer();
    }

    @Override
    public void reappear() {
        startServer();
    }

    /** Stops smbd and every process it forked; the mount stays, and every operation on the share fails. */
    public synchronized void stopServer() {
        if (smbd != null) {
            smbd.stop();
            smbd = null;
        }
    }

    /** Starts smbd (again) and returns once the share answers through the mount (if it is mounted yet). */
    public synchronized void startServer() {
        if (smbd != null) {
            return;
        }
        try {
            // Not --no-process-group: on SIGTERM smbd signals its whole process group (kill(0, SIGTERM), seen with
            // strace), which in ours would be this JVM and Maven. In the foreground it starts a session of its own.
            smbd = Daemon.start("smbd", List.of(SMBD.toString(), "--foreground", "--debug-stdout", "--debuglevel=1",
                    "--configfile=" + root.resolve("smb.conf")), Map.of(),
                    root.resolve("log").resolve("smbd.log"));
            Daemon started = smbd;
            Mounts.await("starting smbd on port " + port, STARTUP, started::alive,
                    () -> listening() && (smbnetfs == null || reachable(folder())));
        } catch (IOException | RuntimeException e) {
            String log = smbd == null ? "" : "\n" + smbd.logTail();
            stopServer();
            throw new IllegalStateException("smbd did not start: " + e.getMessage() + log, e);
        }
    }

    /** Unmounts, then stops smbnetfs and smbd by pid; safe to call twice and after a failed start. */
    @Override
    public synchronized void close() {
        try {
            otherDesktops.forEach(SambaShare::unmount);
            otherDesktops.clear();
            unmount(mountPoint, smbnetfs);
            smbnetfs = null;
        } finally {
            stopServer();
            LastResort.done(this);
        }
    }

    @Override
    public String toString() {
        return "SambaShare " + folder() + " serving " + exported;
    }

    private void configure() throws IOException {
        for (String folder : List.of("private", "lock", "state", "cache", "pid", "ncalrpc", "log", "client/.smb")) {
            Files.createDirectories(root.resolve(folder));
        }
        Files.createDirectories(exported);
        Files.createDirectories(mountPoint);
        Files.writeString(root.resolve("smb.conf"), String.join("\n",
                "[global]",
                // Everything the server keeps lives under root: no system config or state is read or written.
                "server role = standalone server",
                "interfaces = 127.0.0.1",
                "bind interfaces only = yes",
                "smb ports = " + port,
                "disable netbios = yes",
                "private dir = " + root.resolve("private"),
                "lock directory = " + root.resolve("lock"),
                "state directory = " + root.resolve("state"),
                "cache directory = " + root.resolve("cache"),
                "pid directory = " + root.resolve("pid"),
                "ncalrpc dir = " + root.resolve("ncalrpc"),
                "binddns dir = " + root.resolve("private"),
                "log file = " + root.resolve("log").resolve("smbd.%m.log"),
                "passdb backend = tdbsam:" + root.resolve("private").resolve("passdb.tdb"),
                "usershare path =",
                "load printers = no",
                "printing = bsd",
                "printcap name = /dev/null",
                "disable spoolss = yes",
                // Guests may connect; files are created as root, who runs the tests.
                "map to guest = Bad User",
                "server min protocol = SMB2_10",
                "[" + SHARE + "]",
                "path = " + exported,
                "read only = no",
                "guest ok = yes",
                "force user = root",
                ""));
        // smbnetfs reads $HOME/.smb; it refuses an "auth" line in a file others can read.
        Path client = root.resolve("client").resolve(".smb");
        Files.writeString(client.resolve("smb.conf"), "[global]\nclient min protocol = SMB2_10\n");
        Files.writeString(client.resolve("smbnetfs.conf"), String.join("\n",
                "smb_query_browsers \"false\"", // no network browsing: only the host:port/share the path names
                "use_libsecret \"false\"",
                "auth \"guest\" \"\"",
                ""));
        for (Path file : List.of(client.resolve("smb.conf"), client.resolve("smbnetfs.conf"))) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private Daemon mount(Path at) throws IOException {
        Daemon started = Daemon.start("smbnetfs", List.of(SMBNETFS.toString(), at.toString(), "-f", "-o",
                String.join(",",
                        "attr_timeout=0", "entry_timeout=0", "negative_timeout=0", "direct_io",
                        "neg_cache_timeout=100", "max_retry_count=0")),
                Map.of("HOME", root.resolve("client").toString()),
                root.resolve("log").resolve("smbnetfs-" + at.getFileName() + ".log"));
        try {
            Mounts.await("mounting " + shareUnder(at) + " with smbnetfs", STARTUP, started::alive,
                    () -> Mounts.isMounted(at) && reachable(shareUnder(at)));
        } catch (RuntimeException e) {
            started.stop();
            throw new IllegalStateException(e.getMessage() + "\n" + started.logTail() + "\n" + smbd.logTail(), e);
        }
        return started;
    }

    /** Unmounts; then stops the smbnetfs process, which ends the FUSE connection of a mount an open file kept busy. */
    private static void unmount(Path at, Daemon daemon) {
        boolean unmounted = Mounts.tryUnmount(at);
        if (daemon != null) {
            daemon.stop();
        }
        if (!unmounted) {
            Mounts.detach(at);
        }
    }

    /** Lists the share: smbnetfs makes up the share folder itself, so only reading it proves the server answers. */
    private static boolean reachable(Path shareFolder) {
        try {
            Files.newDirectoryStream(shareFolder).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
