package io.sharemirror.store;

import io.sharemirror.sync.SchemaStep;
import io.sharemirror.sync.SchemaObject;
import io.sharemirror.store.SqlTokens.Token;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Makes one schema change on the other side ({@link SchemaStep}), inside the caller's transaction. Created
 * objects are created from their exact SQL. An altered table is first altered in place when the SQL texts show what
 * SQLite does in place (ADD COLUMN appends definitions before the closing parenthesis, DROP COLUMN removes one,
 * RENAME COLUMN replaces a name's tokens) and the result is checked to be byte for byte the other side's SQL; anything
 * else (a changed key, column type or constraint: SQLite's documented 12-step rebuild, or a migration tool's) is
 * rebuilt to the new definition, carrying the columns both have by name and the rowid, with the table's indexes and
 * triggers made again from the other side's definitions; rows the new definition refuses are left out. The rows are
 * reconciled by the caller afterwards.
 */
public final class DdlReplay {

    private DdlReplay() {
    }

    /** Runs {@code step} on {@code c}; {@code source} is the schema of the side the change comes from. */
    public static void apply(Connection c, SchemaStep step, Map<String, SchemaObject> source) throws SQLException {
        SchemaObject from = step.from();
        SchemaObject into = step.into();
        switch (step.kind()) {
            case CREATE -> {
                if (!into.sql().equals(storedSql(c, into.name()))) { // a rebuild of its table may have made it already
                    execute(c, into.sql());
                }
            }
            case DROP -> execute(c, "DROP " + from.type().toUpperCase(Locale.ROOT) + " IF EXISTS " + Sql.ident(from.name()));
            case RENAME -> {
                execute(c, "ALTER TABLE " + Sql.ident(from.name()) + " RENAME TO " + Sql.ident(into.name()));
                if (!into.sql().equals(storedSql(c, into.name()))) {
                    SchemaObject renamed = new SchemaObject(from.type(), into.name(), into.name(),
                            storedSql(c, into.name()), 0);
                    alterTable(c, renamed, into, source);
                }
            }
            case ALTER -> {
                if (into.isTable()) {
                    alterTable(c, from, into, source);
                } else {
                    execute(c, "DROP " + from.type().toUpperCase(Locale.ROOT) + " IF EXISTS " + Sql.ident(from.name()));
                    execute(c, into.sql());
                }
            }
            default -> throw new IllegalStateException("unknown step " + step);
        }
    }

    private static void alterTable(Connection c, SchemaObject from, SchemaObject into,
                                   Map<String, SchemaObject> source) throws SQLException {
        List<String> inPlace = inPlace(from, into);
        if (!inPlace.isEmpty()) {
            execute(c, "SAVEPOINT _sm_alter");
            try {
                for (String sql : inPlace) {
                    execute(c, sql);
                }
            } catch (SQLException e) {
                inPlace = List.of(); // SQLite refused it (DROP COLUMN of an indexed column, say): rebuild instead
            }
            if (!inPlace.isEmpty() && into.sql().equals(storedSql(c, into.name()))) {
                execute(c, "RELEASE _sm_alter");
                return;
            }
            execute(c, "ROLLBACK TO _sm_alter");
            execute(c, "RELEASE _sm_alter");
        }
        rebuild(c, from, into, source);
    }

    /**
     * The in-place ALTER TABLE statements that turn {@code from}'s SQL into {@code into}'s, as SQLite edits the text;
     * none when the difference is of another kind.
     */
    public static List<String> inPlace(SchemaObject from, SchemaObject into) {
        String a = from.sql();
        String b = into.sql();
        String table = "ALTER TABLE " + Sql.ident(from.name());
        int p = 0;
        while (p < a.length() && p < b.length() && a.charAt(p) == b.charAt(p)) {
            p++;
        }
        int q = 0;
        while (q < a.length() - p && q < b.length() - p && a.charAt(a.length() - 1 - q) == b.charAt(b.length() - 1 - q)) {
            q++;
        }
        String removed = a.substring(p, a.length() - q);
        String inserted = b.substring(p, b.length() - q);
        if (removed.isEmpty() && inserted.strip().startsWith(",")) {
            List<String> adds = new ArrayList<>();
            for (String definition : topLevel(inserted.strip().substring(1))) {
                adds.add(table + " ADD COLUMN " + definition);
            }
            return adds;
        }
        if (inserted.isEmpty() && removed.strip().startsWith(",")) {
            List<Token> tokens = SqlTokens.of(removed.strip().substring(1));
            if (!tokens.isEmpty() && tokens.get(0).isName()) {
                return List.of(table + " DROP COLUMN " + Sql.ident(tokens.get(0).text()));
            }
        }
        List<Token> ta = SqlTokens.of(a);
        List<Token> tb = SqlTokens.of(b);
        if (ta.size() == tb.size()) {
            String old = null;
            String renamed = null;
            boolean bareTo = false;
            for (int i = 0; i < ta.size(); i++) {
                Token x = ta.get(i);
                Token y = tb.get(i);
                if (x.equals(y)) {
                    continue;
                }
                if (!x.isName() || !y.isName() || old != null && (!old.equals(x.text()) || !renamed.equals(y.text()))) {
                    return List.of();
                }
                old = x.text();
                renamed = y.text();
                bareTo = y.kind() == SqlTokens.Kind.WORD;
            }
            if (old != null) {
                // The new name spelled as that side spelled it (SQLite stores it so): bare if it was bare.
                return List.of(table + " RENAME COLUMN " + Sql.ident(old) + " TO " + (bareTo ? renamed : Sql.ident(renamed)));
            }
        }
        return List.of();
    }

    /** Splits column definitions at the commas outside parentheses and quotes. */
    private static List<String> topLevel(String definitions) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        char quote = 0;
        for (int i = 0; i < definitions.length(); i++) {
            char ch = definitions.charAt(i);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                }
            } else if (ch == '\'' || ch == '"' || ch == '`') {
                quote = ch;
            } else if (ch == '[') {
                quote = ']';
            } else if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
            } else if (ch == ',' && depth == 0) {
                parts.add(definitions.substring(start, i).strip());
                start = i + 1;
            }
        }
        parts.add(definitions.substring(start).strip());
        return parts;
    }

    /**
     * SQLite's rebuild: the old table is renamed aside (legacy renaming, so views, triggers and foreign keys elsewhere
     * keep naming the table, not the copy), the new one made from its exact SQL, the common columns and rowid copied,
     * the old one dropped with its indexes and triggers, which are made again as the other side has them.
     */
    private static void rebuild(Connection c, SchemaObject from, SchemaObject into, Map<String, SchemaObject> source)
            throws SQLException {
        String aside = "_sm_rebuild";
        execute(c, "DROP TABLE IF EXISTS " + Sql.ident(aside));
        execute(c, "PRAGMA legacy_alter_table = ON");
        try {
            execute(c, "ALTER TABLE " + Sql.ident(from.name()) + " RENAME TO " + Sql.ident(aside));
        } finally {
            execute(c, "PRAGMA legacy_alter_table = OFF");
        }
        execute(c, into.sql());
        List<String> target = new ArrayList<>(columns(c, into.name()));
        List<String> copied = new ArrayList<>(target);
        List<String> old = columns(c, aside);
        copied.retainAll(old);
        target.retainAll(old);
        renamedColumns(from.sql(), into.sql()).forEach((was, now) -> {
            if (old.contains(was)) {
                copied.add(was);
                target.add(now);
            }
        });
        if (hasRowid(c, aside) && hasRowid(c, into.name())) {
            copied.add("rowid");
            target.add("rowid");
        }
        if (!target.isEmpty()) {
            // A row the new definition refuses (a NOT NULL column it gained, a stricter CHECK) is left out; the caller
            // archives what that leaves out.
            execute(c, "INSERT OR IGNORE INTO " + Sql.ident(into.name()) + "(" + Sql.idents(target) + ") SELECT "
                    + Sql.idents(copied) + " FROM " + Sql.ident(aside));
        }
        execute(c, "DROP TABLE " + Sql.ident(aside));
        for (SchemaObject d : source.values()) {
            if (!d.isTable() && !d.type().equals("view") && d.table().equalsIgnoreCase(into.name())
                    && storedSql(c, d.name()) == null) {
                execute(c, d.sql());
            }
        }
    }

    /**
     * Columns renamed between two definitions of a table: a column only the old one has and one only the new one has,
     * defined alike after the name ({@code name TEXT NOT NULL} and {@code full_name TEXT NOT NULL}). Old name to new.
     */
    static Map<String, String> renamedColumns(String fromSql, String intoSql) {
        Map<String, String> before = columnDefinitions(fromSql);
        Map<String, String> after = columnDefinitions(intoSql);
        Map<String, String> renamed = new java.util.LinkedHashMap<>();
        for (var gone : before.entrySet()) {
            if (after.containsKey(gone.getKey())) {
                continue;
            }
            for (var made : after.entrySet()) {
                if (!before.containsKey(made.getKey()) && !renamed.containsValue(made.getKey())
                        && made.getValue().equals(gone.getValue())) {
                    renamed.put(gone.getKey(), made.getKey());
                    break;
                }
            }
        }
        return renamed;
    }

    /** Each column of a CREATE TABLE statement: its name, and the text of its definition after the name. */
    private static Map<String, String> columnDefinitions(String createTable) {
        Map<String, String> columns = new java.util.LinkedHashMap<>();
        int open = createTable.indexOf('(');
        int close = createTable.lastIndexOf(')');
        if (open < 0 || close < open) {
            return columns;
        }
        for (String definition : topLevel(createTable.substring(open + 1, close))) {
            List<Token> tokens = SqlTokens.of(definition);
            if (tokens.isEmpty() || !tokens.get(0).isName() || List.of("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK",
                    "FOREIGN").stream().anyMatch(tokens.get(0)::is)) {
                continue;
            }
            columns.put(tokens.get(0).text(), tokens.subList(1, tokens.size()).toString());
        }
        return columns;
    }

    /** Stored columns (generated ones are computed, never copied). */
    private static List<String> columns(Connection c, String table) throws SQLException {
        return Sql.strings(c, "SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0", table);
    }

    private static boolean hasRowid(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = ?")) {
            s.setString(1, table);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getInt(1) == 0;
            }
        }
    }

    /** The SQL {@code sqlite_master} holds for a name, or null. */
    static String storedSql(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT sql FROM sqlite_master WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
