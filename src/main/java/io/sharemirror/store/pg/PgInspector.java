package io.sharemirror.store.pg;

import io.sharemirror.paths.PostgresAddress;
import io.sharemirror.status.FileCheck;
import io.sharemirror.status.FileCheck.Finding;
import io.sharemirror.status.FileCheck.Topic;
import io.sharemirror.status.FileCheck.Verdict;
import io.sharemirror.sync.StoreException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The Add Database dialog's live checks of a hub on PostgreSQL, the counterpart of {@code store.FileInspector}: does
 * the server let this user in (else why not, and what to fix), and is the database a ShareMirror hub already, empty, or
 * someone else's. Reads only; each answer is a sentence for people.
 */
public final class PgInspector {

    /** How many table names a finding lists before it only counts the rest. */
    private static final int NAMES_SHOWN = 8;

    private PgInspector() {
    }

    /** Every finding about the hub at {@code address}, connecting with {@code connector}; never throws. */
    public static FileCheck inspect(PostgresAddress address, PgConnector connector) {
        List<Finding> found = new ArrayList<>();
        try (Connection c = connector.open(address)) {
            found.add(new Finding(Topic.SERVER, Verdict.GOOD, "answers: " + version(c.getMetaData()) + ", logged in as "
                    + c.getMetaData().getUserName()));
            found.add(contents(c));
        } catch (StoreException e) {
            found.add(new Finding(Topic.SERVER, Verdict.PROBLEM, refusal(address, e)));
        } catch (SQLException e) {
            found.add(new Finding(Topic.HUB, Verdict.PROBLEM, "its tables cannot be read: " + e.getMessage()));
        }
        return new FileCheck(found);
    }

    /** Why the connection failed and what to do: the server's own words, then the connector's hint. */
    private static String refusal(PostgresAddress address, StoreException e) {
        if (e.kind() == StoreException.Kind.OFFLINE) {
            String hint = PgErrors.OFFLINE_HINT.equals(e.hint()) ? PgErrors.REACH_HINT : e.hint();
            return "cannot reach " + address.hostAndPort() + ": " + hint;
        }
        String reason = e.getCause() instanceof SQLException sql ? sql.getMessage() : e.getMessage();
        return e.hint() == null ? reason : reason + " — " + e.hint();
    }

    private static String version(DatabaseMetaData meta) throws SQLException {
        return "PostgreSQL " + meta.getDatabaseMajorVersion() + "." + meta.getDatabaseMinorVersion();
    }

    /** A hub already (its log is there), empty (it becomes one), or a database whose tables ShareMirror did not make. */
    private static Finding contents(Connection c) throws SQLException {
        boolean hub = false;
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid ="
                        + " c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1")) {
            while (r.next()) {
                String name = r.getString(1);
                hub |= name.equals("_sm_log");
                if (!name.startsWith("_sm_")) {
                    tables.add(name);
                }
            }
        }
        if (hub) {
            return new Finding(Topic.HUB, Verdict.GOOD, "an existing ShareMirror hub"
                    + (tables.isEmpty() ? ", with no tables yet" : " with " + count(tables) + ": " + names(tables))
                    + "; this computer gets a replica of it");
        }
        if (tables.isEmpty()) {
            return new Finding(Topic.HUB, Verdict.NOTE, "an empty database: it becomes a new, empty ShareMirror hub. To"
                    + " move a database from a share here instead, use sharemirror move-hub NAME --to this URL");
        }
        return new Finding(Topic.HUB, Verdict.PROBLEM, "not a ShareMirror hub: it has no ShareMirror log (_sm_log)"
                + " but " + count(tables) + " of its own (" + names(tables) + "), and ShareMirror mirrors only tables"
                + " it made. Choose an empty database for a new hub; to move a database from a share to PostgreSQL,"
                + " use sharemirror move-hub NAME --to postgresql://…");
    }

    /** "1 table", "2 tables". */
    private static String count(List<String> tables) {
        return tables.size() + (tables.size() == 1 ? " table" : " tables");
    }

    /** "a, b", at most {@link #NAMES_SHOWN} named and the rest counted. */
    private static String names(List<String> tables) {
        String shown = String.join(", ", tables.subList(0, Math.min(NAMES_SHOWN, tables.size())));
        int more = tables.size() - NAMES_SHOWN;
        return shown + (more > 0 ? " and " + more + " more" : "");
    }
}
