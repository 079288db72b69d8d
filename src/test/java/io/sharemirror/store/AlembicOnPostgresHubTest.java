package io.sharemirror.store;

import io.sharemirror.sync.conflict.ConflictPolicy;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 17: {@link AlembicOnTwoDesktopsTest} with the hub moved to PostgreSQL; Alembic and the replicas unchanged. */
class AlembicOnPostgresHubTest extends AlembicOnTwoDesktopsTest {

    @RegisterExtension
    static final PostgresHub postgres = new PostgresHub();

    /**
     * The hub's tables are made by a desktop, as on PostgreSQL only agents make them (a table made there by hand is not
     * mirrored); the desktop that made them stays one of the cluster's.
     */
    @Override
    Cluster newCluster(String... ddl) throws Exception {
        Cluster cluster = postgres.cluster(dir);
        cluster.add(ConflictPolicy.NEWEST_WINS).exec(ddl);
        cluster.settle();
        return cluster;
    }

    @Override
    void directWrite(Cluster cluster, String sql) throws Exception {
        postgres.exec(sql);
    }
}
