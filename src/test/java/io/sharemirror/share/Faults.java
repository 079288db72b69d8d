package io.sharemirror.share;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * What a {@link FaultFs} does to each operation: latency, errors, short reads, down, losing unsynced writes; and how
 * many operations of each kind it saw. Only paths in {@link #scope} are touched (paths as FUSE gives them: {@code "/hub.db-journal"});
 * everything else passes straight through, uncounted. Every switch may be flipped from any thread while mounted.
 */
public final class Faults {

    private record Latency(long fixedNanos, long jitterNanos) {
    }

    /**
     * Hits operations of the given kinds from the {@code first}-th to the {@code last}-th it sees, each with
     * probability {@code rate}: fails them with {@code errno}, or, when that is null, cuts the READ short.
     */
    private record Rule(Set<Op> ops, long first, long last, double rate, Errno errno, AtomicLong seen) {

        boolean hits(Op op) {
            if (!ops.contains(op)) {
                return false;
            }
            long n = seen.incrementAndGet();
            return n >= first && n <= last && (rate >= 1 || ThreadLocalRandom.current().nextDouble() < rate);
        }
    }

    /** What {@link #enter} returns for a READ that must come back with only part of the bytes asked for. */
    static final int SHORT_READ = 1;

    private final Map<Op, LongAdder> counts;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<Op, String>> observers = new CopyOnWriteArrayList<>();
    private volatile Predicate<String> scope = path -> true;
    private volatile Latency latency = new Latency(0, 0);
    private volatile boolean down;
    private volatile boolean loseUnsynced;

    Faults() {
        Map<Op, LongAdder> map = new EnumMap<>(Op.class);
        for (Op op : Op.values()) {
            map.put(op, new LongAdder());
        }
        counts = Collections.unmodifiableMap(map);
    }

    /** Restricts every fault and the counters to these paths, for example the hub's files. */
    public Faults scope(Predicate<String> paths) {
        scope = paths;
        return this;
    }

    /** Each operation waits {@code fixed} plus a uniformly random part of {@code jitter}, like a round trip. */
    public Faults latency(Duration fixed, Duration jitter) {
        latency = new Latency(fixed.toNanos(), jitter.toNanos());
        return this;
    }

    /** While down every operation fails with ENOTCONN, as on a FUSE or SMB mount whose server went away. */
    public Faults down(boolean isDown) {
        down = isDown;
        return this;
    }

    /** The {@code n}-th operation of this kind from now fails, once. */
    public Faults failNth(Op op, long n, Errno errno) {
        return add(EnumSet.of(op), n, n, 1, errno);
    }

    /** Every operation of this kind fails, from the {@code n}-th from now on. */
    public Faults failFrom(Op op, long n, Errno errno) {
        return add(EnumSet.of(op), n, Long.MAX_VALUE, 1, errno);
    }

    /**
     * The {@code n}-th READ from now returns only half the bytes asked for, as a SMB client whose server dies in the
     * middle of a read does; SQLite takes a short read of a database page for the end of the file and zero-fills it.
     */
    public Faults shortReadNth(long n) {
        return add(EnumSet.of(Op.READ), n, n, 1, null);
    }

    /** Each READ comes back short (see {@link #shortReadNth}) with probability {@code rate}. */
    public Faults shortReadsRandomly(double rate) {
        return add(EnumSet.of(Op.READ), 1, Long.MAX_VALUE, rate, null);
    }

    /** Each operation of these kinds fails with probability {@code rate}. */
    public Faults failRandomly(double rate, Errno errno, Op first, Op... more) {
        return add(EnumSet.of(first, more), 1, Long.MAX_VALUE, rate, errno);
    }

    /**
     * Writes are held back until the file is fsynced; {@link FaultFs#powerLoss()} drops what was not. A file keeps
     * being held back until its next fsync even after this is switched off.
     */
    public Faults loseUnsyncedWrites(boolean lose) {
        loseUnsynced = lose;
        return this;
    }

    /**
     * Calls {@code observer} with every operation in scope and its path, on the FUSE thread, before the operation is
     * done: what a program had written before an fsync began is what that fsync makes durable.
     */
    public Faults observe(BiConsumer<Op, String> observer) {
        observers.add(observer);
        return this;
    }

    /** No latency, no errors, up; scope, counters, observers and held-back writes stay. */
    public Faults clear() {
        rules.clear();
        latency = new Latency(0, 0);
        down = false;
        loseUnsynced = false;
        return this;
    }

    public long count(Op op) {
        return counts.get(op).sum();
    }

    /** Operations of every kind seen since the last reset, the kinds never seen left out. */
    public Map<Op, Long> counts() {
        Map<Op, Long> out = new EnumMap<>(Op.class);
        counts.forEach((op, n) -> {
            if (n.sum() > 0) {
                out.put(op, n.sum());
            }
        });
        return out;
    }

    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public void resetCounts() {
        counts.values().forEach(LongAdder::reset);
    }

    /**
     * Called before each operation: counts it, waits the latency, and returns 0 to go on, a negative errno, or
     * {@link #SHORT_READ}. An error wins over a short read.
     */
    int enter(Op op, String path) {
        if (!scope.test(path)) {
            return 0;
        }
        counts.get(op).increment();
        observers.forEach(o -> o.accept(op, path));
        Latency l = latency;
        if (l.fixedNanos > 0 || l.jitterNanos > 0) {
            pause(l.fixedNanos + (l.jitterNanos > 0 ? ThreadLocalRandom.current().nextLong(l.jitterNanos + 1) : 0));
        }
        Errno failure = down ? Errno.ENOTCONN : null;
        boolean cutShort = false;
        for (Rule rule : rules) {
            if (rule.hits(op)) { // every rule sees the operation, so "n-th" stays exact when rules overlap
                failure = failure == null ? rule.errno() : failure;
                cutShort |= rule.errno() == null;
            }
        }
        return failure != null ? -failure.code : cutShort ? SHORT_READ : 0;
    }

    boolean losesUnsynced(String path) {
        return loseUnsynced && scope.test(path);
    }

    private Faults add(Set<Op> ops, long first, long last, double rate, Errno errno) {
        if (first < 1 || rate <= 0 || rate > 1) {
            throw new IllegalArgumentException("n counts from 1 and rate is in (0, 1]");
        }
        rules.add(new Rule(ops, first, last, rate, errno, new AtomicLong()));
        return this;
    }

    private static void pause(long nanos) {
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
