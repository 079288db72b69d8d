package io.sharemirror.store;

import io.sharemirror.sync.CaptureRepair;
import io.sharemirror.sync.Hub;
import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.SchemaMark;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Predicate;

/**
 * Keeps a replica's capture whole between cycles: notices any program's DDL by the schema cookie, repairs the capture
 * triggers ({@link CaptureCheck}) and queues what they missed ({@link CaptureRecovery}). Not thread-safe on its own:
 * {@link SqliteMirrorStore} serializes every call.
 */
final class CaptureKeeper {

    private final Path replicaPath;
    private final Predicate<String> mirrored;
    private final MirrorMode mode;
    /** The replica's schema mark when capture was last checked; null: check at the next cycle. */
    private SchemaMark replicaMark;

    CaptureKeeper(Path replicaPath, Predicate<String> mirrored, MirrorMode mode) {
        this.replicaPath = replicaPath;
        this.mirrored = mirrored;
        this.mode = mode;
    }

    /** See {@link io.sharemirror.sync.Capture#check()}. */
    CaptureRepair check(SqliteReplica r) {
        if (mode == MirrorMode.READ_ONLY || r.schemaMark().equals(replicaMark)) {
            return new CaptureRepair(false, List.of());
        }
        synchronized (r) {
            try {
                Connection c = r.rows().connection();
                r.rows().tables(Schema.read(c, mirrored));
                r.rows().forgetStatements();
                List<String> repaired = CaptureCheck.repair(c, r.rows().tables());
                replicaMark = r.schemaMark();
                // The cookie also moves when the agent's own apply suspended the application's triggers: only a
                // change of the application's objects calls for a schema check, which costs the share.
                return new CaptureRepair(!AgreedSchema.holds(c, mirrored), repaired);
            } catch (SQLException e) {
                throw SqliteErrors.classify("checking the capture triggers of " + replicaPath, e);
            }
        }
    }

    /** See {@link io.sharemirror.sync.Capture#recover()}. */
    int recover(SqliteReplica r, Hub h) {
        synchronized (r) {
            try {
                return CaptureRecovery.recover(h, r);
            } catch (SQLException e) {
                throw SqliteErrors.classify("comparing tables whose capture had stopped with the hub (" + replicaPath
                        + ")", e);
            }
        }
    }

    /** Tables still marked: their writes since capture stopped are not yet compared with the hub. */
    List<String> uncaptured(SqliteReplica r) {
        synchronized (r) {
            try {
                return List.copyOf(CaptureCheck.marked(r.rows().connection()).keySet());
            } catch (SQLException e) {
                throw SqliteErrors.classify("reading " + replicaPath, e);
            }
        }
    }
}
