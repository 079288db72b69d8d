package io.sharemirror.store;

import io.sharemirror.sync.Follower;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.LocalChange.Known;
import io.sharemirror.sync.Plan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The rows that follow a row moved to another key ({@link Follower}): finding them, and pointing them at it. */
final class Followers {

    private Followers() {
    }

    /**
     * Rows made here ({@code ins = 1}, {@link Known#NEW}) whose single-column foreign key holds the parent's integer key.
     * Only those: a row that came from the hub and points at this key means the hub's row, which keeps the key.
     */
    static List<Follower> of(Connection c, RowIo rows, Key parent) throws SQLException {
        TableInfo table = rows.table(parent.table());
        List<Follower> followers = new ArrayList<>();
        if (table == null || table.keyColumns().size() != 1) {
            return followers;
        }
        for (TableInfo child : rows.tables().values()) {
            for (String column : referencing(c, child, table)) {
                try (PreparedStatement find = c.prepareStatement("SELECT p.pk, p.ver FROM " + Sql.ident(child.name())
                        + " JOIN _sm_pending p ON p.tbl = ? AND p.pk = " + Sql.keyJson("", child)
                        + " WHERE " + Sql.ident(column) + " = json_extract(?, '$[0]') AND p.ins = 1")) {
                    find.setString(1, child.name());
                    find.setString(2, parent.pk());
                    try (ResultSet r = find.executeQuery()) {
                        while (r.next()) {
                            followers.add(new Follower(new Key(child.name(), r.getString(1)), r.getLong(2), column,
                                    child.keyColumns().indexOf(column)));
                        }
                    }
                }
            }
        }
        return followers;
    }

    /** Points a follower at its parent's new key; its pending change follows when the column is part of its key. */
    static void repoint(RowIo writer, Plan.Repoint step) throws SQLException {
        TableInfo child = writer.table(step.key().table());
        PreparedStatement move = writer.statement("UPDATE " + Sql.ident(child.name()) + " SET "
                + Sql.ident(step.column()) + " = ? WHERE " + Sql.matchesKey(child.keyColumns(), 2));
        move.setLong(1, step.to());
        move.setString(2, step.key().pk());
        move.executeUpdate();
        if (step.keyIndex() >= 0) {
            PreparedStatement rename = writer.statement("UPDATE _sm_pending SET pk = json_set(pk, ?, ?)"
                    + " WHERE tbl = ? AND pk = ?");
            rename.setString(1, "$[" + step.keyIndex() + "]");
            rename.setLong(2, step.to());
            rename.setString(3, child.name());
            rename.setString(4, step.key().pk());
            rename.executeUpdate();
        }
    }

    /** The columns of {@code child} that are a single-column foreign key to {@code parent}'s key. */
    private static List<String> referencing(Connection c, TableInfo child, TableInfo parent) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT \"from\", \"to\" FROM pragma_foreign_key_list(?)"
                + " WHERE \"table\" = ? COLLATE NOCASE"
                + " AND id IN (SELECT id FROM pragma_foreign_key_list(?) GROUP BY id HAVING count(*) = 1)")) {
            s.setString(1, child.name());
            s.setString(2, parent.name());
            s.setString(3, child.name());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String to = r.getString(2);
                    if (to == null || to.equalsIgnoreCase(parent.keyColumns().get(0))) {
                        columns.add(r.getString(1));
                    }
                }
            }
        }
        return columns;
    }
}
