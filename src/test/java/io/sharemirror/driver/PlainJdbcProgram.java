package io.sharemirror.driver;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * An existing JDBC program whose URL was changed to jdbc:sharemirror: - java.sql and nothing else, run in its own JVM
 * on the shaded jar by {@link ShadedJarIT}. Inserts an artist and prints the file the connection opened.
 */
public final class PlainJdbcProgram {

    private PlainJdbcProgram() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0]); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO Artist(Name) VALUES('From a plain JDBC program')");
            try (ResultSet r = s.executeQuery("SELECT file FROM pragma_database_list WHERE name = 'main'")) {
                r.next();
                System.out.println(r.getString(1));
            }
        }
    }
}
