package io.sharemirror.sync;

/**
 * What moves when a hub's schema changes: SQLite's schema cookie, and the application's own schema number ({@code PRAGMA
 * user_version}), which applications that count their migrations set and the cookie does not follow.
 */
public record SchemaMark(long cookie, long userVersion) {
}
