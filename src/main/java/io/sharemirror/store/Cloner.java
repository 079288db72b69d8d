package io.sharemirror.store;

import io.sharemirror.sync.CloneProgress;
import io.sharemirror.sync.Hub;
import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.ReferenceClock;
import io.sharemirror.sync.StoreException;
import io.sharemirror.sync.StoreException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.tinylog.Logger;

/**
 * Makes a replica from the hub (ARCHITECTURE.md#the-first-copy): the hub's snapshot into a temporary file
 * ({@link Hub#snapshotInto}; the SQLite hub's is the backup API, {@link BackupApi}), then ShareMirror's hub objects out
 * (the application's own triggers stay), capture in (or, for a read-only copy, write refusal), WAL on, integrity
 * checked, and an atomic rename into place.
 */
final class Cloner {

    private final ConnectionFactory factory;
    private final Predicate<String> mirrored;
    private final MirrorMode mode;
    private final String database;
    private final ReferenceClock reference;
    private volatile CloneProgress progress = CloneProgress.NONE;

    Cloner(ConnectionFactory factory, Predicate<String> mirrored, MirrorMode mode, String database,
           ReferenceClock reference) {
        this.factory = factory;
        this.mirrored = mirrored;
        this.mode = mode;
        this.database = database;
        this.reference = reference;
    }

    /** Who hears how the next copies advance (and may cancel them). */
    void watch(CloneProgress watcher) {
        progress = watcher;
    }

    /** The hub's snapshot ({@link Hub#snapshotInto}) made a replica at {@code target}. */
    void cloneInto(Hub hub, String hubLocation, Path target) {
        CloneProgress watcher = progress;
        Path temp = target.resolveSibling(target.getFileName() + ".cloning");
        try {
            BackupApi.deleteLeftovers(temp);
            long started = System.nanoTime();
            long hubSchema = hub.snapshotInto(temp, watcher);
            try (Connection c = factory.open(temp, ConnectionFactory.Kind.LOCAL)) {
                if (MovedMark.read(c).isPresent()) {
                    // The snapshot says where the hub is now: a first copy or a read-only mirror's refresh follows it.
                    throw MovedMark.moved(c);
                }
                prepare(c, hubSchema);
                String check = SingleValue.of(c, "PRAGMA integrity_check");
                if (!"ok".equals(check)) {
                    throw new StoreException(Kind.CORRUPT, "the copy of " + hubLocation + " fails its integrity check: "
                            + check, "the hub may be damaged; check it with `sqlite3 " + hubLocation
                            + " 'PRAGMA integrity_check'`", null);
                }
                if (watcher != CloneProgress.NONE) {
                    reportRows(c, watcher);
                }
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Logger.info("cloned {} into {} in {} ms ({} bytes)", hubLocation, target,
                    (System.nanoTime() - started) / 1_000_000, Files.size(target));
        } catch (SQLException e) {
            throw SqliteErrors.classify("cloning " + hubLocation + " into " + target, e);
        } catch (IOException e) {
            throw SqliteErrors.classify("cloning " + hubLocation + " into " + target, e);
        }
    }

    private void reportRows(Connection c, CloneProgress watcher) throws SQLException {
        long rows = 0;
        List<String> tables = Schema.userTables(c);
        for (String table : tables) {
            rows += Long.parseLong(SingleValue.of(c, "SELECT count(*) FROM " + Sql.ident(table)));
        }
        watcher.copied(rows, tables.size());
    }

    /** Turns a byte-for-byte copy of the hub into a replica. */
    private void prepare(Connection c, long hubSchemaVersion) throws SQLException {
        boolean readWrite = mode == MirrorMode.READ_WRITE;
        long head = 0;
        long newestChange = 0;
        // Unmeasured, this computer's clock may be hours off: the hub's newest change is the better start then.
        long now = reference.reading().isPresent() ? reference.now().toEpochMilli() : 0;
        long limit = reference.now().toEpochMilli() + reference.aheadLimit().toMillis();
        List<Object[]> ahead = List.of();
        if (readWrite) { // a read-only copy is replaced whole, never pulled into, and its hub may have no log at all
            head = Long.parseLong(SingleValue.of(c, "SELECT coalesce(max(seq), 0) FROM _sm_log"));
            newestChange = newestBelievable(c, limit);
            ahead = AheadStamps.inLog(c, limit);
        }
        Long rowids = RowidGuard.largestCanaryRowid(c); // before the hub's own objects go
        List<String> ddl = new ArrayList<>(HubLog.objectsToDrop(c, database));
        Set<String> left = new HashSet<>();
        for (String table : Schema.userTables(c)) {
            if (!mirrored.test(table)) {
                ddl.add("DROP TABLE " + Sql.ident(table));
                left.add(AppTriggers.lower(table));
            }
        }
        for (AppTriggers.Trigger t : AppTriggers.read(c)) {
            if (t.role() != AppTriggers.Role.MEDDLES && !Collections.disjoint(t.writes(), left)
                    && !left.contains(AppTriggers.lower(t.table()))) {
                // It would make every write of the application's to its table fail with "no such table".
                Logger.warn("{}: trigger {} writes a table that is not mirrored (tables: exclude); it is not copied"
                        + " into the replica", database, t.name());
                ddl.add("DROP TRIGGER " + Sql.ident(t.name()));
            }
        }
        ddl.add("PRAGMA journal_mode = WAL");
        Instrumentation.execute(c, ddl);
        if (readWrite) {
            ReplicaCapture.install(c, Schema.read(c, mirrored).values());
            AheadStamps.remember(c, ahead);
        } else {
            ReplicaCapture.installReadOnly(c, Schema.read(c, mirrored).values(), database);
        }
        var clock = reference.reading().filter(r -> readWrite);
        try (var s = c.prepareStatement("INSERT INTO _sm_state(applying, clock, cursor, node, schema_version, blocked,"
                + " rowids, clock_offset, clock_error) VALUES(0, ?, ?, ?, ?, 0, ?, ?, ?)")) {
            s.setLong(1, Math.max(newestChange, now));
            s.setLong(2, head);
            s.setString(3, UUID.randomUUID().toString());
            s.setLong(4, hubSchemaVersion);
            s.setObject(5, rowids);
            s.setLong(6, clock.map(ReferenceClock.Reading::offsetMs).orElse(0L));
            s.setObject(7, clock.map(ReferenceClock.Reading::errorMs).orElse(null));
            s.executeUpdate();
        }
    }

    /**
     * The newest change time in the copied log that is no further ahead than {@code limit}: the replica's clock starts
     * there (or now, if later), so an edit made here after the clone wins over what it copied; a stamp from a wrong
     * clock beyond the limit must not start it an hour ahead (AheadStamps remembers those rows instead).
     */
    private static long newestBelievable(Connection c, long limit) throws SQLException {
        try (var s = c.prepareStatement("SELECT coalesce(max(ts), 0) FROM _sm_log WHERE ts <= ?")) {
            s.setLong(1, limit);
            try (var r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
