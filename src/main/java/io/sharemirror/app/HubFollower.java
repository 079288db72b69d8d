package io.sharemirror.app;

import io.sharemirror.config.ConfigEdits;
import io.sharemirror.config.ConfigException;
import io.sharemirror.config.ConfigLoader;
import io.sharemirror.config.DatabaseConfig;
import io.sharemirror.config.DatabaseDraft;
import io.sharemirror.config.EnableCache;
import io.sharemirror.platform.SafeFiles;
import io.sharemirror.sync.HubMovedException;
import io.sharemirror.sync.HubMoves;
import io.sharemirror.sync.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.tinylog.Logger;

/**
 * Follows a hub that moved (ARCHITECTURE.md#moving-a-hub): the database's {@code path} in this computer's config file
 * becomes the new hub's URL, written by {@link ConfigEdits} so the user's comments and layout stay, and atomically.
 * The running agent's {@link ConfigWatcher} then restarts the database's sync on the new hub with the same replica:
 * its cursor and queue carry over. Called on a cycle's thread, which holds the database's lock, so it only writes
 * the file and never reconfigures the agent itself (that waits for the cycle to end).
 */
final class HubFollower implements HubMoves {

    private final Path configFile;

    HubFollower(Path configFile) {
        this.configFile = configFile.toAbsolutePath();
    }

    @Override
    public synchronized void follow(String database, HubMovedException moved) {
        try {
            String text = Files.readString(configFile);
            Optional<DatabaseConfig> db = ConfigLoader.parse(text, configFile).database(database);
            if (db.isEmpty() || db.get().path().equals(moved.url())) {
                return; // removed meanwhile, or written already: the watcher applies what the file says
            }
            SafeFiles.writeAtomically(configFile, pointedAt(text, configFile, db.get(), moved.url()));
            Logger.info("{}: its hub {}; {} now names it", database, moved.getMessage(), configFile);
        } catch (IOException | ConfigException e) {
            throw new StoreException(StoreException.Kind.FAILED, "the hub " + moved.getMessage() + ", but "
                    + configFile + " could not be changed to name it: " + e.getMessage(), "set path: " + moved.url()
                    + " for " + database + " in " + configFile + " (ShareMirror follows the edit)", e);
        }
    }

    /**
     * {@code text} with {@code db}'s path set to {@code url}. A database opened directly ({@code enable_cache: false})
     * becomes {@code auto}: a hub on a server is always mirrored.
     */
    static String pointedAt(String text, Path file, DatabaseConfig db, String url) throws ConfigException {
        DatabaseDraft now = DatabaseDraft.of(db);
        return ConfigEdits.change(text, file, new DatabaseDraft(now.name(), url, now.syncInterval(),
                now.enableCache() == EnableCache.FALSE ? EnableCache.AUTO : now.enableCache(), now.conflict(),
                now.mode()));
    }
}
