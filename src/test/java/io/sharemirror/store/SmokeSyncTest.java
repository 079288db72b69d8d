package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeSyncTest {

    @TempDir
    Path dir;

    @Test
    void writeOnOneReplicaReachesTheOther() throws Exception {
        try (Cluster cluster = Cluster.chinook(dir)) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            a.exec("INSERT INTO Artist(Name) VALUES('Smoke Test Band')");
            System.out.println(a.sync());
            System.out.println(b.sync());
            assertEquals("1", Cluster.scalar(b.replica(), "SELECT count(*) FROM Artist WHERE Name = 'Smoke Test Band'"));
            assertEquals(Cluster.dump(cluster.hub), Cluster.dump(b.replica()));
        }
    }
}
