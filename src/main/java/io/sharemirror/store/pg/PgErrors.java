package io.sharemirror.store.pg;

import io.sharemirror.sync.HubDamagedException;
import io.sharemirror.sync.StoreException;
import io.sharemirror.sync.StoreException.Kind;
import java.net.UnknownHostException;
import java.sql.SQLException;

/**
 * Turns PostgreSQL's errors into the engine's classes, with a hint for the person reading the log: by SQLSTATE, its
 * class (the first two characters) unless a code of it means something else. The PostgreSQL counterpart of
 * {@code store.SqliteErrors}; a refused login gets its hint from {@link PgLogin}, which knows where the password came
 * from.
 */
final class PgErrors {

    static final String OFFLINE_HINT = "check that the server is running and reachable from this computer (host,"
            + " port, firewall); local writes keep queueing meanwhile";

    private PgErrors() {
    }

    static StoreException classify(String what, SQLException e) {
        String message = what + ": " + e.getMessage();
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return switch (state) {
            case "08004" -> new StoreException(Kind.FAILED, message, "the server refused the connection; check"
                    + " sslmode against what the server offers, and its pg_hba.conf", e);
            case "08P01" -> new StoreException(Kind.FAILED, message, "the other end does not speak PostgreSQL's"
                    + " protocol; check the host and port in path:", e);
            case "3D000" -> new StoreException(Kind.FAILED, message, "create the database on the server"
                    + " (createdb -O USER DATABASE), or correct the database name in path:", e);
            case "42501" -> new StoreException(Kind.FAILED, message, "the user lacks a privilege on the hub; the"
                    + " database's owner grants it (GRANT ... TO USER), or connect as the owner", e);
            case "40001", "40P01", "55P03" -> new StoreException(Kind.BUSY, message,
                    "another transaction on the server got in the way; ShareMirror retries with backoff", e);
            case "53300" -> new StoreException(Kind.OFFLINE, message, "the server has no free connection; its"
                    + " administrator can raise max_connections. ShareMirror tries again later", e);
            case "57P01", "57P02", "57P03" -> new StoreException(Kind.OFFLINE, message, "the server is shutting"
                    + " down or starting up; ShareMirror reconnects when it is back", e);
            case "XX001", "XX002" -> new HubDamagedException(message, "the server reports damaged data; ShareMirror"
                    + " stopped writing to the hub. Its administrator checks the server (amcheck) and restores", e);
            default -> byClass(state, message, e);
        };
    }

    private static StoreException byClass(String state, String message, SQLException e) {
        String sqlClass = state.length() >= 2 ? state.substring(0, 2) : "";
        return switch (sqlClass) {
            case "08" -> new StoreException(Kind.OFFLINE, message, hasCause(e, UnknownHostException.class)
                    ? "the host name cannot be resolved; check it in path:, and the network" : OFFLINE_HINT, e);
            case "28" -> new StoreException(Kind.FAILED, message, "the server refused this login; check the user"
                    + " and the server's pg_hba.conf", e);
            case "23" -> new StoreException(Kind.CONSTRAINT, message, "a row breaks a constraint on the other side;"
                    + " it stays pending - fix or delete it locally", e);
            case "53" -> new StoreException(Kind.FAILED, message, "the server is out of a resource (disk, memory);"
                    + " its administrator frees it and ShareMirror resumes on its own", e);
            default -> new StoreException(Kind.FAILED, message, null, e);
        };
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> kind) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (kind.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
