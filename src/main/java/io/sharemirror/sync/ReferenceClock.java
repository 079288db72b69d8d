package io.sharemirror.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The reference time of one hub: the file server's clock, which every desktop of the hub can read (it stamps the
 * files it writes), as this computer's clock corrected by a measured offset. Every stamp this desktop makes is taken
 * in it, so a desktop whose clock is off by seconds, hours or days stamps its edits as if its clock were right.
 *
 * <p>Keeps the recent samples (taken on every push, and by a tiny write of the agent's own when none came for a
 * while) and trusts the one whose error, grown by clock drift since it was taken, is smallest, among those that agree
 * with the others. A sample is dropped when this computer's clock was stepped since (someone set it, or the machine
 * slept): the wall clock and the monotonic clock no longer move together. Until a sample is taken in this process the
 * offset last measured (kept in the replica) stands in.
 */
public final class ReferenceClock {

    /** The default of {@code max_clock_ahead}. */
    public static final Duration DEFAULT_AHEAD_LIMIT = Duration.ofSeconds(60);

    /** A new sample is due when the newest one is this old, so drift and server clock changes are followed. */
    static final Duration RESAMPLE_AFTER = Duration.ofMinutes(10);
    /** Samples kept to choose from. */
    static final int KEPT = 8;
    /** Drift allowed between two quartz clocks, in ms per ms: a sample's error grows by this much with its age. */
    static final double DRIFT = 100e-6;
    /** A change between the wall clock and the monotonic clock larger than this is a step of the computer's clock. */
    static final long STEP_MS = 1_000;
    /** A sample further than this (plus both errors) from the others' median is a misreading, not a change. */
    static final long OUTLIER_MS = 1_000;

    /** The offset the estimate uses, and how far it can be off; {@code measured} is false for the last known value. */
    public record Reading(long offsetMs, long errorMs, boolean measured) {
    }

    private final Clock clock;
    private final Duration aheadLimit;
    private final Deque<ClockSample> samples = new ArrayDeque<>();
    private Reading lastKnown;

    /**
     * @param aheadLimit how far ahead of reference time another node's stamp may raise this replica's hybrid clock
     *     ({@code max_clock_ahead}); stamps further ahead are remembered for their own rows only
     */
    public ReferenceClock(Clock clock, Duration aheadLimit) {
        this.clock = clock;
        this.aheadLimit = aheadLimit;
    }

    public Duration aheadLimit() {
        return aheadLimit;
    }

    /** The computer's own clock, which samples and {@link #now()} correct. */
    public Clock localClock() {
        return clock;
    }

    /** Adds a sample; the oldest goes when more than {@link #KEPT} are kept. */
    public synchronized void record(ClockSample sample) {
        dropStepped();
        samples.addLast(sample);
        while (samples.size() > KEPT) {
            samples.removeFirst();
        }
        lastKnown = estimate().orElse(lastKnown);
    }

    /** The offset measured before (by an earlier process), used until this one takes a sample. */
    public synchronized void assume(long offsetMs, long errorMs) {
        if (samples.isEmpty()) {
            lastKnown = new Reading(offsetMs, errorMs, false);
        }
    }

    /** Whether the agent should read the server's clock now: no usable sample yet, or the newest is old. */
    public synchronized boolean sampleDue() {
        dropStepped();
        if (samples.isEmpty()) {
            return true;
        }
        return ageMs(samples.getLast(), clock.nanoTime()) >= RESAMPLE_AFTER.toMillis();
    }

    /** The current estimate: measured in this process, else the last known, else none. */
    public synchronized Optional<Reading> reading() {
        dropStepped();
        Optional<Reading> measured = estimate();
        return measured.isPresent() ? measured : Optional.ofNullable(lastKnown);
    }

    /** Reference time now: this computer's clock corrected by the current offset (uncorrected while none is known). */
    public Instant now() {
        long offset = reading().map(Reading::offsetMs).orElse(0L);
        return clock.now().plusMillis(offset);
    }

    private Optional<Reading> estimate() {
        long mono = clock.nanoTime();
        return agreeing().stream()
                .map(s -> new Reading(s.offsetMs(), s.errorMs() + (long) Math.ceil(DRIFT * ageMs(s, mono)), true))
                .min(Comparator.comparingLong(Reading::errorMs));
    }

    /** The samples, less those that disagree with the median of all by more than their errors allow. */
    private List<ClockSample> agreeing() {
        List<ClockSample> all = new ArrayList<>(samples);
        if (all.size() < 3) {
            return all;
        }
        List<ClockSample> byOffset = new ArrayList<>(all);
        byOffset.sort(Comparator.comparingLong(ClockSample::offsetMs));
        ClockSample median = byOffset.get(byOffset.size() / 2);
        return all.stream().filter(s -> Math.abs(s.offsetMs() - median.offsetMs())
                <= OUTLIER_MS + s.errorMs() + median.errorMs()).toList();
    }

    /**
     * Forgets the samples taken before this computer's clock was stepped: their offsets no longer hold. The last
     * estimate stays as the last known value, which is right after a sleep and wrong by the step after someone set
     * the clock; {@link #sampleDue()} asks for a new sample either way.
     */
    private void dropStepped() {
        long wallMinusMono = clock.now().toEpochMilli() - clock.nanoTime() / 1_000_000;
        samples.removeIf(s -> Math.abs(s.localMs() - s.monotonicNanos() / 1_000_000 - wallMinusMono) > STEP_MS);
        if (samples.isEmpty() && lastKnown != null && lastKnown.measured()) {
            lastKnown = new Reading(lastKnown.offsetMs(), lastKnown.errorMs(), false);
        }
    }

    private static long ageMs(ClockSample s, long monoNow) {
        return Math.max(0, (monoNow - s.monotonicNanos()) / 1_000_000);
    }
}
