package io.sharemirror.store;

import io.sharemirror.json.Json;
import io.sharemirror.sync.ArchivedConflict;
import io.sharemirror.sync.Row;
import java.util.ArrayList;
import java.util.List;

/** Reads the conflict archives of every node of a cluster, and the rows archived in them. */
public final class Archive {

    private Archive() {
    }

    /** Every archived conflict of every node. */
    public static List<ArchivedConflict> all(Cluster cluster) {
        List<ArchivedConflict> all = new ArrayList<>();
        cluster.nodes.forEach(n -> all.addAll(n.conflicts()));
        return all;
    }

    /** Whether some node archived a version of {@code table}/{@code pk} whose JSON contains {@code needle}. */
    public static boolean contains(Cluster cluster, String table, String pk, String needle) {
        return all(cluster).stream().anyMatch(c -> c.table().equals(table) && c.key().equals(pk)
                && (contains(c.localJson(), needle) || contains(c.hubJson(), needle)));
    }

    private static boolean contains(String json, String needle) {
        return json != null && json.contains(needle);
    }

    /** Whether {@code c} archived a version, either side's, whose {@code column} holds {@code value}. */
    public static boolean holds(ArchivedConflict c, String column, String value) {
        return value.equals(column(c.localJson(), column)) || value.equals(column(c.hubJson(), column));
    }

    /**
     * The value of {@code column} in an archived row's JSON as text (a string as it is, any other value as JSON), read
     * as the replica reads it back when a version is restored; null for a deleted row or a column the row does not
     * have.
     */
    public static String column(String rowJson, String column) {
        if (rowJson == null) {
            return null;
        }
        Row row = Row.fromJson(rowJson);
        Object value = row.columns().contains(column) ? row.value(column) : null;
        return value == null || value instanceof String ? (String) value : Json.write(value);
    }
}
