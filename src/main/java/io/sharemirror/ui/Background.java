package io.sharemirror.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.swing.SwingUtilities;
import org.tinylog.Logger;

/**
 * The UI's own worker threads: every call into the agent runs here, and its result is handed back on the
 * event thread. A slow share therefore delays a number in a table, never a repaint or a click.
 */
final class Background implements AutoCloseable {

    private final AtomicInteger count = new AtomicInteger();
    private final ExecutorService threads = Executors.newFixedThreadPool(2, task -> {
        Thread t = new Thread(task, "sharemirror-ui-io-" + count.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    /** Runs {@code work} off the event thread; {@code done} or {@code failed} then runs on it. */
    <T> CompletableFuture<T> run(Callable<T> work, Consumer<T> done, Consumer<Throwable> failed) {
        CompletableFuture<T> result = new CompletableFuture<>();
        threads.execute(() -> {
            try {
                T value = work.call();
                SwingUtilities.invokeLater(() -> done.accept(value));
                result.complete(value);
            } catch (Exception | Error e) {
                Throwable cause = Failures.unwrap(e);
                Logger.debug(cause, "background UI task failed");
                SwingUtilities.invokeLater(() -> failed.accept(cause));
                result.completeExceptionally(cause);
            }
        });
        return result;
    }

    @Override
    public void close() {
        threads.shutdownNow();
        try {
            threads.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
