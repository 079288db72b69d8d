package io.sharemirror.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.store.Cluster;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The clash the waiting-row tests meet, made on real files: a hub {@code share/orders.db} with suppliers (UNIQUE code)
 * and parts (ON DELETE RESTRICT), configured as {@code orders} in {@code config.yaml}. This desktop makes supplier 10
 * 'NEW' with a part pointing at it; another desktop makes supplier 20 'NEW' later, so the policy would give the code
 * to 20, but 10 cannot go while its part points at it: the clash waits here once this desktop syncs. Both desktops
 * also make part 5, the other first, so this desktop's part 5 is renumbered.
 */
final class ClashingDesktops {

    private ClashingDesktops() {
    }

    /** The hub and the config file in {@code dir}; returns the config file. */
    static Path share(Path dir, String configExtra) throws Exception {
        Path hub = Files.createDirectories(dir.resolve("share")).resolve("orders.db");
        Cluster.run(hub, "CREATE TABLE supplier(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT)",
                "CREATE TABLE part(id INTEGER PRIMARY KEY, supplier_id INTEGER REFERENCES supplier(id)"
                        + " ON DELETE RESTRICT, v TEXT)",
                "INSERT INTO supplier VALUES(1, 'S1', 'Acme')");
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "database:\n  cache_directory: cache\n  enable_cache: true\n" + configExtra
                + "databases:\n  - name: orders\n    path: share/orders.db\n");
        return config;
    }

    /** The writes of both desktops, once this desktop's replica exists; the other desktop has pushed its own. */
    static void clash(Path dir, Path replica) throws Exception {
        try (Cluster other = new Cluster(dir.resolve("other"), dir.resolve("share").resolve("orders.db"))) {
            var b = other.add(ConflictPolicy.NEWEST_WINS);
            other.settle();
            b.exec("INSERT INTO part VALUES(5, 1, 'made there first')");
            assertTrue(b.sync().succeeded());
            Cluster.run(replica, "INSERT INTO supplier VALUES(10, 'NEW', 'Bolts Ltd, made here')",
                    "INSERT INTO part VALUES(1, 10, 'bolt')", "INSERT INTO part VALUES(5, 1, 'made here')");
            long ours = Long.parseLong(Cluster.scalar(replica, "SELECT max(ts) FROM _sm_pending"));
            XDisplay.waitFor(() -> System.currentTimeMillis() > ours, "the clock is past our stamp");
            b.exec("INSERT INTO supplier VALUES(20, 'NEW', 'Bolts GmbH, made there')");
            assertTrue(b.sync().succeeded());
        }
    }
}
