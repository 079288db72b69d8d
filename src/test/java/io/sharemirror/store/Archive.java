package io.sharemirror.store;

import io.sharemirror.sync.ArchivedConflict;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads the conflict archives of every node of a cluster, and the rows archived in them. */
public final class Archive {

    /** SQLite's JSON parser: one in-memory database for every read, as these run by the thousand. */
    private static Connection json;

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

    /** Whether {@code c} archived a version, either side's, whose {@code column} holds {@code value}. */
    public static boolean holds(ArchivedConflict c, String column, String value) {
        return value.equals(column(c.localJson(), column)) || value.equals(column(c.hubJson(), column));
    }

    /**
     * The value of {@code column} in an archived row's JSON, read by SQLite's JSON parser as the replica reads it back
     * when a version is restored; null for a deleted row or a column the row does not have.
     */
    public static synchronized String column(String rowJson, String column) {
        if (rowJson == null) {
            return null;
        }
        try {
            if (json == null) {
                json = DriverManager.getConnection("jdbc:sqlite::memory:");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        try (PreparedStatement s = json.prepareStatement("SELECT value FROM json_each(?) WHERE key = ?")) {
            s.setString(1, rowJson);
            s.setString(2, column);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("not a row's JSON: " + rowJson, e);
        }
    }
}
