package io.sharemirror.store.pg;

import java.sql.SQLException;

/**
 * A SQLite table the PostgreSQL hub cannot hold as it is (phase 1): the message names the table and column, what the
 * hub takes and what the user can do. An SQLException (feature not supported) so the schema check reports it where it
 * reports the server's own refusals.
 */
public final class PgTableRefused extends SQLException {

    PgTableRefused(String message) {
        super(message, "0A000");
    }
}
