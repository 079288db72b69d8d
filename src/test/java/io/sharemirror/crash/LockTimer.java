package io.sharemirror.crash;

import io.sharemirror.sync.Hub;
import io.sharemirror.sync.MirrorStore;
import io.sharemirror.sync.PushTransaction;

/**
 * Prints, for each push, how long the agent held the hub's write lock: from the return of BEGIN IMMEDIATE to the
 * return of COMMIT or to the rollback, and how long COMMIT itself took (it waits while readers hold the hub).
 * Output line: {@code HUB-LOCK heldMs=N commitMs=M end=commit|rollback}.
 */
final class LockTimer {

    private LockTimer() {
    }

    static MirrorStore store(MirrorStore delegate) {
        return Decorators.decorate(MirrorStore.class, delegate, (method, args, call) -> method.equals("hub")
                ? hub((Hub) call.proceed()) : call.proceed());
    }

    private static Hub hub(Hub delegate) {
        return Decorators.decorate(Hub.class, delegate, (method, args, call) -> method.equals("beginPush")
                ? push((PushTransaction) call.proceed(), System.nanoTime()) : call.proceed());
    }

    private static PushTransaction push(PushTransaction delegate, long locked) {
        long[] commitNanos = {0};
        boolean[] ended = {false};
        return Decorators.decorate(PushTransaction.class, delegate, (method, args, call) -> {
            if (method.equals("commit")) {
                long started = System.nanoTime();
                try {
                    Object result = call.proceed();
                    commitNanos[0] = System.nanoTime() - started;
                    print(locked, commitNanos[0], "commit", ended);
                    return result;
                } catch (Throwable t) {
                    // a COMMIT that stayed busy is rolled back before the failure comes out
                    print(locked, System.nanoTime() - started, "rollback", ended);
                    throw t;
                }
            }
            Object result = call.proceed();
            if (method.equals("close")) {
                print(locked, commitNanos[0], "rollback", ended);
            }
            return result;
        });
    }

    private static void print(long locked, long commitNanos, String end, boolean[] ended) {
        if (!ended[0]) {
            ended[0] = true;
            System.out.println("HUB-LOCK heldMs=" + (System.nanoTime() - locked) / 1_000_000 + " commitMs="
                    + commitNanos / 1_000_000 + " end=" + end);
        }
    }
}
