package io.sharemirror.store;

import io.sharemirror.sync.Key;
import io.sharemirror.sync.Orphan;
import io.sharemirror.sync.Row;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Finds the rows a plan's writes left pointing at rows that are gone, where the other side of that reference is a
 * pending change of ours ({@link Orphan}): a row from the hub pointing at a row we deleted, or a row of ours pointing
 * at one whose delete came from the hub. The agent writes with foreign keys off (rows arrive in log order, children may
 * come first), so SQLite does not check them; this does, for the rows just written, by index where the application
 * has one. Only keys that point at a primary key are followed: rows are known by their key.
 */
final class ForeignKeyCheck {

    private final RowIo rows;
    private final PendingQueue queue;

    ForeignKeyCheck(RowIo rows) {
        this.rows = rows;
        this.queue = new PendingQueue(rows);
    }

    /**
     * @param written the keys a plan wrote rows from the hub at (or deleted)
     * @param cascaded the keys a plan deleted because a row they point at went: every row pointing at them must follow,
     *     ours or the hub's, since the hub's copy of the cascade is ours to make
     * @param replaced the keys whose new row is another than the one known: our rows that pointed at the old one
     */
    List<Orphan> after(Collection<Key> written, Collection<Key> cascaded, Collection<Key> replaced)
            throws SQLException {
        List<Orphan> orphans = new ArrayList<>();
        for (Key key : written) {
            Row now = rows.read(key); // as the plan's later steps left it (a reference cleared, say)
            if (now == null || replaced.contains(key)) {
                rowsPointingAt(key, true, orphans);
            }
            if (now != null) {
                pointingAtOurDelete(key, now, orphans);
            }
        }
        for (Key key : cascaded) {
            rowsPointingAt(key, false, orphans);
        }
        return orphans;
    }

    /** A row from the hub whose parent we deleted (the delete still pending). */
    private void pointingAtOurDelete(Key child, Row row, List<Orphan> orphans) throws SQLException {
        for (ForeignKey fk : rows.table(child.table()).foreignKeys()) {
            TableInfo parent = table(fk.parent());
            List<Object> values = fk.columns().stream().map(c -> row.values().get(row.columns().indexOf(c))).toList();
            if (parent == null || !fk.toKeyOf(parent) || values.contains(null)) {
                continue; // not followed, or a NULL reference points nowhere
            }
            Key parentKey = keyOf(parent, values);
            if (rows.read(parentKey) == null && queue.version(parentKey) > 0) {
                orphans.add(new Orphan(child, parentKey, fk.columns(), fk.onDelete(), false));
            }
        }
    }

    /** Rows that point at a row deleted here; only ours, pending, when {@code onlyOurs} (its delete came from the hub). */
    private void rowsPointingAt(Key parentKey, boolean onlyOurs, List<Orphan> orphans) throws SQLException {
        TableInfo parent = rows.table(parentKey.table());
        for (TableInfo child : rows.tables().values()) {
            for (ForeignKey fk : child.foreignKeys()) {
                if (!fk.parent().equalsIgnoreCase(parent.name()) || !fk.toKeyOf(parent)) {
                    continue;
                }
                StringBuilder where = new StringBuilder();
                for (int i = 0; i < fk.columns().size(); i++) {
                    where.append(i == 0 ? "" : " AND ").append(Sql.ident(fk.columns().get(i))).append(" = ")
                            .append(Sql.keyElement(1, i)).append(" COLLATE ")
                            .append(Sql.ident(parent.keyCollations().get(i)));
                }
                PreparedStatement s = rows.statement("SELECT " + Sql.keyJson("", child) + " FROM "
                        + Sql.ident(child.name()) + " WHERE " + where);
                KeyText.bind(s, 1, parentKey.pk());
                List<Key> children = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        children.add(new Key(child.name(), KeyText.read(r, 1)));
                    }
                }
                for (Key c : children) {
                    if (!onlyOurs || queue.version(c) > 0) {
                        orphans.add(new Orphan(c, parentKey, fk.columns(), fk.onDelete(), true));
                    }
                }
            }
        }
    }

    /** The key a parent row with these key values has, spelled as its capture would spell it. */
    private Key keyOf(TableInfo parent, List<Object> values) throws SQLException {
        PreparedStatement s = rows.statement("WITH v(" + Sql.idents(parent.keyColumns()) + ") AS (VALUES("
                + RowValues.placeholders(values) + ")) SELECT " + Sql.keyJson("v.", parent) + " FROM v");
        RowValues.bind(s, values);
        try (ResultSet r = s.executeQuery()) {
            r.next();
            return new Key(parent.name(), KeyText.read(r, 1));
        }
    }

    /** The mirrored table a foreign key names; SQLite matches table names without regard to case. */
    private TableInfo table(String name) {
        TableInfo exact = rows.table(name);
        if (exact != null) {
            return exact;
        }
        return rows.tables().values().stream().filter(t -> t.name().equalsIgnoreCase(name)).findFirst().orElse(null);
    }
}
