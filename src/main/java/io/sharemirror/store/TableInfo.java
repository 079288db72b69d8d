package io.sharemirror.store;

import java.util.List;

/**
 * What the sync needs to know about one user table.
 *
 * @param columns the columns a row is read and written by, key columns included; starts with the
 *                rowid pseudo-column when the table declares no key
 * @param keyColumns the columns that identify a row
 * @param keyCollations each key column's collation (BINARY, NOCASE, RTRIM, or an application's own), in their order
 * @param integerKey the key is a single integer (a rowid or INTEGER key), so a colliding insert can move
 * @param keyless the table declares no primary key: its rows are known by rowid
 * @param uniques its UNIQUE constraints other than the primary key
 * @param foreignKeys the foreign keys it declares
 */
record TableInfo(String name, List<String> columns, List<String> keyColumns, List<String> keyCollations,
                 boolean integerKey, boolean keyless, List<UniqueIndex> uniques, List<ForeignKey> foreignKeys) {

    TableInfo {
        columns = List.copyOf(columns);
        keyColumns = List.copyOf(keyColumns);
        keyCollations = List.copyOf(keyCollations);
        uniques = List.copyOf(uniques);
        foreignKeys = List.copyOf(foreignKeys);
    }

    List<String> nonKeyColumns() {
        return columns.stream().filter(c -> !keyColumns.contains(c)).toList();
    }
}
