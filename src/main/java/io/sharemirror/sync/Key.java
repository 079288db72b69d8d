package io.sharemirror.sync;

/** One row's identity: its table and its primary key as a JSON array (the rowid when no key is declared). */
public record Key(String table, String pk) {
}
