package io.sharemirror.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.config.ConfigLoader;
import io.sharemirror.config.DatabaseConfig;
import io.sharemirror.config.EnableCache;
import io.sharemirror.sync.HubMovedException;
import io.sharemirror.sync.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A desktop following a hub that moved: its config file names the new hub, and keeps everything else as written. */
class HubFollowerTest {

    private static final String URL = "postgresql://team@db.example.com:5432/orders";

    @TempDir
    Path dir;

    private Path file;
    private String text;

    @BeforeEach
    void aConfigWithComments() throws Exception {
        file = dir.resolve("config.yaml");
        text = """
                # the team's databases
                database:
                  cache_directory: %s
                  sync_interval: 60   # a minute

                databases:
                  - name: orders        # the shop
                    path: %s   # on the NAS
                  - name: notes
                    path: %s
                    enable_cache: false
                """.formatted(dir.resolve("cache"), dir.resolve("orders.db"), dir.resolve("notes.db"));
        Files.writeString(file, text);
    }

    private static HubMovedException movedTo(String url) {
        return new HubMovedException(url, "PostgreSQL db.example.com:5432/orders");
    }

    @Test
    void thePathBecomesTheNewHubAndNothingElseChanges() throws Exception {
        new HubFollower(file).follow("orders", movedTo(URL));
        assertEquals(text.replace(dir.resolve("orders.db").toString(), URL), Files.readString(file));
        DatabaseConfig orders = ConfigLoader.load(file).database("orders").orElseThrow();
        assertEquals(URL, orders.location());
    }

    @Test
    void followingTwiceWritesOnce() throws Exception {
        HubFollower follower = new HubFollower(file);
        follower.follow("orders", movedTo(URL));
        String once = Files.readString(file);
        follower.follow("orders", movedTo(URL));
        assertEquals(once, Files.readString(file));
    }

    /** A PostgreSQL hub is always mirrored: the config would refuse enable_cache: false for it. */
    @Test
    void aDatabaseOpenedDirectlyBecomesMirrored() throws Exception {
        new HubFollower(file).follow("notes", movedTo(URL.replace("orders", "notes")));
        DatabaseConfig notes = ConfigLoader.load(file).database("notes").orElseThrow();
        assertEquals(URL.replace("orders", "notes"), notes.path());
        assertEquals(EnableCache.AUTO, notes.enableCache());
        assertTrue(Files.readString(file).contains("# the team's databases"), Files.readString(file));
    }

    @Test
    void aConfigThatCannotBeChangedFailsTheCycleSayingWhatToWrite() throws Exception {
        Files.writeString(file, text + "  - name: orders\n    path: again.db\n"); // two named orders: refused
        StoreException e = assertThrows(StoreException.class, () -> new HubFollower(file).follow("orders",
                movedTo(URL)));
        assertEquals(StoreException.Kind.FAILED, e.kind());
        assertTrue(e.getMessage().startsWith("the hub moved to PostgreSQL db.example.com:5432/orders, but " + file
                + " could not be changed to name it: "), e.getMessage());
        assertEquals("set path: " + URL + " for orders in " + file + " (ShareMirror follows the edit)", e.hint());
    }
}
