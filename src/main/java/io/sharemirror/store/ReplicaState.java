package io.sharemirror.store;

import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.ReferenceClock;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;

/**
 * The replica's notes about itself in its one-row {@code _sm_state}, beside the cursor and node the replica port
 * reads: the block Clear Cache sets, the file server's clock offset capture stamps with, what the file was made for,
 * and the hub schema and rowid canary it last matched. Reads and writes go through the replica's connections, so a
 * failure counts as the replica's.
 */
final class ReplicaState {

    private final SqliteReplica replica;

    ReplicaState(SqliteReplica replica) {
        this.replica = replica;
    }

    /** Sets or clears the flag that makes capture triggers refuse every write (used while re-cloning). */
    void block(boolean blocked) {
        replica.write(blocked ? "blocking writes" : "unblocking writes", () -> {
            PreparedStatement s = replica.rows().statement("UPDATE _sm_state SET blocked = ?");
            s.setInt(1, blocked ? 1 : 0);
            s.executeUpdate();
            return null;
        });
    }

    /** The offset of the file server's clock the capture triggers stamp with, as last measured; empty if never. */
    Optional<ReferenceClock.Reading> clockOffset() {
        return replica.read("reading the replica's clock offset", c -> {
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT clock_offset, clock_error FROM _sm_state")) {
                r.next();
                long error = r.getLong(2);
                return r.wasNull() ? Optional.empty()
                        : Optional.of(new ReferenceClock.Reading(r.getLong(1), error, false));
            }
        });
    }

    void storeClockOffset(long offsetMs, long errorMs) {
        replica.write("recording the file server's clock", () -> {
            PreparedStatement s = replica.rows().statement("UPDATE _sm_state SET clock_offset = ?, clock_error = ?");
            s.setLong(1, offsetMs);
            s.setLong(2, errorMs);
            s.executeUpdate();
            return null;
        });
    }

    boolean blocked() {
        return ((Number) replica.stateColumn("blocked")).intValue() == 1;
    }

    MirrorMode madeFor() {
        return replica.read("reading what the replica was made for", ReplicaCapture::replicaMode);
    }

    /** The hub's rowid canary as this replica last matched it ({@link RowidGuard}), or null when not known yet. */
    Long matchedRowids() {
        Object value = replica.stateColumn("rowids");
        return value == null ? null : ((Number) value).longValue();
    }

    void matchedRowids(long canary) {
        replica.write("recording the hub's rowid canary", () -> {
            PreparedStatement s = replica.rows().statement("UPDATE _sm_state SET rowids = ?");
            s.setLong(1, canary);
            s.executeUpdate();
            return null;
        });
    }

    /** The hub's schema as last matched: its cookie and its {@link SchemaDigest}. */
    void updateSchemaVersion(long version, String digest) {
        replica.write("recording the hub schema", () -> {
            PreparedStatement s =
                    replica.rows().statement("UPDATE _sm_state SET schema_version = ?, schema_digest = ?");
            s.setLong(1, version);
            s.setString(2, digest);
            s.executeUpdate();
            return null;
        });
    }

    /** The {@link SchemaDigest} of the hub's schema as last matched, or null before the first match. */
    String knownSchemaDigest() {
        return (String) replica.stateColumn("schema_digest");
    }
}
