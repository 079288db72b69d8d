package io.sharemirror.store;

import io.sharemirror.sync.SchemaObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The application's schema objects of one database, as {@code sqlite_master} has them: the tables, indexes, views and
 * triggers a schema change can touch and the sync reproduces on the other side. Left out: SQLite's and ShareMirror's
 * own, the shadow tables a virtual table makes for itself, the triggers that name ShareMirror's objects (never
 * copied), and everything on a table the configuration leaves out of the sync.
 */
public final class SchemaObjects {

    private SchemaObjects() {
    }

    /** Objects by {@link SchemaObject#key()}; {@code root} is the root page, which a RENAME keeps. */
    public static Map<String, SchemaObject> read(Connection c, Predicate<String> mirrored) throws SQLException {
        Set<String> skipped = new HashSet<>();
        try (PreparedStatement s = c.prepareStatement("SELECT name FROM pragma_table_list WHERE schema = 'main'"
                + " AND type = 'shadow'"); ResultSet r = s.executeQuery()) {
            while (r.next()) {
                skipped.add(r.getString(1).toLowerCase(Locale.ROOT));
            }
        }
        for (AppTriggers.Trigger t : AppTriggers.read(c)) {
            if (t.role() == AppTriggers.Role.MEDDLES) {
                skipped.add(t.name().toLowerCase(Locale.ROOT));
            }
        }
        Map<String, SchemaObject> objects = new TreeMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT type, name, tbl_name, sql, rootpage FROM sqlite_master"
                + " WHERE sql IS NOT NULL AND type IN ('table', 'index', 'view', 'trigger')"
                + " AND name NOT LIKE '\\_sm\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                + " AND tbl_name NOT LIKE '\\_sm\\_%' ESCAPE '\\'");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                SchemaObject d = new SchemaObject(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getLong(5));
                if (!skipped.contains(d.name().toLowerCase(Locale.ROOT)) && mirrored.test(d.table())) {
                    objects.put(d.key(), d);
                }
            }
        }
        return objects;
    }
}
