package io.sharemirror.share;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback that adds a fixed round-trip time to every connection through it: a server on the same
 * machine made as far away as a server across town. Each direction holds every chunk it reads for half the added time
 * before passing it on, in order, so a request and its answer together take the whole of it; bandwidth is not
 * limited. What the benchmark puts between agents and a PostgreSQL hub, as {@link FaultFs}'s latency is what it puts
 * between agents and a file share.
 */
public final class LatencyProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final long oneWayNanos;
    private final List<Socket> open = new ArrayList<>();
    private final AtomicLong requests = new AtomicLong();
    private volatile boolean closed;

    /** Listens on a free loopback port and forwards each connection to {@code target}. */
    public LatencyProxy(InetSocketAddress target, Duration addedRoundTrip) throws IOException {
        this.target = target;
        this.oneWayNanos = addedRoundTrip.toNanos() / 2;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptAll, "latency-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** The port clients connect to instead of the target's. */
    public int port() {
        return listener.getLocalPort();
    }

    /**
     * The chunks clients sent to the server so far: each is a request the server answers (a statement, a batch, a
     * commit), so the count is the round trips the server saw, the equivalent of a share's operations.
     */
    public long requests() {
        return requests.get();
    }

    private void acceptAll() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.getAddress(), target.getPort());
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                synchronized (open) {
                    open.add(client);
                    open.add(server);
                }
                relay(client, server, requests);
                relay(server, client, new AtomicLong());
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("latency proxy: " + e);
                }
            }
        }
    }

    /** Two threads per direction: one reads and stamps each chunk, one writes it when its time has come. */
    private void relay(Socket from, Socket to, AtomicLong chunks) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    queue.add(new Chunk(System.nanoTime() + oneWayNanos, Arrays.copyOf(buffer, n)));
                    chunks.incrementAndGet();
                }
            } catch (IOException e) {
                // the connection ended either way
            }
            queue.add(Chunk.END);
        }, "latency-proxy-read");
        Thread writer = new Thread(() -> {
            try {
                for (Chunk c = queue.take(); c != Chunk.END; c = queue.take()) {
                    long wait = c.due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    out.write(c.bytes);
                    out.flush();
                }
                to.shutdownOutput();
            } catch (IOException | InterruptedException e) {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "latency-proxy-write");
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    private record Chunk(long due, byte[] bytes) {
        static final Chunk END = new Chunk(0, new byte[0]);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        synchronized (open) {
            open.forEach(LatencyProxy::closeQuietly);
        }
    }
}
