package io.sharemirror.store.pg;

import io.sharemirror.store.TableInfo;
import java.util.Map;

/**
 * One mirrored table of a PostgreSQL hub: what SQLite says of it and the PostgreSQL type of each of its columns
 * ({@code _sm_columns}), by PostgreSQL column name.
 *
 * <p>MERGE: a stand-in for the core's {@code PgTable} (branch pgcore, pg-design.md), written to the design's shape so the
 * schema side compiles and is tested before the core lands; the core's file replaces this one whole.
 */
public record PgTable(TableInfo info, Map<String, PgType> types) {

    /** The column that holds SQLite's rowid for a table that declares no key. */
    public static final String ROWID = "_sm_rowid";

    public PgTable {
        types = Map.copyOf(types);
    }

    public String name() {
        return info.name();
    }

    /** The PostgreSQL column of one of {@link TableInfo#columns()}: a keyless table's rowid is {@link #ROWID}. */
    public String pgColumn(String column) {
        return info.keyless() && column.equals(info.keyColumns().get(0)) ? ROWID : column;
    }

    /** The PostgreSQL type of one of {@link TableInfo#columns()}. */
    public PgType type(String column) {
        return types.get(pgColumn(column));
    }
}
