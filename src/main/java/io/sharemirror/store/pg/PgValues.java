package io.sharemirror.store.pg;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * How SQLite values live in a PostgreSQL hub (issue 17): which PostgreSQL type a SQLite column gets, and one value
 * each way, so that whatever a replica wrote reads back on every other replica with the same storage class and bytes.
 *
 * <p>The rule for a column: of the types that suit its declared affinity ({@link Affinity}), the first that carries
 * every value present; when none does (the values mix classes that no one of them holds, or a TEXT has a NUL or
 * invalid UTF-8, which PostgreSQL's text refuses), {@link PgType#TAGGED}, which keeps every value and its class. A
 * value arriving later that the column's type cannot carry is refused ({@link PgValueRefused}), never converted.
 */
public final class PgValues {

    private PgValues() {
    }

    /** The PostgreSQL type for a SQLite column declared {@code declaredType} that holds {@code present}. */
    public static PgType typeFor(String declaredType, Iterable<SqliteValue> present) {
        for (PgType candidate : Affinity.of(declaredType).suited()) {
            if (carriesAll(candidate, present)) {
                return candidate;
            }
        }
        return PgType.TAGGED;
    }

    /**
     * Binds {@code value} as parameter {@code index} for a hub column of {@code type}; {@code column} (table.column)
     * names it in a refusal.
     */
    public static void bind(PreparedStatement s, int index, String column, PgType type, SqliteValue value)
            throws SQLException {
        if (!type.carries(value)) {
            throw new PgValueRefused(column, type, value);
        }
        type.bind(s, index, value);
    }

    /** The SQLite value a hub column of {@code type} holds in column {@code index} of the current row. */
    public static SqliteValue read(ResultSet r, int index, PgType type) throws SQLException {
        return type.read(r, index);
    }

    private static boolean carriesAll(PgType type, Iterable<SqliteValue> values) {
        for (SqliteValue v : values) {
            if (!type.carries(v)) {
                return false;
            }
        }
        return true;
    }
}
