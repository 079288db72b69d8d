package io.sharemirror.store.pg;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sharemirror.store.Cluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A direct writer that leaves an integer key to the hub gets one no push is writing: it waits for the push's lock, as
 * every writer of a file hub waits for its write lock, instead of failing on a duplicate key at the push's commit.
 */
class PgKeyFillerTest extends PgHubFixture {

    @TempDir
    Path dir;

    @Test
    void aKeyLeftToTheHubIsNotOneAnOpenPushIsWriting() throws Exception {
        Path made = dir.resolve("schema.db");
        Cluster.run(made, "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT)");
        copy(made, pg);
        try (Connection push = server.connect(); Statement p = push.createStatement()) {
            push.setAutoCommit(false);
            p.execute(PgPush.beginSql()); // the push's lock and mark, as PgHub.beginPush takes them
            p.execute("INSERT INTO item(id, name) VALUES (1, 'pushed')");
            CompletableFuture<Long> direct = CompletableFuture.supplyAsync(() -> {
                try (Connection writer = server.connect(); Statement w = writer.createStatement();
                     ResultSet r = w.executeQuery("INSERT INTO item(name) VALUES ('direct') RETURNING id")) {
                    r.next();
                    return r.getLong(1);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await("the direct writer waits for the push's lock").atMost(Duration.ofSeconds(30))
                    .until(() -> waitingForALock() > 0);
            push.commit();
            assertEquals(2L, direct.get(30, TimeUnit.SECONDS), "one above the pushed row");
        }
    }

    private static long waitingForALock() throws Exception {
        try (Statement s = pg.createStatement(); ResultSet r = s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")) {
            r.next();
            return r.getLong(1);
        }
    }
}
