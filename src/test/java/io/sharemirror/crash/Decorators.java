package io.sharemirror.crash;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * Decorators over the engine's storage interfaces, as dynamic proxies that pass every call on unless they intercept
 * it: a method added to these interfaces later (default methods included) still reaches the real implementation.
 */
final class Decorators {

    private Decorators() {
    }

    /** Calls the wrapped object with the (possibly replaced) arguments. */
    @FunctionalInterface
    interface Call {
        Object proceed() throws Throwable;
    }

    @FunctionalInterface
    interface Interceptor {
        Object invoke(String method, Object[] args, Call call) throws Throwable;
    }

    @SuppressWarnings("unchecked")
    static <T> T decorate(Class<T> type, T delegate, Interceptor interceptor) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, given) -> {
            Object[] args = given == null ? new Object[0] : given;
            return interceptor.invoke(method.getName(), args, () -> {
                try {
                    return method.invoke(delegate, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
        });
    }
}
