package io.sharemirror.store;

import java.util.List;

/**
 * A foreign key of a table: its columns, the table they point at, and what a delete of the row they point at does.
 *
 * @param parentColumns the columns pointed at; empty when they are the parent's primary key
 * @param onDelete CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO ACTION, as SQLite reports it
 */
public record ForeignKey(List<String> columns, String parent, List<String> parentColumns, String onDelete) {

    public ForeignKey {
        columns = List.copyOf(columns);
        parentColumns = List.copyOf(parentColumns);
    }

    /** Whether it points at the parent's primary key, the only kind the sync follows (rows are known by key). */
    boolean toKeyOf(TableInfo parentTable) {
        return parentColumns.isEmpty() || parentColumns.equals(parentTable.keyColumns());
    }
}
