package io.sharemirror.store.pg;

import static java.util.Map.entry;

import io.sharemirror.sync.HubDamagedException;
import io.sharemirror.sync.StoreException;
import io.sharemirror.sync.StoreException.Kind;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Map;

/**
 * Turns PostgreSQL's errors into the engine's classes, with a hint for the person reading the log: by SQLSTATE, its
 * class (the first two characters) unless a code of it means something else. The PostgreSQL counterpart of
 * {@code store.SqliteErrors}; a refused login gets its hint from {@link PgLogin}, which knows where the password came
 * from.
 */
final class PgErrors {

    static final String OFFLINE_HINT = "check that the server is running and reachable from this computer (host,"
            + " port, firewall); local writes keep queueing meanwhile";

    /** How the engine reacts to a code, and what a person can do about it (null: nothing to add). */
    private record Answer(Kind kind, String hint) {
    }

    private static final Answer IN_THE_WAY = new Answer(Kind.BUSY,
            "another transaction on the server got in the way; ShareMirror retries with backoff");
    private static final Answer GOING_AWAY = new Answer(Kind.OFFLINE,
            "the server is shutting down or starting up; ShareMirror reconnects when it is back");
    private static final Answer UNKNOWN = new Answer(Kind.FAILED, null);

    private static final Map<String, Answer> BY_CODE = Map.ofEntries(
            entry("08004", new Answer(Kind.FAILED, "the server refused the connection; check sslmode against what the"
                    + " server offers, and its pg_hba.conf")),
            entry("08P01", new Answer(Kind.FAILED, "the other end does not speak PostgreSQL's protocol; check the host"
                    + " and port in path:")),
            entry("3D000", new Answer(Kind.FAILED, "create the database on the server (createdb -O USER DATABASE), or"
                    + " correct the database name in path:")),
            entry("42501", new Answer(Kind.FAILED, "the user lacks a privilege on the hub; the database's owner grants"
                    + " it (GRANT ... TO USER), or connect as the owner")),
            entry("40001", IN_THE_WAY), entry("40P01", IN_THE_WAY), entry("55P03", IN_THE_WAY),
            entry("53300", new Answer(Kind.OFFLINE, "the server has no free connection; its administrator can raise"
                    + " max_connections. ShareMirror tries again later")),
            entry("57P01", GOING_AWAY), entry("57P02", GOING_AWAY), entry("57P03", GOING_AWAY),
            entry("XX001", new Answer(Kind.CORRUPT, "the server reports damaged data; ShareMirror stopped writing to"
                    + " the hub. Its administrator checks the server (amcheck) and restores")),
            entry("XX002", new Answer(Kind.CORRUPT, "the server reports a damaged index; its administrator rebuilds"
                    + " it (REINDEX). ShareMirror stopped writing to the hub meanwhile")));

    private static final Map<String, Answer> BY_CLASS = Map.of(
            "08", new Answer(Kind.OFFLINE, OFFLINE_HINT),
            "28", new Answer(Kind.FAILED, "the server refused this login; check the user and the server's"
                    + " pg_hba.conf"),
            "23", new Answer(Kind.CONSTRAINT, "a row breaks a constraint on the other side; it stays pending - fix or"
                    + " delete it locally"),
            "53", new Answer(Kind.FAILED, "the server is out of a resource (disk, memory); its administrator frees it"
                    + " and ShareMirror resumes on its own"));

    private PgErrors() {
    }

    static StoreException classify(String what, SQLException e) {
        String message = what + ": " + e.getMessage();
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        Answer answer = BY_CODE.getOrDefault(state,
                BY_CLASS.getOrDefault(state.length() >= 2 ? state.substring(0, 2) : "", UNKNOWN));
        String hint = answer.kind() == Kind.OFFLINE && hasCause(e, UnknownHostException.class)
                ? "the host name cannot be resolved; check it in path:, and the network" : answer.hint();
        return answer.kind() == Kind.CORRUPT ? new HubDamagedException(message, hint, e)
                : new StoreException(answer.kind(), message, hint, e);
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
