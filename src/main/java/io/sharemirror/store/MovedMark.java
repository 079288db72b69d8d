package io.sharemirror.store;

import io.sharemirror.paths.PostgresAddress;
import io.sharemirror.sync.HubMovedException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The mark a moved file hub keeps (ARCHITECTURE.md#moving-a-hub): {@code _sm_moved(url, at)} names the new hub, and
 * BEFORE triggers on every application table and on {@code _sm_log} refuse every write with a message naming it. So a
 * program writing the old file directly gets a clear error instead of writing into a file nobody reads, an agent of an
 * older version fails its push instead of losing it, and the file's log stays exactly what was copied: every entry past
 * any replica's cursor is on the new hub under the same number. Reads keep working, so agents find the mark.
 */
public final class MovedMark {

    static final String TABLE = "_sm_moved";

    private MovedMark() {
    }

    /** What a direct writer of the old file reads when its write is refused. */
    public static String refusal(String url) {
        return "this database moved to " + url + ": connect there (ShareMirror desktops follow by themselves)";
    }

    /**
     * Marks the file as moved to {@code url}, inside the caller's write transaction on {@code c} (the one that held
     * the file still while it was copied), so a writer sees the old file unmarked or the mark, never a file half
     * marked.
     */
    static void install(Connection c, String url, long atMs) throws SQLException {
        List<String> ddl = new ArrayList<>();
        ddl.add("CREATE TABLE " + TABLE + "(url TEXT NOT NULL, at INTEGER NOT NULL)");
        String refuse = "SELECT RAISE(ABORT, " + Sql.literal(refusal(url)) + ");";
        Set<String> tables = new LinkedHashSet<>(); // an FTS table's triggers go on its content table, once
        Schema.read(c, t -> true).values().forEach(t -> tables.add(t.triggerTable()));
        tables.add("_sm_log");
        for (String table : tables) {
            for (String op : List.of("INSERT", "UPDATE", "DELETE")) {
                ddl.add(Instrumentation.trigger("_sm_mv" + op.charAt(0) + "_" + table, "BEFORE " + op + " ON "
                        + Sql.ident(table), refuse));
            }
        }
        Instrumentation.execute(c, ddl);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + TABLE + "(url, at) VALUES (?, ?)")) {
            s.setString(1, url);
            s.setLong(2, atMs);
            s.executeUpdate();
        }
    }

    /** The news for a mirror of a file {@link #read} found moved. */
    static HubMovedException moved(Connection c) throws SQLException {
        String url = read(c).orElseThrow(() -> new SQLException(TABLE + " holds no row"));
        String where;
        try {
            where = PostgresAddress.parse(url).describe();
        } catch (PostgresAddress.Invalid e) {
            where = url; // marked by a later version, for a hub of a kind this one does not know
        }
        return new HubMovedException(url, where);
    }

    /**
     * Where the hub that was the file at {@code file} moved, read with a connection of its own that writes nothing;
     * empty for a file that is still the hub, or that cannot be read now.
     */
    public static Optional<String> readFrom(Path file, ConnectionFactory factory) {
        try (Connection c = factory.open(file, ConnectionFactory.Kind.HUB, ConnectionFactory.Access.READ_ONLY)) {
            return read(c);
        } catch (SQLException e) {
            return Optional.empty(); // not reachable or not a hub: the caller opens it as it would have
        }
    }

    /** Where the hub moved, read in the caller's transaction; empty for a file that is still the hub. */
    static Optional<String> read(Connection c) throws SQLException {
        if (Instrumentation.names(c, "table", TABLE.replace("_", "\\_")).isEmpty()) {
            return Optional.empty();
        }
        try (PreparedStatement s = c.prepareStatement("SELECT url FROM " + TABLE + " ORDER BY at DESC LIMIT 1");
             ResultSet r = s.executeQuery()) {
            return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
        }
    }
}
