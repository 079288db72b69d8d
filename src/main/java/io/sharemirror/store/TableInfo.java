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
 * @param keyless the table declares no primary key: its rows are known by a rowid VACUUM may renumber
 * @param uniques its UNIQUE constraints other than the primary key
 * @param foreignKeys the foreign keys it declares
 * @param fts for a full-text table that stores its text, the shadow table that holds it; null for ordinary tables
 */
public record TableInfo(String name, List<String> columns, List<String> keyColumns, List<String> keyCollations,
                 boolean integerKey, boolean keyless, List<UniqueIndex> uniques, List<ForeignKey> foreignKeys,
                 FtsContent fts) {

    /**
     * A virtual table cannot carry triggers, but the shadow table where FTS3/4/5 keep a regular table's text can: the
     * capture and log triggers sit there ({@code NEW.<key>} is the document's rowid), while rows are read and written
     * through the virtual table itself, so that FTS keeps its index on the other side.
     */
    public record FtsContent(String table, String key) {
    }

    public TableInfo {
        columns = List.copyOf(columns);
        keyColumns = List.copyOf(keyColumns);
        keyCollations = List.copyOf(keyCollations);
        uniques = List.copyOf(uniques);
        foreignKeys = List.copyOf(foreignKeys);
    }

    public List<String> nonKeyColumns() {
        return columns.stream().filter(c -> !keyColumns.contains(c)).toList();
    }

    /** The table the change triggers are created on: this one, or its FTS content shadow table. */
    String triggerTable() {
        return fts == null ? name : fts.table();
    }

    /** The key as the trigger table's columns name it. */
    List<String> triggerKey() {
        return fts == null ? keyColumns : List.of(fts.key());
    }
}
