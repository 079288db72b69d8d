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
     * Rows made here ({@code ins = 1}, {@link Known#NEW}) whose single-column foreign key holds the parent's integer key;
     * when the parent is the hub's row (our change of it outlived its delete there, and someone made a new row on its
     * key), every pending change of ours that points at it: they all meant that row. A row that came from the hub, not
     * pending here, and points at this key means the hub's row at the key, which keeps it.
     */
    static List<Follower> of(Connection c, RowIo rows, Key parent, boolean hubsRow) throws SQLException {
        TableInfo table = rows.table(parent.table());
        List<Follower> followers = new ArrayList<>();
        if (table == null || table.keyColumns().size() != 1) {
            return followers;
        }
        for (TableInfo child : rows.tables().values()) {
            for (String column : referencing(c, child, table)) {
                try (PreparedStatement find = c.prepareStatement("SELECT p.pk, p.ver, p.ts FROM " + Sql.ident(child.name())
                        + " JOIN _sm_pending p ON p.tbl = ? AND p.pk = " + Sql.keyJson("", child)
                        + " WHERE " + Sql.ident(column) + " = json_extract(" + KeyText.PARAMETER + ", '$[0]')"
                        + " AND (p.ins = 1 OR ?)")) {
                    find.setString(1, child.name());
                    KeyText.bind(find, 2, parent.pk());
                    find.setBoolean(3, hubsRow);
                    List<Follower> found = new ArrayList<>();
                    try (ResultSet r = find.executeQuery()) {
                        while (r.next()) {
                            found.add(new Follower(new Key(child.name(), KeyText.read(r, 1)), r.getLong(2),
                                    r.getLong(3), null, column, child.keyColumns().indexOf(column)));
                        }
                    }
                    for (Follower f : found) {
                        followers.add(new Follower(f.key(), f.ver(), f.ts(), rows.read(f.key()), column, f.keyIndex()));
                    }
                }
            }
        }
        return followers;
    }

    /**
     * Points a follower at its parent's new key; its pending change follows when the column is part of its key, and is
     * the whole row from then on: the agent's write of the column is not captured.
     */
    static void repoint(RowIo writer, Plan.Repoint step) throws SQLException {
        TableInfo child = writer.table(step.key().table());
        PreparedStatement move = writer.statement("UPDATE " + Sql.ident(child.name()) + " SET "
                + Sql.ident(step.column()) + " = ? WHERE " + Sql.matchesKey(child.keyColumns(), 2));
        move.setLong(1, step.to());
        KeyText.bind(move, 2, step.key().pk());
        move.executeUpdate();
        new PendingQueue(writer).wholeRow(step.key());
        if (step.keyIndex() >= 0) {
            // Something may wait at the new key already (a delete of the hub's row there): the moved row is then a new
            // row replacing it, as capture records a row made on a key whose delete waits.
            PreparedStatement merge = writer.statement("UPDATE _sm_pending AS t SET ins = 1,"
                    + " replaced = CASE WHEN t.ins = 0 THEN coalesce(t.deleted, t.ts) ELSE t.replaced END,"
                    + " ts = max(t.ts, f.ts), ver = t.ver + 1, cols = NULL FROM _sm_pending AS f"
                    + " WHERE f.tbl = ?1 AND f.pk = " + KeyText.parameter(2) + " AND t.tbl = ?1 AND t.pk = json_set("
                    + KeyText.parameter(2) + ", ?3, ?4)");
            merge.setString(1, child.name());
            KeyText.bind(merge, 2, step.key().pk());
            merge.setString(3, "$[" + step.keyIndex() + "]");
            merge.setLong(4, step.to());
            if (merge.executeUpdate() > 0) {
                PreparedStatement merged = writer.statement("DELETE FROM _sm_pending WHERE tbl = ? AND pk = "
                        + KeyText.PARAMETER);
                merged.setString(1, child.name());
                KeyText.bind(merged, 2, step.key().pk());
                merged.executeUpdate();
            } else {
                PreparedStatement rename = writer.statement("UPDATE _sm_pending SET pk = json_set(pk, ?, ?)"
                        + " WHERE tbl = ? AND pk = " + KeyText.PARAMETER);
                rename.setString(1, "$[" + step.keyIndex() + "]");
                rename.setLong(2, step.to());
                rename.setString(3, child.name());
                KeyText.bind(rename, 4, step.key().pk());
                rename.executeUpdate();
            }
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
