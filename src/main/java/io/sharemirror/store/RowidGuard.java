package io.sharemirror.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keeps the rowids of tables without a declared primary key the same on every copy. Such a table's rows are known by
 * rowid, and VACUUM may renumber the rows of a table that has no index; of a table with an index it keeps them, since
 * it copies the table as it is and the index's entries point at the rowids (seen with the sqlite3 3.40 shell and
 * sqlite-jdbc's 3.54). So each such table, on the hub and in each replica, gets an index that holds nothing
 * ({@code WHERE 0}): it costs no space and no work per write.
 *
 * <p>A canary on the hub tells whether some SQLite renumbered rows anyway: {@code _sm_rowids}, protected the same way,
 * holds a row at rowid 1 and one far above it; renumbered, the second comes down to 2. Each replica remembers the
 * canary's largest rowid as it matched the hub's rows; another value means those tables' rows here no longer name the
 * hub's, and they stop syncing until the replica is made afresh. Renumbered, the canary is given a new gap, so a later
 * renumbering shows too, and a replica that matched the hub since expects the new one.
 */
final class RowidGuard {

    /** The canary's second row lies at least this high: no renumbering leaves it there. */
    private static final long GAP = 1_000_000;

    private RowidGuard() {
    }

    static final String CANARY = "_sm_rowids";

    /** The canary, made once with its gap. */
    static List<String> canaryDdl() {
        return List.of("CREATE TABLE IF NOT EXISTS " + CANARY + "(note TEXT)",
                keepIndex(CANARY, "note"),
                "INSERT INTO " + CANARY + "(rowid, note) SELECT 1, 'ShareMirror: tells whether a VACUUM renumbered"
                        + " the rows of tables without a primary key' WHERE NOT EXISTS (SELECT 1 FROM " + CANARY + ")",
                "INSERT INTO " + CANARY + "(rowid, note) SELECT " + GAP + ", 'ShareMirror: this row''s rowid must"
                        + " stay as it is' WHERE (SELECT count(*) FROM " + CANARY + ") = 1");
    }

    /** Gives a renumbered canary a new gap, different from every earlier one; does nothing to one that is whole. */
    static List<String> regap() {
        long at = GAP + 1 + ThreadLocalRandom.current().nextLong(GAP);
        return List.of("UPDATE " + CANARY + " SET rowid = " + at + " WHERE rowid = (SELECT max(rowid) FROM " + CANARY
                + ") AND rowid < " + GAP);
    }

    /** Whether the canary is there with its gap. */
    static boolean canaryWhole(Connection c) throws SQLException {
        Long largest = largestCanaryRowid(c);
        return largest != null && largest >= GAP;
    }

    /** The canary's largest rowid, or null when there is no canary. */
    static Long largestCanaryRowid(Connection c) throws SQLException {
        if (Instrumentation.names(c, "table", CANARY).isEmpty()) {
            return null;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT max(rowid) FROM " + CANARY);
             ResultSet r = s.executeQuery()) {
            long largest = r.getLong(1);
            return r.wasNull() ? null : largest;
        }
    }

    /** The empty index of each table without a declared key, made if it is missing. */
    static List<String> keepIndexes(Collection<TableInfo> tables) {
        List<String> ddl = new ArrayList<>();
        for (TableInfo t : tables) {
            if (t.keyless()) {
                ddl.add(keepIndex(t.name(), t.columns().get(1)));
            }
        }
        return ddl;
    }

    /** Whether the canary has its gap and every table without a declared key has its empty index. */
    static boolean complete(Connection c, Collection<TableInfo> tables) throws SQLException {
        List<String> present = Instrumentation.names(c, "index", "\\_sm\\_keep\\_%");
        return canaryWhole(c) && tables.stream().filter(TableInfo::keyless)
                .allMatch(t -> present.contains(indexName(t.name())));
    }

    private static String indexName(String table) {
        return "_sm_keep_" + table;
    }

    private static String keepIndex(String table, String column) {
        return "CREATE INDEX IF NOT EXISTS " + Sql.ident(indexName(table)) + " ON " + Sql.ident(table) + "("
                + Sql.ident(column) + ") WHERE 0";
    }
}
