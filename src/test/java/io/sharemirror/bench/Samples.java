package io.sharemirror.bench;

import java.util.Arrays;

/** Timings of one measured action repeated: the median is what the table reports. */
final class Samples {

    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    private final long[] nanos;

    private Samples(long[] nanos) {
        this.nanos = nanos;
    }

    /** Runs {@code action} {@code times} times and keeps each run's duration. */
    static Samples of(int times, Action action) throws Exception {
        long[] out = new long[times];
        for (int i = 0; i < times; i++) {
            long start = System.nanoTime();
            action.run();
            out[i] = System.nanoTime() - start;
        }
        return new Samples(out);
    }

    static Samples ofNanos(long... nanos) {
        return new Samples(nanos.clone());
    }

    /** Runs {@code action} once and returns its duration in nanoseconds. */
    static long time(Action action) throws Exception {
        return of(1, action).nanos[0];
    }

    int count() {
        return nanos.length;
    }

    double medianMs() {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        return median / 1e6;
    }

    /** The time {@code p} percent of the runs took at most (nearest rank). */
    double percentileMs(double p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[(int) Math.ceil(p / 100 * sorted.length) - 1] / 1e6;
    }

    double maxMs() {
        return Arrays.stream(nanos).max().orElse(0) / 1e6;
    }

    double totalMs() {
        return Arrays.stream(nanos).sum() / 1e6;
    }
}
