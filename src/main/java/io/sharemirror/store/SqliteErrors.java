package io.sharemirror.store;

import io.sharemirror.sync.HubDamagedException;
import io.sharemirror.sync.StoreException;
import io.sharemirror.sync.StoreException.Kind;
import java.io.IOException;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Turns driver errors into the engine's classes, with a hint for the person reading the log. */
final class SqliteErrors {

    // SQLite primary result codes (sqlite-jdbc's getErrorCode() is the primary code).
    static final int BUSY = 5;
    static final int LOCKED = 6;
    static final int READONLY = 8;
    static final int IOERR = 10;
    static final int CORRUPT = 11;
    static final int FULL = 13;
    static final int CANTOPEN = 14;
    static final int PROTOCOL = 15;
    static final int CONSTRAINT = 19;
    static final int NOTADB = 26;

    private SqliteErrors() {
    }

    static StoreException classify(String what, SQLException e) {
        String message = what + ": " + e.getMessage();
        if (e instanceof SQLiteException s && s.getResultCode() == SQLiteErrorCode.SQLITE_READONLY_DBMOVED) {
            // The path no longer leads to the file we hold open: the share was unmounted or remounted.
            return new StoreException(Kind.OFFLINE, message, "the share went away or was remounted; ShareMirror"
                    + " reconnects when it is back, and local writes keep queueing", e);
        }
        return switch (e.getErrorCode()) {
            case BUSY, LOCKED -> new StoreException(Kind.BUSY, message,
                    "another program holds the database lock; ShareMirror retries with backoff", e);
            case IOERR, CANTOPEN, PROTOCOL -> new StoreException(Kind.OFFLINE, message,
                    "check that the share is reachable; local writes keep queueing meanwhile", e);
            case NOTADB -> new StoreException(Kind.CORRUPT, message,
                    "the file is not an SQLite database — check the path; ShareMirror does not write to it", e);
            case CORRUPT -> new StoreException(Kind.CORRUPT, message,
                    "the file is damaged; ShareMirror stopped writing to it - check it with"
                    + " `sqlite3 FILE 'PRAGMA integrity_check'` and restore a backup", e);
            case CONSTRAINT -> new StoreException(Kind.CONSTRAINT, message,
                    "a row breaks a constraint on the other side; it stays pending - fix or delete it locally", e);
            case FULL -> new StoreException(Kind.FAILED, message,
                    "the disk is full; free space and ShareMirror resumes on its own", e);
            case READONLY -> new StoreException(Kind.FAILED, message,
                    "the file or its folder is read-only for this user; writes need write access to both", e);
            default -> new StoreException(Kind.FAILED, message, null, e);
        };
    }

    /** {@link #classify} for an operation on the hub: damage found there is the hub's ({@link HubDamagedException}). */
    static StoreException classifyHub(String what, SQLException e) {
        StoreException s = classify(what, e);
        return s.kind() == Kind.CORRUPT ? new HubDamagedException(s.getMessage(), s.hint(), e) : s;
    }

    static StoreException classify(String what, IOException e) {
        return new StoreException(Kind.OFFLINE, what + ": " + e, "check that the share is reachable", e);
    }

    /** The file is damaged or not a database at all. */
    static boolean isDamage(SQLException e) {
        return e.getErrorCode() == CORRUPT || e.getErrorCode() == NOTADB;
    }

    static boolean isConstraint(SQLException e) {
        return e.getErrorCode() == CONSTRAINT;
    }

    /** The extended result code (e.g. 2067 for a UNIQUE constraint), or the primary one where the driver gives no other. */
    static int resultCode(SQLException e) {
        return e instanceof SQLiteException s ? s.getResultCode().code : e.getErrorCode();
    }

    /** SQLite's own words for a failure, as sqlite-jdbc puts them in brackets after its code's description. */
    static String sqliteMessage(SQLException e) {
        String message = String.valueOf(e.getMessage());
        int open = message.indexOf('(');
        return message.endsWith(")") && open >= 0 ? message.substring(open + 1, message.length() - 1) : message;
    }

    static boolean isBusy(SQLException e) {
        return e.getErrorCode() == BUSY || e.getErrorCode() == LOCKED;
    }
}
