package io.sharemirror.store;

import io.sharemirror.sync.Clock;
import io.sharemirror.sync.ClockSample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads the file server's clock off the hub's rollback journal. The first change of a hub write transaction makes
 * SQLite create {@code <hub>-journal} and write the pages it saves into it; the server stamps the new file with its own
 * clock, whatever the clock of the computer that asked. Bracketing that statement with two readings of the local clock
 * and reading the journal's modification time right after gives the offset, within half the bracket plus the
 * server's timestamp granularity.
 *
 * <p>Why the journal and not the hub file: what experiments on this machine showed. Through smbnetfs on Samba 4.17 the
 * hub's own modification time stays what it was when the first open handle wrote it (SMB's "sticky" write time, while
 * any agent keeps the file open), so it goes stale by as long as an agent runs; a file created for the transaction is
 * stamped at its creation, fresh (within 0.4 to 12 ms of the bracket, 15 of 15 times). FaultFs (FUSE, no attribute
 * cache) shows the backing file's times, as fresh. The kernel stamps files from its coarse clock, which lags the
 * precise one by up to a tick: the journal's time was up to 1.2 ms before the bracket began. libfaketime, which the
 * tests use to set a desktop's clock wrong, shifts what stat() returns unless NO_FAKE_STAT is set, but not what the
 * JVM reads (it uses statx, which libfaketime 0.9.10 leaves alone): a file server's timestamps reach a desktop with a
 * wrong clock untouched, and so they reach the tests.
 *
 * <p>A journal that is there before the statement is someone's kept journal (a program using journal_mode PERSIST or
 * TRUNCATE): its time is not ours to read, and no sample is taken.
 */
final class ServerClock {

    /** Assumed timestamp granularity when the file's time has sub-second digits: the kernel's coarse clock tick. */
    static final long TICK_MS = 10;

    private final Path journal;
    private final Clock clock;
    private final Consumer<ClockSample> sampled;
    private final Supplier<Instant> estimate;

    /** @param estimate the server's time now as best known from the samples taken so far */
    ServerClock(Path hubFile, Clock clock, Consumer<ClockSample> sampled, Supplier<Instant> estimate) {
        this.journal = hubFile.resolveSibling(hubFile.getFileName() + "-journal");
        this.clock = clock;
        this.sampled = sampled;
        this.estimate = estimate;
    }

    /** The server's time now, for what the hub stamps itself (a node's last sighting, a damage report). */
    Instant now() {
        return estimate.get();
    }

    /** Runs the first change of an open write transaction, reading the server's clock as it creates the journal. */
    void around(HubReads.SqlWork<?> firstChange) throws SQLException {
        boolean fresh = Files.notExists(journal);
        long mono0 = clock.nanoTime();
        Instant t0 = clock.now();
        firstChange.run();
        Instant t1 = clock.now();
        long mono1 = clock.nanoTime();
        if (!fresh) {
            return;
        }
        FileTime stamped;
        try {
            stamped = Files.getLastModifiedTime(journal);
        } catch (IOException e) {
            return; // no journal (an in-memory one), or the share went away: the push itself will say so
        }
        sampled.accept(sample(t0, t1, mono0, mono1, stamped.toInstant()));
    }

    /**
     * The server's time lies in [stamped, stamped + granularity) (times are cut, not rounded, to the granularity) and
     * was taken between t0 and t1 of ours.
     */
    static ClockSample sample(Instant t0, Instant t1, long mono0, long mono1, Instant stamped) {
        return ClockSample.between(t0.toEpochMilli(), t1.toEpochMilli(), mono0, mono1, stamped.toEpochMilli(),
                granularityMs(stamped));
    }

    /** Whole seconds: a server keeping seconds (even seconds: two, as FAT does); else the kernel's tick. */
    private static long granularityMs(Instant stamped) {
        if (stamped.getNano() != 0) {
            return TICK_MS;
        }
        return stamped.getEpochSecond() % 2 == 0 ? 2_000 : 1_000;
    }
}
