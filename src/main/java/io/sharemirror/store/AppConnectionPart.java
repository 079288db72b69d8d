package io.sharemirror.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.sql.Statement;

/**
 * A statement, result set or database metadata of an {@link AppConnection}: it names the application's connection
 * (and a result set its statement) as its own, a statement begins the connection's transaction before it executes,
 * and everything else is sqlite-jdbc's.
 */
final class AppConnectionPart implements InvocationHandler {

    private final Object target;
    private final AppConnection connection;
    /** For a result set, the wrapped statement that made it; else null. */
    private final Object owner;

    AppConnectionPart(Object target, AppConnection connection, Object owner) {
        this.target = target;
        this.connection = connection;
        this.owner = owner;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (name.equals("getConnection")) {
            return connection.self();
        }
        if (name.equals("getStatement") && owner != null) {
            return owner;
        }
        if (target instanceof Statement && name.startsWith("execute")) {
            connection.beforeStatement(); // execute, executeQuery, executeUpdate, executeBatch and their Large forms
        }
        return connection.common(proxy, target, method, args, target instanceof Statement ? proxy : null);
    }
}
