package io.sharemirror.store.pg;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The hub's mirrored tables as of a schema cookie: read again, in the caller's transaction, whenever a probe or a push
 * finds the cookie moved (every schema change moves it), so rows are never read by a stale definition.
 */
final class PgTableCache {

    private final Predicate<String> mirrored;
    /** The tables the last schema check let through ({@link #only}); null until one did: every mirrored table. */
    private Set<String> synced;
    private Map<String, PgTable> tables;
    private long cookie = -1;

    PgTableCache(Predicate<String> mirrored) {
        this.mirrored = mirrored;
    }

    /** The tables as of {@code current}, the cookie the caller's transaction read. */
    synchronized Map<String, PgTable> at(Connection c, long current) throws SQLException {
        if (tables == null || current != cookie) {
            Set<String> through = synced;
            tables = PgTables.read(c, name -> mirrored.test(name) && (through == null || through.contains(name)));
            cookie = current;
        }
        return tables;
    }

    /** The tables, read once (with the cookie) if no probe or push has read them yet. */
    synchronized Map<String, PgTable> current(Connection c) throws SQLException {
        if (tables != null) {
            return tables;
        }
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT cookie FROM _sm_meta")) {
            r.next();
            return at(c, r.getLong(1));
        }
    }

    /**
     * From now on only these tables (as the schema check read them, less those it left out) are read and pushed, as
     * {@link io.sharemirror.sync.HubSchema#syncTablesExcept} asks.
     */
    synchronized void only(Set<String> names) {
        Set<String> through = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        through.addAll(names);
        synced = through;
        tables = null;
    }

    /** Forgets the tables, for the schema side after it changed them in a transaction of its own. */
    synchronized void forget() {
        tables = null;
    }
}
