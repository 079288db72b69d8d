package io.sharemirror.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * A fingerprint of the application's schema: the type, name, table and SQL text of every object that is neither
 * SQLite's nor ShareMirror's. The schema cookie moves on any DDL, also when an agent's push drops and re-creates the
 * application's triggers unchanged ({@link TriggerSuspension}); the definitions tell whether anything really changed.
 * Root pages are left out: a re-created trigger has none, and VACUUM moves tables.
 */
public final class SchemaDigest {

    private SchemaDigest() {
    }

    static String of(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT type, name, tbl_name, sql FROM sqlite_master"
                     + " WHERE name NOT LIKE '\\_sm\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                     + " ORDER BY type, name")) {
            return of(r);
        }
    }

    /** The fingerprint of the objects a query reads as (type, name, table, sql) rows: a hub of another kind's. */
    public static String of(ResultSet r) throws SQLException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        while (r.next()) {
            for (int i = 1; i <= 4; i++) {
                String field = r.getString(i);
                // Each field with its length, so no two schemas spell the same bytes.
                byte[] bytes = (field == null ? "" : field).getBytes(StandardCharsets.UTF_8);
                sha.update((bytes.length + (field == null ? "N" : ":")).getBytes(StandardCharsets.UTF_8));
                sha.update(bytes);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
