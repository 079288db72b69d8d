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
}
