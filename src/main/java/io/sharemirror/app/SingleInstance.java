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
import java.util.Locale;
import java.util.Set;
import org.tinylog.Logger;

/**
 * One ShareMirror agent per user. The first launch holds an OS file lock in the per-user state folder while it
 * runs (the OS drops it when the process dies, even by SIGKILL, so a crash never blocks the next start) and
 * listens on a loopback port. A later launch finds the lock taken, asks the first over that port to show its
 * dashboard, and gives up. The port sits in an owner-only file with a random token the caller must send, so no
 * other local user can poke the running instance, and a stale file left by a crash is never trusted.
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

    private final FileChannel channel;
    private final FileLock lock;
    private final Path address;
    private final ServerSocket server;
    private final String token;
    private final Runnable onActivate;
    private final Thread listener;
    private volatile boolean closed;

    private SingleInstance(Path folder, FileChannel channel, FileLock lock, Runnable onActivate) throws IOException {
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
                    + "\n");
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
     * @param onActivate run when a later launch asks for the dashboard, on a background thread (hop to the event
     *     thread yourself); exceptions it throws are logged
     * @return the claim: keep it until the process exits, then close it
     * @throws AlreadyRunningException another process holds the claim; its message is meant for the user
     * @throws IOException the state folder or the loopback port cannot be used
     */
    static SingleInstance claim(Path folder, Runnable onActivate) throws AlreadyRunningException, IOException {
        return claim(folder, onActivate, PATIENCE);
    }

    static SingleInstance claim(Path folder, Runnable onActivate, Duration patience)
            throws AlreadyRunningException, IOException {
        AppDirs.ownerOnlyFolder(folder);
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            SingleInstance owner = tryToOwn(folder, onActivate);
            if (owner != null) {
                return owner;
            }
            Answer answer = askOwner(folder);
            if (answer.activated()) {
                throw new AlreadyRunningException("ShareMirror is already running for this user (process "
                        + answer.pid() + "); it was asked to show its dashboard", true, answer.pid());
            }
            if (System.nanoTime() - deadline > 0) {
                String seconds = String.format(Locale.ROOT, "%.1f", patience.toMillis() / 1000.0);
                throw new AlreadyRunningException("ShareMirror is already running for this user (it holds "
                        + folder.resolve(LOCK_FILE) + ") but did not answer within " + seconds + " s ("
                        + answer.problem() + "); if it is stuck, end " + (answer.pid() > 0 ? "process "
                        + answer.pid() : "it") + " and start ShareMirror again", false, answer.pid());
            }
            sleep(100); // it is starting up or shutting down: look again
        }
    }

    /** The claim if the lock is free; null if another process (or another claim in this JVM) holds it. */
    private static SingleInstance tryToOwn(Path folder, Runnable onActivate) throws IOException {
        FileChannel channel = FileChannel.open(folder.resolve(LOCK_FILE),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), SafeFiles.ownerOnly());
        try {
            FileLock lock = tryLock(channel);
            if (lock != null) {
                return new SingleInstance(folder, channel, lock, onActivate);
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

    /** What the owner answered, or why it did not. */
    private record Answer(boolean activated, long pid, String problem) {
    }

    private static Answer askOwner(Path folder) {
        String[] fields;
        try {
            fields = Files.readString(folder.resolve(ADDRESS_FILE), StandardCharsets.UTF_8).strip().split(" ");
        } catch (NoSuchFileException e) {
            return new Answer(false, -1, "it has not published its address yet");
        } catch (IOException e) {
            return new Answer(false, -1, "its address file could not be read: " + e.getMessage());
        }
        if (fields.length != 3) {
            return new Answer(false, -1, "its address file is malformed");
        }
        long pid;
        int port;
        try {
            pid = Long.parseLong(fields[2]);
            port = Integer.parseInt(fields[0]);
        } catch (NumberFormatException e) {
            return new Answer(false, -1, "its address file is malformed");
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(loopback(), port), SOCKET_TIMEOUT_MS);
            socket.setSoTimeout(SOCKET_TIMEOUT_MS);
            socket.getOutputStream().write((ACTIVATE + fields[1] + "\n").getBytes(StandardCharsets.UTF_8));
            String reply = readLine(socket.getInputStream());
            return reply.equals(ACTIVATED) ? new Answer(true, pid, null)
                    : new Answer(false, pid, "it answered '" + reply + "'");
        } catch (IOException e) {
            return new Answer(false, pid, e.getMessage());
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
                String reply = (valid ? ACTIVATED : "denied") + "\n";
                client.getOutputStream().write(reply.getBytes(StandardCharsets.UTF_8));
                if (!valid) {
                    Logger.warn("ignored a connection to the single-instance port without the right token");
                    continue;
                }
                try {
                    onActivate.run();
                } catch (RuntimeException e) {
                    Logger.error(e, "showing the dashboard for a second launch failed");
                }
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

        AlreadyRunningException(String message, boolean activated, long pid) {
            super(message);
            this.activated = activated;
            this.pid = pid;
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
