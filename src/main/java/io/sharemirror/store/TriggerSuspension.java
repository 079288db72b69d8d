package io.sharemirror.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps the application's deriving triggers ({@link AppTriggers.Role#DERIVES}) from running while the agent writes rows
 * that were derived already where the application wrote: inside the agent's own write transaction it drops those on
 * the tables it is about to write, and before COMMIT creates them again from their exact stored SQL. DDL is
 * transactional: no other connection ever sees them missing, a rollback puts them back by itself, and the text in
 * {@code sqlite_master} stays byte for byte what the application wrote. (sqlite-jdbc offers no way to switch triggers
 * off per connection.) The cost: the schema cookie moves with such a commit, so every other connection reads the
 * schema again, and the agents compare definitions, not the cookie alone (see {@link SchemaDigest}).
 */
final class TriggerSuspension {

    private final Connection connection;
    /** Dropped in this transaction: name to SQL, in the order they were made. */
    private final Map<String, String> suspended = new LinkedHashMap<>();

    TriggerSuspension(Connection connection) {
        this.connection = connection;
    }

    /** Drops the deriving triggers on these tables that are not dropped yet; a transaction must be open. */
    void suspend(Collection<String> tables) throws SQLException {
        Set<String> written = tables.stream().map(AppTriggers::lower).collect(Collectors.toSet());
        try (Statement s = connection.createStatement()) {
            for (AppTriggers.Trigger t : AppTriggers.read(connection)) {
                if (t.role() == AppTriggers.Role.DERIVES && written.contains(AppTriggers.lower(t.table()))
                        && !suspended.containsKey(t.name())) {
                    s.execute("DROP TRIGGER " + Sql.ident(t.name()));
                    suspended.put(t.name(), t.sql());
                }
            }
        }
    }

    /** Creates the dropped triggers again, as they were; call before COMMIT. */
    void resume() throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String sql : suspended.values()) {
                s.execute(sql);
            }
        }
        suspended.clear();
    }

    /** After a rollback, which put the triggers back itself. */
    void forget() {
        suspended.clear();
    }
}
