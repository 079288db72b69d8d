package io.sharemirror.sync;

/**
 * One reading of the file server's clock against this computer's: the server stamped a file it wrote for us at a
 * moment that lies between two readings of the local clock.
 *
 * @param offsetMs the server's time minus this computer's, at the middle of the readings
 * @param errorMs how far the true offset can be from {@code offsetMs}: half the span of the readings plus the
 *     server's timestamp granularity
 * @param localMs this computer's clock at the middle of the readings (epoch ms)
 * @param monotonicNanos {@link Clock#nanoTime()} at the same moment
 */
public record ClockSample(long offsetMs, long errorMs, long localMs, long monotonicNanos) {

    /**
     * The sample of a server clock that read {@code serverMs} (its true time lies in {@code [serverMs, serverMs +
     * granularityMs)}: times are cut, not rounded) between this computer's readings {@code t0Ms} and {@code t1Ms},
     * taken at monotonic {@code mono0} and {@code mono1}.
     */
    public static ClockSample between(long t0Ms, long t1Ms, long mono0, long mono1, long serverMs, long granularityMs) {
        long span = Math.max(0, t1Ms - t0Ms);
        long localMid = t0Ms + span / 2;
        long serverMid = serverMs + granularityMs / 2;
        return new ClockSample(serverMid - localMid, (span + 1) / 2 + (granularityMs + 1) / 2, localMid,
                mono0 + (mono1 - mono0) / 2);
    }
}
