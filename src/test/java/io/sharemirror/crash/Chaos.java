package io.sharemirror.crash;

import io.sharemirror.sync.ConflictRecord;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.Hub;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.MirrorStore;
import io.sharemirror.sync.PushTransaction;
import io.sharemirror.sync.Pushed;
import io.sharemirror.sync.Replica;
import io.sharemirror.sync.Journal;
import io.sharemirror.sync.Plan;
import io.sharemirror.sync.Renumbering;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.List;
import java.util.Random;

/**
 * Decorators over the engine's storage interfaces that end the process at one named point, on its Nth
 * occurrence, with {@link Runtime#halt}: no shutdown hooks, no finally blocks, no JDBC close - for the database
 * files the same as SIGKILL.
 */
final class Chaos {

    /** Where a child dies. */
    enum Point {
        /** Nowhere on its own: the parent sends SIGKILL at a random moment. */
        RANDOM("random"),
        /** {@link PushTransaction#commit()} returned, {@link Replica#clearPushed} not yet called. */
        AFTER_HUB_COMMIT("after-hub-commit"),
        /** Inside the hub's write transaction: right after BEGIN IMMEDIATE, amid the writes, or after them. */
        INSIDE_HUB_TRANSACTION("inside-hub-transaction"),
        /** Inside {@link Replica#apply}: before it starts, in the middle of its rows, or in a conflict decision. */
        DURING_PULL_APPLY("during-pull-apply"),
        /** While {@link MirrorStore#replica()} makes the first clone of the hub. */
        DURING_CLONE("during-clone");

        final String label;

        Point(String label) {
            this.label = label;
        }

        static Point of(String label) {
            for (Point p : values()) {
                if (p.label.equals(label)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown crash point " + label);
        }
    }

    static final int HALT_STATUS = 137;

    final Point point;
    private final int nth;
    private final int variant;
    private final long cloneDelayMs;
    private final Random random;
    private int seen;

    Chaos(Point point, int nth, int variant, long cloneDelayMs, Random random) {
        this.point = point;
        this.nth = nth;
        this.variant = variant;
        this.cloneDelayMs = cloneDelayMs;
        this.random = random;
    }

    /** Counts an occurrence of {@code p}; true exactly on the chosen one. */
    private synchronized boolean arm(Point p) {
        return point == p && ++seen == nth;
    }

    /** The armed occurrence passed without reaching its halt (e.g. an empty push): arm the next one instead. */
    private synchronized void rearm() {
        seen--;
    }

    static void halt(Point point, String detail) {
        System.out.println("HALT " + point.label + " " + detail);
        System.out.flush();
        Runtime.getRuntime().halt(HALT_STATUS);
    }

    /** A list that halts when element {@code at} is fetched: while the callee iterates inside its transaction. */
    private static <T> List<T> haltingAt(List<T> inner, int at, Point point, String where) {
        return new AbstractList<>() {
            @Override
            public T get(int index) {
                if (index == at) {
                    halt(point, where + " element=" + at + "/" + inner.size());
                }
                return inner.get(index);
            }

            @Override
            public int size() {
                return inner.size();
            }
        };
    }

    /** Wraps the store (see {@link Decorators}). */
    MirrorStore store(MirrorStore delegate, Path replicaFile) {
        boolean[] cloning = new boolean[1];
        return Decorators.decorate(MirrorStore.class, delegate, (method, args, call) -> switch (method) {
            case "hub" -> hub((Hub) call.proceed());
            case "replica" -> replica(delegate, replicaFile, call);
            default -> call.proceed();
        });
    }

    private Object replica(MirrorStore delegate, Path replicaFile, Decorators.Call call) throws Throwable {
        if (point != Point.DURING_CLONE || delegate.replicaFile().exists() || !arm(Point.DURING_CLONE)) {
            return replica((Replica) call.proceed());
        }
        long started = System.nanoTime();
        boolean[] done = new boolean[1];
        Thread halter = new Thread(() -> {
            try {
                Thread.sleep(cloneDelayMs); // the clone runs this long before the halt: the time is the fault
            } catch (InterruptedException e) {
                return;
            }
            synchronized (done) {
                if (!done[0]) {
                    Path temp = replicaFile.resolveSibling(replicaFile.getFileName() + ".cloning");
                    halt(Point.DURING_CLONE, "after=" + (System.nanoTime() - started) / 1_000_000 + "ms"
                            + " cloningFile=" + Files.exists(temp));
                }
            }
        }, "chaos-clone");
        halter.setDaemon(true);
        halter.start();
        try {
            return replica((Replica) call.proceed());
        } finally {
            synchronized (done) {
                done[0] = true;
            }
        }
    }

    private Hub hub(Hub delegate) {
        return Decorators.decorate(Hub.class, delegate, (method, args, call) -> method.equals("beginPush")
                ? push((PushTransaction) call.proceed(), arm(Point.INSIDE_HUB_TRANSACTION))
                : call.proceed());
    }

    @SuppressWarnings("unchecked")
    private PushTransaction push(PushTransaction delegate, boolean armed) {
        return Decorators.decorate(PushTransaction.class, delegate, (method, args, call) -> {
            switch (method) {
                case "probe" -> {
                    if (armed && variant == 0) {
                        halt(Point.INSIDE_HUB_TRANSACTION, "at=after-begin");
                    }
                    return call.proceed();
                }
                case "write" -> {
                    List<LocalChange> changes = (List<LocalChange>) args[0];
                    if (armed && variant == 1 && !changes.isEmpty()) {
                        args[0] = haltingAt(changes, random.nextInt(changes.size()), Point.INSIDE_HUB_TRANSACTION,
                                "at=mid-write");
                        return call.proceed();
                    }
                    Object written = call.proceed();
                    if (armed) {
                        halt(Point.INSIDE_HUB_TRANSACTION, "at=before-commit rows=" + ((Pushed) written).written().size());
                    }
                    return written;
                }
                case "commit" -> {
                    call.proceed();
                    if (arm(Point.AFTER_HUB_COMMIT)) {
                        halt(Point.AFTER_HUB_COMMIT, "at=before-clear-pushed");
                    }
                    return null;
                }
                case "close" -> {
                    call.proceed();
                    if (armed) {
                        rearm(); // an empty push: nothing was written, try the next transaction
                    }
                    return null;
                }
                default -> {
                    return call.proceed();
                }
            }
        });
    }

    private Replica replica(Replica delegate) {
        return Decorators.decorate(Replica.class, delegate, (method, args, call) -> {
            if (!method.equals("apply") || args.length != 3) {
                return call.proceed();
            }
            Plan plan = (Plan) args[0];
            if (plan.steps().isEmpty() || !arm(Point.DURING_PULL_APPLY)) {
                return call.proceed();
            }
            if (variant == 0) {
                halt(Point.DURING_PULL_APPLY, "at=before-apply steps=" + plan.steps().size());
            }
            args[0] = new Plan(plan.expected(), haltingAt(plan.steps(), random.nextInt(plan.steps().size()),
                    Point.DURING_PULL_APPLY, "at=mid-apply"), plan.archive(), plan.applied(), plan.rekeyed(),
                    plan.newestStamp(), plan.aheadStamps(), plan.replaced(), plan.pulled());
            Journal journal = (Journal) args[2];
            args[2] = new Journal() {
                @Override
                public void recordCycle(CycleRecord cycle) {
                    journal.recordCycle(cycle);
                }

                @Override
                public void archive(ConflictRecord conflict) {
                    halt(Point.DURING_PULL_APPLY, "at=archive key=" + conflict.key());
                }

                @Override
                public void renumbered(Renumbering renumbering) {
                    journal.renumbered(renumbering);
                }
            };
            return call.proceed();
        });
    }
}
