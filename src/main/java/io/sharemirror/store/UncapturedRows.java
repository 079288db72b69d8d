package io.sharemirror.store;

import io.sharemirror.sync.LocalChange;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rows of a replica about to be dropped that a fresh copy of the hub does not hold and that are not pending: writes
 * capture never saw (its triggers were gone after a table rebuild, a column or table made here was never pushed) or
 * that a pruned log kept from syncing. Found by comparing with the fresh copy on the local disk (attached to the
 * replica's connection), so the share is not read again; each row whose values the hub lacks is returned, in the
 * columns the replica has, for the archive, where Restore can write it back. A row the hub holds and the replica
 * lacks is not returned: nothing of this desktop's is lost by its coming back.
 */
final class UncapturedRows {

    private UncapturedRows() {
    }

    static List<LocalChange> find(Connection replica, Map<String, TableInfo> tables, Path freshCopy)
            throws SQLException {
        try (PreparedStatement attach = replica.prepareStatement("ATTACH DATABASE ? AS fresh")) {
            attach.setString(1, freshCopy.toString());
            attach.execute();
        }
        try {
            List<LocalChange> found = new ArrayList<>();
            for (TableInfo t : tables.values()) {
                found.addAll(differing(replica, t, freshColumns(replica, t.name())));
            }
            return found;
        } finally {
            try (Statement s = replica.createStatement()) {
                s.execute("DETACH DATABASE fresh");
            }
        }
    }

    /** The hub's columns of the table (its rowid alias included), or none when the hub has no such table. */
    private static Set<String> freshColumns(Connection c, String table) throws SQLException {
        Set<String> columns = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        try (PreparedStatement s = c.prepareStatement("SELECT name FROM pragma_table_xinfo(?, 'fresh') WHERE hidden = 0")) {
            s.setString(1, table);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    columns.add(r.getString(1));
                }
            }
        }
        if (!columns.isEmpty()) {
            columns.addAll(List.of("rowid", "_rowid_", "oid")); // each names the rowid where no column does
        }
        return columns;
    }

    private static List<LocalChange> differing(Connection c, TableInfo t, Set<String> onHub) throws SQLException {
        String local = Sql.ident(t.name());
        StringBuilder sql = new StringBuilder("SELECT ").append(Sql.keyJson("l.", t.keyColumns()));
        for (String column : t.columns()) {
            sql.append(", l.").append(Sql.ident(column));
        }
        sql.append(" FROM main.").append(local).append(" AS l WHERE ").append(Sql.keyJson("l.", t.keyColumns()))
                .append(" NOT IN (SELECT pk FROM main._sm_pending WHERE tbl = ?)");
        if (onHub.containsAll(t.keyColumns())) {
            List<String> same = new ArrayList<>();
            for (String column : t.columns()) {
                same.add(onHub.contains(column) ? "h." + Sql.ident(column) + " IS l." + Sql.ident(column)
                        : "l." + Sql.ident(column) + " IS NULL"); // a column the hub lacks holds nothing it has
            }
            sql.append(" AND NOT EXISTS (SELECT 1 FROM fresh.").append(local).append(" AS h WHERE ")
                    .append(String.join(" AND ", same)).append(')');
        }
        try (PreparedStatement s = c.prepareStatement(sql.toString())) {
            s.setString(1, t.name());
            return SchemaRows.asChanges(s, t);
        }
    }
}
