package io.sharemirror.store.pg;

import io.sharemirror.store.Sql;
import io.sharemirror.store.TableInfo;
import io.sharemirror.store.UniqueIndex;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One mirrored table as the PostgreSQL hub holds it: SQLite's description of it ({@link TableInfo}, read from its
 * CREATE TABLE by SQLite itself), the PostgreSQL type of each of its columns, and each UNIQUE constraint's columns
 * under their collations. A table without a declared key keeps SQLite's rowid in the column {@link #ROWID}.
 *
 * @param types by TableInfo column name (the rowid column too)
 * @param uniques one per {@code info.uniques()}, in the same order
 */
public record PgTable(TableInfo info, Map<String, PgType> types, List<UniqueColumns> uniques) {

    /** The column that holds SQLite's rowid of a table without a declared key. */
    public static final String ROWID = "_sm_rowid";

    /**
     * A UNIQUE constraint as the columns it compares, each under the collation SQLite compares it with (the column's
     * own when the index names none); a column is null where the index has an expression instead.
     */
    public record UniqueColumns(UniqueIndex index, List<String> columns, List<String> collations) {
        public UniqueColumns {
            columns = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(columns));
            collations = List.copyOf(collations);
        }
    }

    public PgTable {
        types = Map.copyOf(types);
        uniques = List.copyOf(uniques);
    }

    public String name() {
        return info.name();
    }

    /** The table's name quoted for PostgreSQL: as written in its CREATE TABLE, case kept. */
    public String quoted() {
        return Sql.ident(info.name());
    }

    /** The PostgreSQL column that holds a TableInfo column: itself, or {@link #ROWID} for the rowid. */
    public String column(String infoColumn) {
        return info.keyless() && infoColumn.equals(info.keyColumns().get(0)) ? ROWID : infoColumn;
    }

    /** {@link #column}, quoted. */
    public String quotedColumn(String infoColumn) {
        return Sql.ident(column(infoColumn));
    }

    public PgType type(String infoColumn) {
        PgType type = types.get(infoColumn);
        if (type == null) {
            throw new IllegalArgumentException("no PostgreSQL type for " + name() + "." + infoColumn);
        }
        return type;
    }

    /** The suffix of this table's own objects' names ({@code _sm_key_<h>}): identifiers are limited to 63 bytes. */
    public String hash() {
        return hash(info.name());
    }

    /** The first 12 hex digits of the SHA-256 of {@code name} in UTF-8. */
    public static String hash(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
