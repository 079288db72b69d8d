package io.sharemirror.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.apache.commons.dbcp2.PoolableConnection;
import org.apache.commons.dbcp2.PoolableConnectionFactory;
import org.apache.commons.dbcp2.PoolingDataSource;
import org.apache.commons.pool2.impl.GenericObjectPool;

/** Pooled read connections to one local database, made by the {@link ConnectionFactory} and checked before use. */
final class ReadPool implements AutoCloseable {

    private final GenericObjectPool<PoolableConnection> pool;
    private final PoolingDataSource<PoolableConnection> source;

    ReadPool(ConnectionFactory factory, Path file, int size, Duration maxWait) {
        PoolableConnectionFactory connections = new PoolableConnectionFactory(
                () -> factory.open(file, ConnectionFactory.Kind.LOCAL), null);
        connections.setValidationQuery("SELECT 1");
        connections.setValidationQueryTimeout(Duration.ofSeconds(5));
        connections.setDefaultAutoCommit(true);
        pool = new GenericObjectPool<>(connections);
        pool.setMaxTotal(size);
        pool.setMaxIdle(size);
        pool.setMaxWait(maxWait);
        pool.setTestOnBorrow(true);
        connections.setPool(pool);
        source = new PoolingDataSource<>(pool);
    }

    Connection borrow() throws SQLException {
        return source.getConnection();
    }

    @Override
    public void close() {
        pool.close();
    }
}
