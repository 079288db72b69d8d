package io.sharemirror.store.pg;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A row's key on PostgreSQL as SQLite's {@code Sql.keyJson} spells it, and the expressions keys are compared by.
 *
 * <p>MERGE: a stand-in with the signatures of the core's {@code PgKeys} (branch pgcore) that the schema side uses; the
 * core's file replaces this one whole.
 */
public final class PgKeys {

    private PgKeys() {
    }

    /** What a column is compared by under a SQLite collation; {@code column} is a quoted name or expression. */
    public static String compared(String column, String collation) {
        return switch (collation.toUpperCase(Locale.ROOT)) {
            case "NOCASE" -> "_sm_nocase(" + column + ")";
            case "RTRIM" -> "rtrim(" + column + ", ' ')";
            default -> column;
        };
    }

    /** The key's compared expressions, comma-separated. */
    public static String keyExpressions(PgTable t) {
        List<String> expressions = new ArrayList<>();
        for (int i = 0; i < t.info().keyColumns().size(); i++) {
            expressions.add(keyExpression(t, "", i));
        }
        return String.join(", ", expressions);
    }

    /** The SQL expression of a row's key text, its columns read with {@code prefix}. */
    public static String keyText(PgTable t, String prefix) {
        StringBuilder text = new StringBuilder("'['");
        for (int i = 0; i < t.info().keyColumns().size(); i++) {
            String column = t.info().keyColumns().get(i);
            String value = prefix + t.quotedColumn(column);
            String element = switch (t.type(column)) {
                case BIGINT -> value + "::text";
                case TEXT -> "to_json(" + keyExpression(t, prefix, i) + ")::text";
                default -> "'{\"$hex\":\"' || upper(encode(" + value + ", 'hex')) || '\"}'";
            };
            text.append(i == 0 ? " || " : " || ',' || ").append(element);
        }
        return text.append(" || ']'").toString();
    }

    private static String keyExpression(PgTable t, String prefix, int i) {
        return compared(prefix + t.quotedColumn(t.info().keyColumns().get(i)), t.info().keyCollations().get(i));
    }
}
