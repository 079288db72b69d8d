package io.sharemirror.store.pg;

import io.sharemirror.store.Sql;
import java.util.Locale;

/**
 * A row's key as the text SQLite's {@code Sql.keyJson} writes for the same values, computed by PostgreSQL.
 *
 * <p>MERGE: a stand-in for the core's {@code PgKeys} (branch pgcore), with the expression pg-design.md gives; the core's
 * file replaces this one whole.
 */
public final class PgKeys {

    private PgKeys() {
    }

    /** The key column as its collation compares it: SQLite's NOCASE folds ASCII only, RTRIM drops trailing spaces. */
    public static String keyExpression(PgTable t, int i) {
        String column = Sql.ident(t.pgColumn(t.info().keyColumns().get(i)));
        return switch (t.info().keyCollations().get(i).toUpperCase(Locale.ROOT)) {
            case "NOCASE" -> "_sm_nocase(" + column + ")";
            case "RTRIM" -> "rtrim(" + column + ", ' ')";
            default -> column;
        };
    }

    /** The key text of the current row of {@code t}, as a SELECT expression. */
    public static String keyText(PgTable t) {
        StringBuilder json = new StringBuilder("'[' || ");
        for (int i = 0; i < t.info().keyColumns().size(); i++) {
            String column = Sql.ident(t.pgColumn(t.info().keyColumns().get(i)));
            json.append(i == 0 ? "" : " || ',' || ").append(switch (t.type(t.info().keyColumns().get(i))) {
                case BIGINT -> column + "::text";
                case TEXT -> "to_json(" + keyExpression(t, i) + ")::text";
                default -> "'{\"$hex\":\"' || upper(encode(" + column + ", 'hex')) || '\"}'";
            });
        }
        return json.append(" || ']'").toString();
    }
}
