package io.sharemirror.app;

import io.sharemirror.platform.AppDirs;
import io.sharemirror.platform.SafeFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.tinylog.Logger;

/**
 * One ShareMirror agent per user. The first launch holds an OS file lock in the per-user state folder while it
 * runs (the OS drops it when the process dies, even by SIGKILL, so a crash never blocks the next start) and
 * listens on a loopback port. A later launch finds the lock taken, asks the first over that port to show its
 * dashboard, and gives up; the first answers whether it has a window to show. The port sits in an owner-only file with
 * a random token the caller must send, so no other local user can poke the running instance, and a stale file left by
 * a crash is never trusted. The file also names the config the first one runs with, for a later launch to compare.
 */
final class SingleInstance implements AutoCloseable {

    static final String LOCK_FILE = "instance.lock";
    static final String ADDRESS_FILE = "instance.address";
    /** How long a second launch keeps trying while the first is starting up or shutting down. */
    static final Duration PATIENCE = Duration.ofSeconds(5);
    private static final int SOCKET_TIMEOUT_MS = 2000;
    private static final int MAX_LINE = 256;
    private static final String ACTIVATE = "activate ";
    private static final String ACTIVATED = "activated";
    /** The answer of an instance without a window (--headless, no display). */
    private static final String HEADLESS = "headless";

    private final FileChannel channel;
    private final FileLock lock;
    private final Path address;
    private final ServerSocket server;
    private final String token;
    private final BooleanSupplier onActivate;
    private final Thread listener;
    private volatile boolean closed;

    private SingleInstance(Path folder, Path config, FileChannel channel, FileLock lock, BooleanSupplier onActivate)
            throws IOException {
        this.channel = channel;
        this.lock = lock;
        this.address = folder.resolve(ADDRESS_FILE);
        this.onActivate = onActivate;
        this.server = new ServerSocket(0, 8, loopback());
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        this.token = HexFormat.of().formatHex(random);
        try {
            SafeFiles.writeAtomically(address, server.getLocalPort() + " " + token + " " + ProcessHandle.current().pid()
                    + "\n" + config.toAbsolutePath().normalize() + "\n");
        } catch (IOException e) {
            server.close();
            throw e;
        }
        this.listener = new Thread(this::serve, "sharemirror-instance");
        listener.setDaemon(true);
        listener.start();
    }

    /**
     * Makes this process the user's one ShareMirror, or tells the one already running to show its dashboard.
     *
     * @param folder the per-user state folder, normally {@link AppDirs#stateDirectory()}; created owner-only
     * @param config the config file this instance runs with, for a later launch to compare with its own
     * @param onActivate run when a later launch asks for the dashboard, on a background thread (hop to the event
     *     thread yourself); returns whether there is a window to show; exceptions it throws are logged
     * @return the claim: keep it until the process exits, then close it
     * @throws AlreadyRunningException another process holds the claim; its message is meant for the user
     * @throws IOException the state folder or the loopback port cannot be used
     */
    static SingleInstance claim(Path folder, Path config, BooleanSupplier onActivate)
            throws AlreadyRunningException, IOException {
        return claim(folder, config, onActivate, PATIENCE);
    }

    static SingleInstance claim(Path folder, Path config, BooleanSupplier onActivate, Duration patience)
            throws AlreadyRunningException, IOException {
        AppDirs.ownerOnlyFolder(folder);
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            SingleInstance owner = tryToOwn(folder, config, onActivate);
            if (owner != null) {
                return owner;
            }
            Answer answer = askOwner(folder);
            if (answer.activated()) {
                throw new AlreadyRunningException("ShareMirror is already running for this user (process "
                        + answer.pid() + ")" + (answer.headless() ? " without a window (headless), so there is no"
                        + " dashboard to show; `status` shows its state" : "; it was asked to show its dashboard"),
                        true, answer.pid(), answer.config());
            }
            if (System.nanoTime() - deadline > 0) {
                String seconds = String.format(Locale.ROOT, "%.1f", patience.toMillis() / 1000.0);
                throw new AlreadyRunningException("ShareMirror is already running for this user (it holds "
                        + folder.resolve(LOCK_FILE) + ") but did not answer within " + seconds + " s ("
                        + answer.problem() + "); if it is stuck, end " + (answer.pid() > 0 ? "process "
                        + answer.pid() : "it") + " and start ShareMirror again", false, answer.pid(), answer.config());
            }
            sleep(100); // it is starting up or shutting down: look again
        }
    }

    /** The claim if the lock is free; null if another process (or another claim in this JVM) holds it. */
    private static SingleInstance tryToOwn(Path folder, Path config, BooleanSupplier onActivate) throws IOException {
        FileChannel channel = FileChannel.open(folder.resolve(LOCK_FILE),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), SafeFiles.ownerOnly());
        try {
            FileLock lock = tryLock(channel);
            if (lock != null) {
                return new SingleInstance(folder, config, channel, lock, onActivate);
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        channel.close();
        return null;
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this JVM: the same answer as held by another process
        }
    }

    /** What the owner answered (and whether it has a window), or why it did not; the config it runs with. */
    private record Answer(boolean activated, boolean headless, long pid, Path config, String problem) {

        static Answer none(long pid, Path config, String problem) {
            return new Answer(false, false, pid, config, problem);
        }
    }

    private static Answer askOwner(Path folder) {
        List<String> lines;
        try {
            lines = Files.readAllLines(folder.resolve(ADDRESS_FILE), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Answer.none(-1, null, "it has not published its address yet");
        } catch (IOException e) {
            return Answer.none(-1, null, "its address file could not be read: " + e.getMessage());
        }
        String[] fields = lines.isEmpty() ? new String[0] : lines.get(0).strip().split(" ");
        Path config = lines.size() > 1 && !lines.get(1).isBlank() ? Path.of(lines.get(1)) : null;
        if (fields.length != 3) {
            return Answer.none(-1, config, "its address file is malformed");
        }
        long pid;
        int port;
        try {
            pid = Long.parseLong(fields[2]);
            port = Integer.parseInt(fields[0]);
        } catch (NumberFormatException e) {
            return Answer.none(-1, config, "its address file is malformed");
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(loopback(), port), SOCKET_TIMEOUT_MS);
            socket.setSoTimeout(SOCKET_TIMEOUT_MS);
            socket.getOutputStream().write((ACTIVATE + fields[1] + "\n").getBytes(StandardCharsets.UTF_8));
            String reply = readLine(socket.getInputStream());
            return reply.equals(ACTIVATED) || reply.equals(HEADLESS)
                    ? new Answer(true, reply.equals(HEADLESS), pid, config, null)
                    : Answer.none(pid, config, "it answered '" + reply + "'");
        } catch (IOException e) {
            return Answer.none(pid, config, e.getMessage());
        }
    }

    /** The owner's side: one short request per connection, answered at once. */
    private void serve() {
        byte[] expected = (ACTIVATE + token).getBytes(StandardCharsets.UTF_8);
        while (!closed) {
            try (Socket client = server.accept()) {
                client.setSoTimeout(SOCKET_TIMEOUT_MS);
                boolean valid = MessageDigest.isEqual(expected,
                        readLine(client.getInputStream()).getBytes(StandardCharsets.UTF_8));
                if (!valid) {
                    client.getOutputStream().write("denied\n".getBytes(StandardCharsets.UTF_8));
                    Logger.warn("ignored a connection to the single-instance port without the right token");
                    continue;
                }
                boolean shown;
                try {
                    shown = onActivate.getAsBoolean();
                } catch (RuntimeException e) {
                    Logger.error(e, "showing the dashboard for a second launch failed");
                    shown = true; // it has a window; the log says why it did not come up
                }
                client.getOutputStream().write(((shown ? ACTIVATED : HEADLESS) + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                if (!closed) {
                    Logger.debug(e, "a single-instance request failed");
                }
            }
        }
    }

    /** Releases the claim: stops listening, removes the address, drops the lock. Safe to call twice. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
            listener.join(SOCKET_TIMEOUT_MS);
            Files.deleteIfExists(address); // while the lock is still held, so it is never someone else's file
            lock.release();
            channel.close();
        } catch (IOException e) {
            Logger.warn("releasing the single-instance lock: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A line of at most MAX_LINE bytes: nobody on the port can make us buffer more. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n' && line.size() < MAX_LINE; b = in.read()) {
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private static InetAddress loopback() throws IOException {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the running ShareMirror", e);
        }
    }

    /** Another ShareMirror holds the claim; the message says what happened and what the user can do. */
    static final class AlreadyRunningException extends Exception {
        private final boolean activated;
        private final long pid;
        private final transient Path config;

        AlreadyRunningException(String message, boolean activated, long pid, Path config) {
            super(message);
            this.activated = activated;
            this.pid = pid;
            this.config = config;
        }

        /** The config file the running instance uses, when it said. */
        Optional<Path> config() {
            return Optional.ofNullable(config);
        }

        /** True when the running instance confirmed it will show its dashboard. */
        boolean activated() {
            return activated;
        }

        /** The running instance's process id, or -1 when it never said. */
        long pid() {
            return pid;
        }
    }
}
