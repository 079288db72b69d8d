package io.sharemirror.sync;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What earlier attempts to apply a batch met on the replica, for the planner's next plan of it: rows from the hub
 * whose writing broke a constraint here ({@link Clash}), and rows left pointing at rows that are gone ({@link Orphan}).
 */
public record Found(Map<Key, Clash> clashes, List<Orphan> orphans) {

    public static final Found NOTHING = new Found(Map.of(), List.of());

    public Found {
        clashes = Map.copyOf(clashes);
        orphans = List.copyOf(orphans);
    }

    /** This and more of it. */
    public Found and(List<Clash> moreClashes, List<Orphan> moreOrphans) {
        Map<Key, Clash> all = new HashMap<>(clashes);
        moreClashes.forEach(c -> all.put(c.key(), c));
        return new Found(all, java.util.stream.Stream.concat(orphans.stream(), moreOrphans.stream()).distinct().toList());
    }

    /** The rows found pointing at a row deleted here that must follow its delete. */
    List<Orphan> pointingAt(Key parent) {
        return orphans.stream().filter(o -> o.childIsOurs() && o.parent().equals(parent)).toList();
    }

    /**
     * The orphans a change from the hub is part of: for their delete of a row, our rows that point at it; for their
     * row, the rows it points at that we deleted.
     */
    List<Orphan> orphansOf(Key key, boolean theirDelete) {
        return orphans.stream().filter(o -> theirDelete ? o.childIsOurs() && o.parent().equals(key)
                : !o.childIsOurs() && o.child().equals(key)).toList();
    }
}
