package io.sharemirror.config;

import io.sharemirror.paths.PostgresAddress;
import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.TablePolicies;
import java.time.Duration;
import java.util.Optional;

/**
 * One mirrored database.
 *
 * @param path the share path exactly as written in the file (UNC, //server/share, drive or POSIX), or a
 *             {@code postgresql://} URL
 * @param location the path to open: {@code path} with {@code ~} expanded and a relative path
 *                 resolved against the config file's folder; UNC paths are left as written; a PostgreSQL hub's
 *                 URL in one spelling ({@link PostgresAddress#url})
 * @param postgres the server and database when the hub is on PostgreSQL; empty for a database file
 * @param policies how conflicts are settled: the database's {@code conflict:} and {@code merge:}, and those of the
 *                 tables configured apart ({@code per_table:})
 * @param mode whether local writes go to the hub, or the replica is a read-only copy of it
 */
public record DatabaseConfig(
        String name,
        String path,
        String location,
        Optional<PostgresAddress> postgres,
        Duration syncInterval,
        EnableCache enableCache,
        TablePolicies policies,
        MirrorMode mode,
        TableFilter tables) {

    /** The database's own conflict policy: that of every table not configured apart. */
    public ConflictPolicy conflict() {
        return policies.database().conflict();
    }

    /** {@link #hubKind()} of a hub that is a database file. */
    public static final String FILE_SHARE = "file share";

    /** What kind of hub this is, for people: {@value #FILE_SHARE} or {@code PostgreSQL host:port/db}. */
    public String hubKind() {
        return postgres.map(PostgresAddress::describe).orElse(FILE_SHARE);
    }

    /** Whether the replica is a read-only copy (mode: read-only). */
    public boolean readOnly() {
        return mode == MirrorMode.READ_ONLY;
    }
}
