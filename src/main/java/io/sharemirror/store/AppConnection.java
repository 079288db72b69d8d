package io.sharemirror.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Set;

/**
 * The connection the JDBC driver hands an application: sqlite-jdbc's, kept in auto-commit mode, with JDBC's
 * manual-commit transactions made here. Such a transaction begins with {@code BEGIN IMMEDIATE} at its first statement,
 * so it holds the write lock from its first read on: a write after a read can no longer be refused because another
 * connection (the agent applying other desktops' changes, another program) committed in between
 * ({@code SQLITE_BUSY_SNAPSHOT}, which no busy timeout waits out). {@code commit()} and {@code rollback()} end it, and
 * between transactions the connection holds no lock. (sqlite-jdbc's own manual mode begins DEFERRED; its
 * {@code transaction_mode=IMMEDIATE} begins again right after each commit, holding the write lock between
 * transactions.) A read-only connection begins a plain {@code BEGIN}: it cannot write, so it needs no write lock.
 * {@code setReadOnly} is JDBC's, allowed outside a transaction, and enforced with {@code PRAGMA query_only} (sqlite-jdbc
 * allows it only with {@code jdbc.explicit_readonly}, and enforces it only in its own manual mode, never used here).
 *
 * <p>Statements, result sets and the metadata come wrapped ({@link AppConnectionPart}) so that each gives this
 * connection back as its own and a statement starts the transaction before it runs.
 */
final class AppConnection implements InvocationHandler {

    /** The objects handed out wrapped: each can name its connection or statement, and statements begin transactions. */
    private static final Set<Class<?>> WRAPPED = Set.of(Statement.class, PreparedStatement.class,
            CallableStatement.class, ResultSet.class, DatabaseMetaData.class);

    private final Connection real;
    private final Connection self;
    private boolean autoCommit = true;
    private boolean inTransaction;
    private boolean readOnly;
    private int savepoints;

    private AppConnection(Connection real) {
        this.real = real;
        this.self = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, this);
    }

    /** {@code real}, an auto-commit sqlite-jdbc connection, as an application's connection. */
    static Connection wrap(Connection real) {
        return new AppConnection(real).self;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        return switch (method.getName()) {
            case "getAutoCommit" -> autoCommit();
            case "setAutoCommit" -> {
                setAutoCommit((Boolean) args[0]);
                yield null;
            }
            case "commit" -> {
                end("COMMIT");
                yield null;
            }
            case "rollback" -> {
                if (args == null) {
                    end("ROLLBACK");
                } else {
                    toSavepoint("ROLLBACK TO", args[0]);
                }
                yield null;
            }
            case "setSavepoint" -> savepoint(args == null ? null : (String) args[0]);
            case "releaseSavepoint" -> {
                toSavepoint("RELEASE", args[0]);
                yield null;
            }
            case "setReadOnly" -> {
                setReadOnly((Boolean) args[0]);
                yield null;
            }
            case "isReadOnly" -> readOnly();
            case "close" -> {
                close();
                yield null;
            }
            default -> common(proxy, real, method, args, null);
        };
    }

    /** The connection the application holds. */
    Connection self() {
        return self;
    }

    /** Called by a statement before it runs: in manual-commit mode, the first statement begins the transaction. */
    synchronized void beforeStatement() throws SQLException {
        if (autoCommit || inTransaction) {
            return;
        }
        execute(readOnly() ? "BEGIN" : "BEGIN IMMEDIATE");
        inTransaction = true;
    }

    /**
     * What every wrapped object does alike: {@code equals}/{@code hashCode} by identity, {@code unwrap} to itself or
     * what it wraps, and any other call passed to {@code target}, its result wrapped when it is a statement, result
     * set or metadata ({@code owner}: the statement a result set gives back as its own).
     */
    Object common(Object proxy, Object target, Method method, Object[] args, Object owner) throws Throwable {
        switch (method.getName()) {
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "unwrap":
                return ((Class<?>) args[0]).isInstance(proxy) ? proxy : forward(target, method, args);
            case "isWrapperFor":
                return ((Class<?>) args[0]).isInstance(proxy) || (Boolean) forward(target, method, args);
            default:
                Object result = forward(target, method, args);
                Class<?> type = method.getReturnType();
                return result == null || !WRAPPED.contains(type) ? result : Proxy.newProxyInstance(
                        type.getClassLoader(), new Class<?>[] {type}, new AppConnectionPart(result, this, owner));
        }
    }

    private static Object forward(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private synchronized boolean autoCommit() throws SQLException {
        checkOpen();
        return autoCommit;
    }

    /** JDBC: switching to auto-commit inside a transaction commits it. */
    private synchronized void setAutoCommit(boolean on) throws SQLException {
        checkOpen();
        if (on && inTransaction) {
            end("COMMIT");
        }
        autoCommit = on;
    }

    private synchronized void end(String sql) throws SQLException {
        checkOpen();
        if (autoCommit) {
            throw new SQLException("database in auto-commit mode");
        }
        if (!inTransaction) {
            return; // no statement ran since the last end: nothing was begun
        }
        try {
            execute(sql);
        } catch (SQLException e) {
            // A COMMIT refused as busy (a reader on a rollback-journal file) or for a deferred foreign key leaves the
            // transaction open, for the application to retry or roll back. A ROLLBACK finding none had it rolled back
            // by SQLite already (after an I/O error, a full disk, RAISE(ROLLBACK)): the application's wish is met.
            if (!sql.equals("ROLLBACK") || !String.valueOf(e.getMessage()).contains("no transaction is active")) {
                throw e;
            }
        }
        inTransaction = false;
    }

    private synchronized Savepoint savepoint(String name) throws SQLException {
        checkOpen();
        if (autoCommit) {
            throw new SQLException("database in auto-commit mode: a savepoint needs a transaction");
        }
        beforeStatement();
        AppSavepoint savepoint = name == null ? new AppSavepoint(++savepoints, null) : new AppSavepoint(0, name);
        execute("SAVEPOINT " + Sql.ident(savepoint.sqlName()));
        return savepoint;
    }

    private synchronized void toSavepoint(String sql, Object savepoint) throws SQLException {
        checkOpen();
        if (autoCommit) {
            throw new SQLException("database in auto-commit mode");
        }
        if (!(savepoint instanceof AppSavepoint ours)) {
            throw new SQLException("not a savepoint of this connection: " + savepoint);
        }
        execute(sql + " " + Sql.ident(ours.sqlName()));
    }

    private synchronized void setReadOnly(boolean on) throws SQLException {
        checkOpen();
        if (inTransaction) {
            throw new SQLException("the read-only flag cannot change during a transaction");
        }
        if (!on && real.isReadOnly()) {
            throw new SQLException("the database was opened read-only (it is mirrored with mode: read-only)");
        }
        execute("PRAGMA query_only = " + on);
        readOnly = on;
    }

    /** Set so by the application, or opened read-only (sqlite-jdbc's flag tells only that here). */
    private synchronized boolean readOnly() throws SQLException {
        return readOnly || real.isReadOnly();
    }

    /** Closing with a transaction open rolls it back, as JDBC leaves to the driver and SQLite does on close. */
    private synchronized void close() throws SQLException {
        if (real.isClosed()) {
            return;
        }
        if (inTransaction) {
            RowIo.rollbackQuietly(real);
            inTransaction = false;
        }
        real.close();
    }

    private void checkOpen() throws SQLException {
        if (real.isClosed()) {
            throw new SQLException("database connection closed");
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = real.createStatement()) {
            s.execute(sql);
        }
    }

    /** JDBC's savepoint: an unnamed one has an id and no name, a named one a name and no id. */
    private record AppSavepoint(int id, String name) implements Savepoint {

        String sqlName() {
            return name != null ? name : "sharemirror_savepoint_" + id;
        }

        @Override
        public int getSavepointId() throws SQLException {
            if (name != null) {
                throw new SQLException("a named savepoint has no id");
            }
            return id;
        }

        @Override
        public String getSavepointName() throws SQLException {
            if (name == null) {
                throw new SQLException("an unnamed savepoint has no name");
            }
            return name;
        }
    }
}
