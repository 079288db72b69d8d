package io.sharemirror.store;

import java.util.ArrayList;
import java.util.List;

/** Reads the conflict archives of every node of a cluster. */
final class Archive {

    private Archive() {
    }

    /** Every archived conflict of every node: (table, key, winner, reason, local JSON, hub JSON). */
    static List<List<String>> all(Cluster cluster) {
        List<List<String>> all = new ArrayList<>();
        cluster.nodes.forEach(n -> all.addAll(n.conflicts()));
        return all;
    }

    /** Whether some node archived a version of {@code table}/{@code pk} whose JSON contains {@code needle}. */
    static boolean contains(Cluster cluster, String table, String pk, String needle) {
        return all(cluster).stream().anyMatch(c -> c.get(0).equals(table) && c.get(1).equals(pk)
                && (contains(c.get(4), needle) || contains(c.get(5), needle)));
    }

    private static boolean contains(String json, String needle) {
        return json != null && json.contains(needle);
    }
}
