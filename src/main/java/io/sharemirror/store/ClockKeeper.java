package io.sharemirror.store;

import io.sharemirror.sync.ClockSample;
import io.sharemirror.sync.Hub;
import io.sharemirror.sync.ReferenceClock;
import io.sharemirror.sync.StoreException;
import java.util.function.Supplier;
import org.tinylog.Logger;

/**
 * Keeps one replica's stamps in the file server's time. Readings of the server's clock (by every push, and by a tiny
 * write when none came for a while) go into the {@link ReferenceClock}; the estimate goes into the replica's
 * {@code _sm_state.clock_offset}, where the capture triggers read it whichever program writes, and where the next
 * agent process finds it before its own first reading.
 */
final class ClockKeeper {

    private final String database;
    private final ReferenceClock reference;
    private final Supplier<SqliteReplica> openReplica;
    /** The offset the open replica's capture triggers use, as last written there. */
    private long stored;

    ClockKeeper(String database, ReferenceClock reference, Supplier<SqliteReplica> openReplica) {
        this.database = database;
        this.reference = reference;
        this.openReplica = openReplica;
    }

    ReferenceClock reference() {
        return reference;
    }

    /** A replica was opened: what it stored stands in until this process reads the server's clock. */
    synchronized void opened(SqliteReplica replica) {
        var offset = replica.state().clockOffset();
        offset.ifPresent(o -> reference.assume(o.offsetMs(), o.errorMs()));
        stored = offset.map(ReferenceClock.Reading::offsetMs).orElse(0L);
    }

    /**
     * Reads the server's clock before a copy of the hub becomes a replica, whose clock starts at reference time. A hub
     * this user may not write, or one busy with other writers, cannot be read this way now: the copy is made anyway
     * (it needs no write lock) and its clock starts from the hub's newest stamp; the first push reads the clock.
     */
    void beforeClone(Hub hub) {
        if (!reference.sampleDue()) {
            return;
        }
        try {
            hub.readServerClock();
        } catch (StoreException e) {
            if (e.kind() == StoreException.Kind.OFFLINE) {
                throw e; // reported as it would be for the copy itself
            }
            Logger.warn("{}: could not read the file server's clock before copying the hub ({}); the copy's clock"
                    + " starts from the hub's newest change", database, e.getMessage());
        }
    }

    /**
     * A reading of the server's clock (the hub connection's, {@link HubConnection.Maker}): into the estimate, and into
     * the replica when the estimate moved by more than it can be off.
     */
    synchronized void sampled(ClockSample sample) {
        reference.record(sample);
        ReferenceClock.Reading now = reference.reading().orElseThrow();
        SqliteReplica replica = openReplica.get();
        if (replica == null || Math.abs(now.offsetMs() - stored) <= now.errorMs()) {
            return;
        }
        replica.state().storeClockOffset(now.offsetMs(), now.errorMs());
        stored = now.offsetMs();
        Logger.info("{}: this computer's clock is {} ms {} the file server's (within {} ms); changes made here are"
                + " stamped in the server's time", database, Math.abs(now.offsetMs()),
                now.offsetMs() > 0 ? "behind" : "ahead of", now.errorMs());
    }
}
