package io.sharemirror.store;

import io.sharemirror.sync.ArchivedConflict;
import java.util.ArrayList;
import java.util.List;

/** Reads the conflict archives of every node of a cluster. */
final class Archive {

    private Archive() {
    }

    /** Every archived conflict of every node. */
    static List<ArchivedConflict> all(Cluster cluster) {
        List<ArchivedConflict> all = new ArrayList<>();
        cluster.nodes.forEach(n -> all.addAll(n.conflicts()));
        return all;
    }

    /** Whether some node archived a version of {@code table}/{@code pk} whose JSON contains {@code needle}. */
    static boolean contains(Cluster cluster, String table, String pk, String needle) {
        return all(cluster).stream().anyMatch(c -> c.table().equals(table) && c.key().equals(pk)
                && (contains(c.localJson(), needle) || contains(c.hubJson(), needle)));
    }

    private static boolean contains(String json, String needle) {
        return json != null && json.contains(needle);
    }
}
