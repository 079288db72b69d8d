package io.sharemirror.store.pg;

import io.sharemirror.sync.StoreException;
import io.sharemirror.sync.StoreException.Kind;
import java.sql.SQLException;

/**
 * PostgreSQL's errors as the engine's classes, by SQLSTATE class.
 *
 * <p>MERGE: a minimal stand-in until branch pgurl's SQLSTATE classification lands; then its callers use that one.
 */
final class PgFailures {

    private PgFailures() {
    }

    static StoreException classify(String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        Kind kind = state.startsWith("08") || state.startsWith("57P") ? Kind.OFFLINE
                : state.equals("40001") || state.equals("40P01") || state.equals("55P03") ? Kind.BUSY
                : state.startsWith("23") ? Kind.CONSTRAINT
                : state.startsWith("XX") ? Kind.CORRUPT
                : Kind.FAILED;
        return new StoreException(kind, what + ": " + e.getMessage(), null, e);
    }
}
