package io.sharemirror.app;

import io.sharemirror.config.ConfigLoader;
import io.sharemirror.store.Cluster;
import java.nio.file.Path;

/**
 * For SecretsStayInTheCacheTest, in a JVM of its own so that logging is set up as the agent sets it: every path a row
 * value can take through the agent (clone, push, pull, a conflict and its archive, a restore, a UNIQUE clash settled
 * by the policy), with {@code args[1]} in the keys and values. {@code args[0]} is the config; database "app" has a
 * table {@code note(k TEXT PRIMARY KEY, v TEXT UNIQUE)}. Prints DONE at the end.
 */
public final class SecretsChild {

    private SecretsChild() {
    }

    public static void main(String[] args) throws Exception {
        Logging.configure();
        String secret = args[1];
        try (Agent agent = Agent.open(ConfigLoader.load(Path.of(args[0])))) {
            Path hub = Path.of(agent.config().database("app").orElseThrow().location());
            Path replica = agent.replicaPath("app");
            sync(agent);
            Cluster.run(replica, "INSERT INTO note VALUES('key " + secret + "', 'local " + secret + "')");
            sync(agent);
            Cluster.run(replica, "UPDATE note SET v = 'mine " + secret + "' WHERE k = 'key " + secret + "'");
            // The hub's edit is newer: it wins, and the local version goes to the archive.
            Cluster.awaitClockPast(replica);
            Cluster.run(hub, "UPDATE note SET v = 'theirs " + secret + "' WHERE k = 'key " + secret + "'");
            sync(agent);
            agent.restore(agent.conflicts("app", 10).get(0));
            sync(agent);
            // A value the hub has under its UNIQUE column already: a clash of two rows, the policy decides it (ours is
            // newer) and the hub's row goes to the archive with the constraint and the value.
            Cluster.run(hub, "INSERT INTO note VALUES('hub key " + secret + "', 'taken " + secret + "')");
            Cluster.run(replica, "INSERT INTO note VALUES('other key " + secret + "', 'taken " + secret + "')");
            System.out.println("clashed: " + agent.syncNow("app").get());
        }
        Logging.shutdown();
        System.out.println("DONE");
    }

    private static void sync(Agent agent) throws Exception {
        var record = agent.syncNow("app").get();
        if (!record.succeeded()) {
            throw new IllegalStateException(record.toString());
        }
    }
}
