package io.sharemirror.config;

import io.sharemirror.paths.PostgresAddress;
import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A database as the dashboard's Add and Edit dialogs describe it: the settings they write to the config file. Its
 * table filter is not here: the dialogs leave {@code tables:} as the file has it.
 */
public record DatabaseDraft(String name, String path, Duration syncInterval, EnableCache enableCache,
                            ConflictPolicy conflict, MirrorMode mode) {

    /** The settings of a database as configured now. */
    public static DatabaseDraft of(DatabaseConfig db) {
        return new DatabaseDraft(db.name(), db.path(), db.syncInterval(), db.enableCache(), db.conflict(), db.mode());
    }

    /** Where a first copy comes from, for people: the file's name on the share, or {@code PostgreSQL host:port/db}. */
    public String copiedFrom() {
        if (PostgresAddress.looksLike(path)) {
            try {
                return PostgresAddress.parse(path).describe();
            } catch (PostgresAddress.Invalid e) {
                return path; // the dialog refused it already; never reached with a bad URL
            }
        }
        return path.replaceAll(".*[\\\\/]", "") + " from the share";
    }

    /** The keys an entry of {@code databases:} gets for these settings, as the config file spells them. */
    Map<String, String> settings() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("sync_interval", Long.toString(syncInterval.toSeconds()));
        keys.put("enable_cache", enableCache.name().toLowerCase(Locale.ROOT));
        keys.put("conflict", conflict.configName());
        keys.put("mode", mode.configName());
        return keys;
    }
}
