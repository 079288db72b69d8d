package io.sharemirror.store.pg;

import io.sharemirror.store.Schema;
import io.sharemirror.store.SchemaObjects;
import io.sharemirror.store.TableInfo;
import io.sharemirror.sync.SchemaObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A PostgreSQL hub's schema as SQLite holds it: every definition of {@code _sm_schema} made in an in-memory SQLite,
 * so that SQLite's own parser reads its tables ({@link Schema#read}) and SQLite's own DDL changes them as it changes a
 * replica's ({@code store.DdlReplay}); what SQLite then holds is written back as the hub's definitions.
 */
final class PgSchemaModel implements AutoCloseable {

    private final Connection sqlite;

    private PgSchemaModel(Connection sqlite) {
        this.sqlite = sqlite;
    }

    /** The hub's definitions, made in a new in-memory SQLite. */
    static PgSchemaModel read(Connection pg) throws SQLException {
        Connection sqlite = DriverManager.getConnection("jdbc:sqlite::memory:");
        try {
            List<SchemaObject> all = definitions(pg);
            make(sqlite, all.stream().filter(SchemaObject::isTable).toList());
            make(sqlite, all.stream().filter(d -> !d.isTable()).toList());
            return new PgSchemaModel(sqlite);
        } catch (SQLException | RuntimeException e) {
            sqlite.close();
            throw e;
        }
    }

    /** The rows of {@code _sm_schema} (root 0: PostgreSQL has no root pages). */
    static List<SchemaObject> definitions(Connection pg) throws SQLException {
        List<SchemaObject> all = new ArrayList<>();
        try (Statement s = pg.createStatement();
             ResultSet r = s.executeQuery("SELECT type, name, tbl, sql FROM _sm_schema ORDER BY type, name")) {
            while (r.next()) {
                all.add(new SchemaObject(r.getString(1), r.getString(2), r.getString(3), r.getString(4), 0));
            }
        }
        return all;
    }

    /**
     * Runs each definition on an SQLite connection, triggers after the rest, in rounds until every one is made (a view
     * may read a view made after it); one that cannot be made fails with SQLite's reason.
     */
    static void make(Connection sqlite, List<SchemaObject> objects) throws SQLException {
        List<SchemaObject> left = new ArrayList<>(objects.stream().filter(d -> !d.type().equals("trigger")).toList());
        left.addAll(objects.stream().filter(d -> d.type().equals("trigger")).toList());
        while (!left.isEmpty()) {
            List<SchemaObject> waiting = new ArrayList<>();
            SQLException last = null;
            for (SchemaObject d : left) {
                try (Statement s = sqlite.createStatement()) {
                    s.execute(d.sql());
                } catch (SQLException e) {
                    waiting.add(d);
                    last = e;
                }
            }
            if (waiting.size() == left.size()) {
                throw new SQLException("the hub's definition of " + waiting.get(0).type() + " "
                        + waiting.get(0).name() + " does not run in SQLite: " + last.getMessage(), last);
            }
            left = waiting;
        }
    }

    Connection sqlite() {
        return sqlite;
    }

    Map<String, TableInfo> tables() throws SQLException {
        return Schema.read(sqlite, t -> true);
    }

    /** Replaces the hub's definitions with what SQLite holds now. */
    void writeBack(Connection pg) throws SQLException {
        try (Statement s = pg.createStatement()) {
            s.execute("DELETE FROM _sm_schema");
        }
        try (PreparedStatement s = pg.prepareStatement("INSERT INTO _sm_schema(type, name, tbl, sql)"
                + " VALUES(?, ?, ?, ?)")) {
            for (SchemaObject d : SchemaObjects.read(sqlite, t -> true).values()) {
                s.setString(1, d.type());
                s.setString(2, d.name());
                s.setString(3, d.table());
                s.setString(4, d.sql());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    @Override
    public void close() throws SQLException {
        sqlite.close();
    }
}
