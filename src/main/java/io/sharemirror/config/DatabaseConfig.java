package io.sharemirror.config;

import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.TablePolicies;
import java.time.Duration;

/**
 * One mirrored database.
 *
 * @param path the share path exactly as written in the file (UNC, //server/share, drive or POSIX)
 * @param location the path to open: {@code path} with {@code ~} expanded and a relative path
 *                 resolved against the config file's folder; UNC paths are left as written
 * @param policies how conflicts are settled: the database's {@code conflict:} and {@code merge:}, and those of the
 *                 tables configured apart ({@code per_table:})
 * @param mode whether local writes go to the hub, or the replica is a read-only copy of it
 */
public record DatabaseConfig(
        String name,
        String path,
        String location,
        Duration syncInterval,
        EnableCache enableCache,
        TablePolicies policies,
        MirrorMode mode,
        TableFilter tables) {

    /** The database's own conflict policy: that of every table not configured apart. */
    public ConflictPolicy conflict() {
        return policies.database().conflict();
    }

    /** Whether the replica is a read-only copy (mode: read-only). */
    public boolean readOnly() {
        return mode == MirrorMode.READ_ONLY;
    }
}
