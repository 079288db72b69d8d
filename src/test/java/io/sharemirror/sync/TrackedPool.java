package io.sharemirror.sync;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A worker pool that tells when it is idle: a task counts from {@link #execute} until it ended, so a job that hands
 * on to another (a poll to its cycle, a cycle to the one asked for meanwhile) keeps it busy throughout. A test that
 * ticks a fake clock waits for this instead of for time to pass.
 */
final class TrackedPool extends ThreadPoolExecutor {

    private final AtomicInteger unfinished = new AtomicInteger();

    TrackedPool(int threads) {
        super(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
    }

    @Override
    public void execute(Runnable task) {
        unfinished.incrementAndGet();
        try {
            super.execute(() -> {
                try {
                    task.run();
                } finally {
                    unfinished.decrementAndGet();
                }
            });
        } catch (RuntimeException refused) {
            unfinished.decrementAndGet();
            throw refused;
        }
    }

    boolean idle() {
        return unfinished.get() == 0;
    }
}
