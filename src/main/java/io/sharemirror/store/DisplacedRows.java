package io.sharemirror.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rows an INSERT OR REPLACE (or UPDATE OR REPLACE, or a {@code UNIQUE ON CONFLICT REPLACE} column) removes because
 * they hold the new row's values under a UNIQUE constraint other than the key. SQLite fires no delete trigger for them
 * unless the writing program turned recursive_triggers on, so a replica would never push their delete, and a direct
 * writer's upsert on the hub would leave them in every replica. A BEFORE trigger notes their keys, with the table's
 * name, in a state row; the AFTER trigger, which runs only once the row is written (so they are gone), records their
 * deletes. Only UNIQUE constraints over plain columns are looked at: one over an expression or a partial index is left
 * to the push, which meets its clash on the hub ({@link io.sharemirror.sync.Planner#planPushed}).
 */
final class DisplacedRows {

    private DisplacedRows() {
    }

    /**
     * The BEFORE INSERT and BEFORE UPDATE triggers that note, in {@code state}'s {@code displaced} column, the keys of
     * the rows holding the new row's UNIQUE values; none for a table without such constraints.
     */
    static List<String> noteTriggers(TableInfo t, String prefix, String state, String when) {
        Optional<String> holding = holding(t);
        if (holding.isEmpty()) {
            return List.of();
        }
        String table = Sql.ident(t.name());
        List<String> triggers = new ArrayList<>();
        for (String op : List.of("INSERT", "UPDATE")) {
            String notItself = "NOT (" + sameKey(t, "NEW.") + ")" + (op.equals("UPDATE") ? " AND NOT ("
                    + sameKey(t, "OLD.") + ")" : "");
            triggers.add("CREATE TRIGGER " + Sql.ident(prefix + (op.equals("INSERT") ? "r_" : "q_") + t.name())
                    + " BEFORE " + op + " ON " + table + " " + when + " BEGIN UPDATE " + state + " SET displaced ="
                    + " json_array(" + Sql.literal(t.name()) + ", (SELECT json_group_array(json(" + Sql.keyJson("", t)
                    + ")) FROM " + table + " WHERE (" + holding.get() + ") AND " + notItself + ")); END");
        }
        return triggers;
    }

    /**
     * A FROM item whose {@code value} column lists the keys the BEFORE trigger noted for this table, for the AFTER
     * insert and update triggers; empty for a table without such constraints.
     */
    static Optional<String> keys(TableInfo t, String state) {
        if (holding(t).isEmpty()) {
            return Optional.empty();
        }
        String noted = "(SELECT displaced FROM " + state + ")";
        // Checked against the table's name: a trigger of the application's that writes another such table in between
        // noted that table's rows.
        return Optional.of("json_each(CASE WHEN json_extract(" + noted + ", '$[0]') = " + Sql.literal(t.name())
                + " THEN json_extract(" + noted + ", '$[1]') END)");
    }

    /** Matches a row that holds NEW's values under one of the table's UNIQUE constraints over plain columns. */
    private static Optional<String> holding(TableInfo t) {
        List<String> each = new ArrayList<>();
        for (UniqueIndex u : t.uniques()) {
            plainColumns(u, t).ifPresent(columns -> each.add(String.join(" AND ", columns)));
        }
        return each.isEmpty() ? Optional.empty()
                : Optional.of(String.join(" OR ", each.stream().map(c -> "(" + c + ")").toList()));
    }

    /**
     * {@code "c" COLLATE x = NEW."c"} for each item, when every item of the constraint is a column of the table with
     * at most a COLLATE, and it has no WHERE. NULLs never match: a UNIQUE constraint lets any number of rows hold them.
     */
    private static Optional<List<String>> plainColumns(UniqueIndex u, TableInfo t) {
        if (u.where() != null) {
            return Optional.empty();
        }
        List<String> matches = new ArrayList<>();
        for (String item : u.items()) {
            List<SqlTokens.Token> tokens = SqlTokens.of(item);
            boolean collated = tokens.size() == 3 && tokens.get(1).is("COLLATE") && tokens.get(2).isName();
            if ((tokens.size() != 1 && !collated) || !tokens.get(0).isName()) {
                return Optional.empty();
            }
            String column = tokens.get(0).text();
            Optional<String> declared = t.columns().stream().filter(c -> c.equalsIgnoreCase(column)).findFirst();
            if (declared.isEmpty() || (t.keyless() && declared.get().equals(t.columns().get(0)))) {
                return Optional.empty(); // not a column of the table's, or the rowid
            }
            matches.add(Sql.ident(declared.get()) + (collated ? " COLLATE " + Sql.ident(tokens.get(2).text()) : "")
                    + " = NEW." + Sql.ident(declared.get()));
        }
        return Optional.of(matches);
    }

    /** The row whose key is the one of {@code prefix} (NEW. or OLD.). */
    private static String sameKey(TableInfo t, String prefix) {
        return String.join(" AND ", t.keyColumns().stream().map(c -> Sql.ident(c) + " IS " + prefix + Sql.ident(c))
                .toList());
    }
}
