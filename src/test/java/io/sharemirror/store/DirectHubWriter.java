package io.sharemirror.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A program that writes a hub itself, as a third party, in the SQL of the hub's database: one implementation per hub
 * kind. Only the bits the dialects disagree on are here; the tests build their statements from them.
 */
public interface DirectHubWriter {

    /** A connection to the hub with a transaction begun by statement: the caller ends it with COMMIT or ROLLBACK. */
    Connection begin() throws SQLException;

    /** The column that holds the rowid of a table without a declared key. */
    String rowidColumn();

    /** SQL for a text column's value as the JSON string ShareMirror writes in a key. */
    String jsonQuote(String column);

    /** A program writing an SQLite file (a file hub, or a replica as its application writes it). */
    static DirectHubWriter sqlite(Path db) {
        return new DirectHubWriter() {
            @Override
            public Connection begin() throws SQLException {
                Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA busy_timeout = 10000");
                    s.execute("BEGIN IMMEDIATE");
                }
                return c;
            }

            @Override
            public String rowidColumn() {
                return "rowid";
            }

            @Override
            public String jsonQuote(String column) {
                return "json_quote(" + column + ")";
            }
        };
    }
}
