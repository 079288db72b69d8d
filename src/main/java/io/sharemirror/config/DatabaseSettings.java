package io.sharemirror.config;

import io.sharemirror.paths.PostgresAddress;
import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.MergeMode;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The settings of one database, declared once. Those {@link #SHARED} are read alike in the {@code database:} block,
 * where they are every database's defaults, and in each {@code databases:} entry, which inherits what it leaves out;
 * {@code tables:} only an entry sets.
 */
final class DatabaseSettings {

    static final Setting<Duration> SYNC_INTERVAL = Setting.wholeSeconds("sync_interval", SyncInterval.MIN_SECONDS,
            SyncInterval.MAX_SECONDS, Duration.ofSeconds(30));
    static final Setting<EnableCache> ENABLE_CACHE = Setting.choice("enable_cache", "allowed", EnableCache.values(),
            c -> c.name().toLowerCase(Locale.ROOT), EnableCache.AUTO);
    static final Setting<ConflictPolicy> CONFLICT = Setting.choice("conflict", "a conflict policy",
            ConflictPolicy.values(), ConflictPolicy::configName, ConflictPolicy.NEWEST_WINS);
    static final Setting<MergeMode> MERGE = Setting.choice("merge", "a merge mode", MergeMode.values(),
            MergeMode::configName, MergeMode.ROW);
    /** A table set in the block and in an entry takes the entry's settings; the others add up. */
    static final Setting<Map<String, PerTablePolicies.TableSettings>> PER_TABLE = new Setting<>("per_table",
            PerTablePolicies::read, Map.of(), PerTablePolicies::inherit);
    static final Setting<MirrorMode> MODE = Setting.choice("mode", "a mode", MirrorMode.values(),
            MirrorMode::configName, MirrorMode.READ_WRITE);
    static final Setting<TableFilter> TABLES = Setting.of("tables", TableLists::read, TableFilter.ALL);

    /** Settings of the {@code database:} block and of every entry alike. */
    static final List<Setting<?>> SHARED = List.of(SYNC_INTERVAL, ENABLE_CACHE, CONFLICT, MERGE, PER_TABLE, MODE);
    /** Settings of a {@code databases:} entry, besides its name and path. */
    static final List<Setting<?>> ENTRY = Stream.concat(SHARED.stream(), Stream.of(TABLES)).toList();
    /** What a database gets when neither the block nor its entry says otherwise. */
    static final SettingValues DEFAULTS = SettingValues.defaults(ENTRY);

    private DatabaseSettings() {
    }

    /** The database named {@code name} at {@code location} (a PostgreSQL hub if {@code postgres} is given). */
    static DatabaseConfig config(String name, String path, String location, Optional<PostgresAddress> postgres,
                                 SettingValues values) {
        return new DatabaseConfig(name, path, location, postgres, values.get(SYNC_INTERVAL), values.get(ENABLE_CACHE),
                PerTablePolicies.policies(values.get(CONFLICT), values.get(MERGE), values.get(PER_TABLE)),
                values.get(MODE), values.get(TABLES));
    }
}
