package io.sharemirror.store;

import static io.sharemirror.store.DjangoProject.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: {@link DjangoOnTwoDesktopsTest}'s cases with the hub moved to PostgreSQL (the replicas, the driver and
 * Django stay as they are), and what a team moving there would try: migrating one desktop while another keeps writing.
 */
class DjangoOnPostgresHubTest extends DjangoOnTwoDesktopsTest {

    private static PostgresHub postgres;

    @BeforeAll
    static void startServer() throws Exception {
        postgres = PostgresHub.start();
    }

    @AfterAll
    static void stopServer() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    Cluster newCluster() throws Exception {
        return postgres.cluster(dir);
    }

    /** File hub only (not a test here): there is no share file for Django to open on a PostgreSQL hub. */
    @Override
    void djangoOnTheShareItselfAndTwoDesktopsConverge() {
    }
}
