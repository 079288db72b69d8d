package io.sharemirror.store;

import io.sharemirror.sync.StoreException;
import io.sharemirror.sync.StoreException.Kind;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Set;

/**
 * The {@code <replica>.lock} file: held for a whole cycle, so the command line's {@code sync} and a running agent never
 * sync one database at the same time.
 */
final class ProcessLock {

    private final String database;
    private final Path lockFile;
    private final Duration timeout;

    ProcessLock(String database, Path replicaPath, Duration timeout) {
        this.database = database;
        this.lockFile = replicaPath.resolveSibling(replicaPath.getFileName() + ".lock");
        this.timeout = timeout;
    }

    /** Waits up to the connection timeout for the lock; closing the result releases it. */
    Closeable take() {
        try {
            FileChannel channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    OwnerOnly.creating());
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return channel::close; // closing the channel releases the lock
                }
                if (System.nanoTime() > deadline) {
                    channel.close();
                    throw new StoreException(Kind.BUSY, database + " is being synced by another ShareMirror process",
                            "wait for it to finish, or stop the other process", null);
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            throw SqliteErrors.classify("locking " + lockFile, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(Kind.FAILED, "interrupted while waiting for " + lockFile, null, e);
        }
    }
}
