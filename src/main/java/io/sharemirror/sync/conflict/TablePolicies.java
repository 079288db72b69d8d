package io.sharemirror.sync.conflict;

import java.util.HashMap;
import java.util.Map;

/**
 * The policy of every table of one database: the database's own, and those of the tables configured apart. Table names
 * match as SQLite matches them, ignoring the case of ASCII letters only; a name configured for a table that does not
 * exist (yet) simply never matches.
 *
 * @param database the policy of every table not in {@code tables}
 * @param tables the tables configured apart, by name (kept as SQLite compares names)
 */
public record TablePolicies(TablePolicy database, Map<String, TablePolicy> tables) {

    public TablePolicies {
        Map<String, TablePolicy> folded = new HashMap<>();
        tables.forEach((name, policy) -> {
            if (folded.put(fold(name), policy) != null) {
                throw new IllegalArgumentException("table " + name + " is configured twice (names ignore case)");
            }
        });
        tables = Map.copyOf(folded);
    }

    /** One policy for every table. */
    public static TablePolicies everyTable(TablePolicy policy) {
        return new TablePolicies(policy, Map.of());
    }

    /** {@link #everyTable} with this conflict policy, rows merged whole. */
    public static TablePolicies everyTable(ConflictPolicy conflict) {
        return everyTable(new TablePolicy(conflict, MergeMode.ROW));
    }

    public TablePolicy of(String table) {
        return tables.getOrDefault(fold(table), database);
    }

    /** SQLite compares identifiers ignoring the case of ASCII letters, and only theirs. */
    private static String fold(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            out.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return out.toString();
    }
}
