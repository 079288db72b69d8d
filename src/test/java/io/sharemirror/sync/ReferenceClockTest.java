package io.sharemirror.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The estimate of the file server's clock: which sample it trusts, and when it asks for a new one. */
class ReferenceClockTest {

    private final FakeClock clock = new FakeClock();
    private final ReferenceClock reference = new ReferenceClock(clock, Duration.ofSeconds(60));

    @Test
    void untilASampleTheLastKnownOffsetStandsAndASampleIsDue() {
        assertEquals(Optional.empty(), reference.reading());
        assertEquals(clock.now(), reference.now(), "nothing known: the computer's own clock");
        reference.assume(-3_600_000, 20);
        assertEquals(Optional.of(new ReferenceClock.Reading(-3_600_000, 20, false)), reference.reading());
        assertEquals(clock.now().minusSeconds(3600), reference.now());
        assertTrue(reference.sampleDue());
        reference.record(clock.sample(-3_599_990, 8));
        assertEquals(new ReferenceClock.Reading(-3_599_990, 8, true), reference.reading().orElseThrow());
        assertFalse(reference.sampleDue());
        reference.assume(0, 1);
        assertEquals(-3_599_990, reference.reading().orElseThrow().offsetMs(), "a sample outranks an old value");
    }

    @Test
    void theSampleWithTheSmallestErrorWinsUntilDriftMakesANewerOneBetter() throws Exception {
        reference.record(clock.sample(1_000, 5));
        clock.sleep(Duration.ofSeconds(30));
        reference.record(clock.sample(1_030, 40));
        assertEquals(1_000, reference.reading().orElseThrow().offsetMs(), "5 ms + 3 ms of drift beats 40 ms");
        clock.sleep(Duration.ofMinutes(9));
        reference.record(clock.sample(1_020, 30));
        assertEquals(1_020, reference.reading().orElseThrow().offsetMs(), "9.5 min of drift (57 ms) makes the old one worse");
    }

    @Test
    void aSampleFarFromTheOthersIsAMisreading() {
        reference.record(clock.sample(500, 20));
        reference.record(clock.sample(510, 20));
        reference.record(clock.sample(90_000, 2)); // a small error, but nowhere near the others
        assertEquals(500, reference.reading().orElseThrow().offsetMs());
    }

    @Test
    void aNewSampleIsDueTenMinutesAfterTheLast() throws Exception {
        reference.record(clock.sample(0, 5));
        clock.sleep(ReferenceClock.RESAMPLE_AFTER.minusSeconds(1));
        assertFalse(reference.sampleDue());
        clock.sleep(Duration.ofSeconds(1));
        assertTrue(reference.sampleDue());
    }

    @Test
    void settingTheComputersClockDropsTheSamplesAndAsksForANewOne() {
        reference.record(clock.sample(-3_600_000, 10));
        clock.setWallBy(Duration.ofHours(1)); // the user fixes the clock: the offset measured before is wrong by as much
        assertTrue(reference.sampleDue());
        ReferenceClock.Reading kept = reference.reading().orElseThrow();
        assertEquals(-3_600_000, kept.offsetMs(), "the last estimate stands until the new sample comes");
        assertFalse(kept.measured());
        reference.record(clock.sample(2, 10));
        assertEquals(new ReferenceClock.Reading(2, 10, true), reference.reading().orElseThrow());
    }
}
