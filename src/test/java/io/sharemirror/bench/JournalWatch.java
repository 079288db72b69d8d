package io.sharemirror.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Times the write transactions on a hub as the share sees them: in rollback-journal mode a writer creates
 * {@code <hub>-journal} with its first change and deletes it as the last step of COMMIT, so the journal's life is the
 * time the hub's write lock keeps everyone else out. Watched on the server's side of the share, every 0.2 ms, so the
 * watching adds no operation to the share's counters.
 */
final class JournalWatch implements AutoCloseable {

    private static final long EVERY_NANOS = 200_000;

    private final Path journal;
    private final List<Long> lives = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stop;

    private JournalWatch(Path journal) {
        this.journal = journal;
        this.thread = new Thread(this::watch, "journal-watch");
        thread.setDaemon(true);
        thread.start();
    }

    static JournalWatch on(Path serverSideHub) {
        return new JournalWatch(serverSideHub.resolveSibling(serverSideHub.getFileName() + "-journal"));
    }

    private void watch() {
        long bornAt = 0;
        while (!stop) {
            boolean exists = Files.exists(journal);
            long now = System.nanoTime();
            if (exists && bornAt == 0) {
                bornAt = now;
            } else if (!exists && bornAt != 0) {
                synchronized (lives) {
                    lives.add(now - bornAt);
                }
                bornAt = 0;
            }
            LockSupport.parkNanos(EVERY_NANOS);
        }
    }

    /** Stops watching; returns each journal life seen, in milliseconds. */
    List<Double> stop() throws InterruptedException {
        stop = true;
        thread.join();
        synchronized (lives) {
            return lives.stream().map(n -> n / 1e6).toList();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
