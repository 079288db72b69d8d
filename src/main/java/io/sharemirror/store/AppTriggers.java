package io.sharemirror.store;

import io.sharemirror.store.SqlTokens.Token;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The application's own triggers (every trigger not named {@code _sm_*}) and the part each plays in a mirrored
 * database. The rule that gives every copy the same result: a trigger runs where the application writes; when the
 * agent writes (the hub during a push, a replica while applying pulled rows) the rows a trigger derived travel as rows,
 * so it must not derive them a second time. Triggers that keep an index the sync does not carry are the exception.
 */
final class AppTriggers {

    /** What a trigger does, read from its SQL. */
    enum Role {
        /**
         * Writes synced tables (an audit row, a stock total, {@code updated_at}) or only checks: runs for the
         * application's writes on every copy, and is suspended while the agent writes rows derived elsewhere.
         */
        DERIVES,
        /**
         * Writes only virtual tables whose rows are not synced (an FTS index over external content, a contentless FTS
         * index, an R-tree): it runs for every write, the agent's included, so each copy keeps its own index.
         */
        INDEXES,
        /** Names one of ShareMirror's own {@code _sm_*} objects: never copied into a replica, never suspended. */
        MEDDLES
    }

    /** One trigger: its name, the table or view it is on, its SQL as stored, its role, and the tables it writes. */
    record Trigger(String name, String table, String sql, Role role, Set<String> writes) {
    }

    private AppTriggers() {
    }

    /** Every trigger of the application's in the main schema, in the order they were made. */
    static List<Trigger> read(Connection c) throws SQLException {
        Set<String> unsynced = unsyncedVirtualTables(c);
        List<Trigger> triggers = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
                + " AND name NOT LIKE '\\_sm\\_%' ESCAPE '\\' ORDER BY rowid");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                List<Token> tokens = SqlTokens.of(r.getString(3));
                Set<String> writes = writes(tokens);
                Role role = meddles(tokens) ? Role.MEDDLES
                        : !writes.isEmpty() && unsynced.containsAll(writes) ? Role.INDEXES : Role.DERIVES;
                triggers.add(new Trigger(r.getString(1), r.getString(2), r.getString(3), role, writes));
            }
        }
        return triggers;
    }

    /** Virtual tables whose rows the sync does not carry: all but the FTS tables that store their own text. */
    private static Set<String> unsyncedVirtualTables(Connection c) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'virtual'");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                names.add(lower(r.getString(1)));
            }
        }
        Schema.ftsTables(c).keySet().forEach(fts -> names.remove(lower(fts)));
        return names;
    }

    /** Any name in the trigger, header or body, that is one of ShareMirror's. */
    static boolean meddles(List<Token> tokens) {
        return tokens.stream().anyMatch(t -> t.isName() && lower(t.text()).startsWith("_sm_"));
    }

    /**
     * The tables the trigger's body writes, in lower case: the target of each INSERT/REPLACE INTO, UPDATE and DELETE
     * FROM after its BEGIN (before it, INSERT, UPDATE and DELETE name the event). The UPDATE of an upsert's
     * {@code DO UPDATE} names no table.
     */
    static Set<String> writes(List<Token> tokens) {
        Set<String> targets = new LinkedHashSet<>();
        int i = 0;
        while (i < tokens.size() && !tokens.get(i).is("BEGIN")) {
            i++;
        }
        for (; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            int target = -1;
            if (t.is("INSERT") || t.is("REPLACE")) {
                target = after(tokens, skipOr(tokens, i + 1), "INTO");
            } else if (t.is("UPDATE") && !tokens.get(i - 1).is("DO")) {
                target = skipOr(tokens, i + 1);
            } else if (t.is("DELETE")) {
                target = after(tokens, i + 1, "FROM");
            }
            if (target >= 0 && target < tokens.size() && tokens.get(target).isName()) {
                // schema.table: the table is the name after the dot
                boolean qualified = target + 2 < tokens.size() && tokens.get(target + 1).text().equals(".")
                        && tokens.get(target + 1).kind() == SqlTokens.Kind.PUNCT;
                targets.add(lower(tokens.get(qualified ? target + 2 : target).text()));
            }
        }
        return targets;
    }

    /** Past {@code OR <conflict resolution>}, if there. */
    private static int skipOr(List<Token> tokens, int i) {
        return i < tokens.size() && tokens.get(i).is("OR") ? i + 2 : i;
    }

    /** The index after the keyword at {@code i}, or -1 when {@code i} is not that keyword. */
    private static int after(List<Token> tokens, int i, String keyword) {
        return i < tokens.size() && tokens.get(i).is(keyword) ? i + 1 : -1;
    }

    /** SQLite compares names without ASCII case. */
    static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
