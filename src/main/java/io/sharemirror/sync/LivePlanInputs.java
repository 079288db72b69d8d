package io.sharemirror.sync;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link PlanInputs} read from the hub and the replica of one cycle. */
final class LivePlanInputs implements PlanInputs {

    private final HubReader hub;
    private final Replica replica;
    private final Map<String, Long> nextFree = new HashMap<>();

    LivePlanInputs(HubReader hub, Replica replica) {
        this.hub = hub;
        this.replica = replica;
    }

    @Override
    public long freeKey(String table, long atLeast) {
        long key = Math.max(atLeast, nextFree.computeIfAbsent(table, t -> Math.max(hub.nextKey(t), replica.nextKey(t))));
        nextFree.put(table, key + 1);
        return key;
    }

    @Override
    public List<Follower> followers(Key parent, boolean hubsRow) {
        return replica.followers(parent, hubsRow);
    }

    @Override
    public Row hubRow(Key key) {
        return hub.rows(List.of(key)).get(key);
    }

    @Override
    public Row localRow(Key key) {
        return replica.rows(List.of(key)).get(key);
    }
}
