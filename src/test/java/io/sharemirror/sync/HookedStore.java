package io.sharemirror.sync;

import java.io.Closeable;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * A real store with hooks at the points where a cycle can be raced or cut short, for a {@link io.sharemirror.sync.Mirror}
 * built on it: everything else goes to the real store unchanged.
 */
public final class HookedStore implements MirrorStore {

    private final MirrorStore real;
    /** Runs once, right after the next probe of the hub returns its answer (another node pushing in between). */
    public Runnable afterProbe;
    /** Runs once, when the next push is about to take the hub's write lock (after the cycle's pull). */
    public Runnable beforePush;
    /** The next clearPushed fails as if the process died right after the hub committed the push. */
    public boolean crashBeforeClear;
    /** Whether that crash happened: a push was committed and its pending rows were left. */
    public boolean crashed;
    /** Runs before each apply of pulled changes (one local transaction), given how many came before it. */
    public IntConsumer beforeApply = applied -> { };
    private int applies;

    public HookedStore(MirrorStore real) {
        this.real = real;
    }

    @Override
    public Hub hub() {
        Hub hub = real.hub();
        return new Hub() {
            @Override
            public HubProbe probe() {
                HubProbe probe = hub.probe();
                Runnable once = afterProbe;
                afterProbe = null;
                if (once != null) {
                    once.run();
                }
                return probe;
            }

            @Override
            public List<RemoteChange> changes(long after, long upTo, String node, Map<Key, Long> applied) {
                return hub.changes(after, upTo, node, applied);
            }

            @Override
            public long nextKey(String table) {
                return hub.nextKey(table);
            }

            @Override
            public Clash heldElsewhere(Key key, Row row) {
                return hub.heldElsewhere(key, row);
            }

            @Override
            public Map<Key, Row> rows(Collection<Key> keys) {
                return hub.rows(keys);
            }

            @Override
            public PushTransaction beginPush() {
                Runnable once = beforePush;
                beforePush = null;
                if (once != null) {
                    once.run();
                }
                return hub.beginPush();
            }

            @Override
            public long version() {
                return hub.version();
            }

            @Override
            public Map<Long, String> logEntries(java.util.Set<Long> seqs, boolean fromFile) {
                return hub.logEntries(seqs, fromFile);
            }

            @Override
            public TableSnapshot tableSnapshot(String table, long after, Map<Key, Long> applied) {
                return hub.tableSnapshot(table, after, applied);
            }

            @Override
            public void reportDamage(String node, String what) {
                hub.reportDamage(node, what);
            }

            @Override
            public List<String> notLanded(List<LocalChange> pushed, String node, long after) {
                return hub.notLanded(pushed, node, after);
            }

            @Override
            public void readServerClock() {
                hub.readServerClock();
            }

            @Override
            public long snapshotInto(java.nio.file.Path target, CloneProgress progress) {
                return hub.snapshotInto(target, progress);
            }

            @Override
            public HubSchema schema() {
                return hub.schema();
            }
        };
    }

    @Override
    public MirrorMode mode() {
        return real.mode();
    }

    @Override
    public Replica replica() {
        Replica replica = real.replica();
        return new Replica() {
            @Override
            public String node() {
                return replica.node();
            }

            @Override
            public long cursor() {
                return replica.cursor();
            }

            @Override
            public Map<Key, Long> appliedPastCursor() {
                return replica.appliedPastCursor();
            }

            @Override
            public SchemaMark knownSchema() {
                return replica.knownSchema();
            }

            @Override
            public long pendingCount() {
                return replica.pendingCount();
            }

            @Override
            public long newestPendingStamp() {
                return replica.newestPendingStamp();
            }

            @Override
            public long dataVersion() {
                return replica.dataVersion();
            }

            @Override
            public List<LocalChange> pending(int limit) {
                return replica.pending(limit);
            }

            @Override
            public BriefWaits briefWaits() {
                return replica.briefWaits();
            }

            @Override
            public void makeDurable() {
                replica.makeDurable();
            }

            @Override
            public Set<String> tables() {
                return replica.tables();
            }

            @Override
            public Map<Key, LocalChange> pendingFor(Collection<Key> keys) {
                return replica.pendingFor(keys);
            }

            @Override
            public Map<Key, Row> rows(Collection<Key> keys) {
                return replica.rows(keys);
            }

            @Override
            public long nextKey(String table) {
                return replica.nextKey(table);
            }

            @Override
            public List<Waiting> waiting() {
                return replica.waiting();
            }

            @Override
            public void waitingToPush(List<Clash> clashes) {
                replica.waitingToPush(clashes);
            }

            @Override
            public List<Follower> followers(Key parent, boolean hubsRow) {
                return replica.followers(parent, hubsRow);
            }

            @Override
            public void apply(Plan plan, long newCursor, Journal journal) {
                beforeApply.accept(applies++);
                replica.apply(plan, newCursor, journal);
            }

            @Override
            public void restore(Key key, String rowJson, List<String> columns) {
                replica.restore(key, rowJson, columns);
            }

            @Override
            public long stampNow() {
                return replica.stampNow();
            }

            @Override
            public void rewrite(WayOutPlanner.Rewrite rewrite) {
                replica.rewrite(rewrite);
            }

            @Override
            public void clearPushed(List<LocalChange> pushed, long newCursor) {
                if (crashBeforeClear) {
                    crashBeforeClear = false;
                    crashed = true;
                    throw new StoreException(StoreException.Kind.FAILED, "simulated crash after the hub commit", null, null);
                }
                replica.clearPushed(pushed, newCursor);
            }
        };
    }

    @Override
    public ReplicaFile replicaFile() {
        return real.replicaFile();
    }

    @Override
    public Capture capture() {
        return real.capture();
    }

    @Override
    public SchemaChange syncSchema() {
        return real.syncSchema();
    }

    @Override
    public Closeable exclusive() {
        return real.exclusive();
    }

    @Override
    public ReferenceClock referenceClock() {
        return real.referenceClock();
    }

    @Override
    public void disconnectHub() {
        real.disconnectHub();
    }

    @Override
    public void close() {
        real.close();
    }
}
