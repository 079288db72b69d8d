package io.sharemirror.store.pg;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.sharemirror.store.pg.SqliteValue.StorageClass;
import io.sharemirror.sync.Row;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * The PostgreSQL column types a hub column can have, each with the SQLite values it carries exactly (same storage
 * class and bytes back) and how one such value is bound and read with the official driver. Which type a column gets
 * is {@link PgValues#typeFor}'s rule; what was found by experiment is in ARCHITECTURE.md, "PostgreSQL hub: values".
 */
public enum PgType {

    /** 64-bit integers, all of them. */
    BIGINT("bigint", value -> true, (s, i, v) -> s.setLong(i, v.integer()),
            (r, i) -> SqliteValue.integer(r.getLong(i)), StorageClass.INTEGER),

    /** IEEE 754 doubles, all that SQLite stores: -0.0, subnormals, infinities. */
    DOUBLE("double precision", value -> true, (s, i, v) -> s.setDouble(i, v.real()),
            (r, i) -> SqliteValue.real(r.getDouble(i)), StorageClass.REAL),

    /**
     * INTEGER and REAL together, told apart by the decimal point numeric keeps: an INTEGER is written without one,
     * a REAL always with one (2.0, not 2), so a REAL whose value is whole comes back a REAL. Every finite double is a
     * decimal fraction with few enough digits for numeric; infinities are numeric's own. Not -0.0: numeric has no
     * negative zero (SQLite keeps none in a column of INTEGER or NUMERIC affinity either). Bound as text of no
     * declared type, which the server reads as numeric with the scale the text has.
     */
    NUMERIC("numeric", value -> value.storageClass() != StorageClass.REAL || !isNegativeZero(value.real()),
            (s, i, v) -> s.setObject(i, numericText(v), Types.OTHER), PgType::fromNumeric,
            StorageClass.INTEGER, StorageClass.REAL),

    /** Text that PostgreSQL's text holds: valid UTF-8 without NUL characters. */
    TEXT("text", value -> pgText(value.bytes()), (s, i, v) -> s.setString(i, new String(v.bytes(), UTF_8)),
            (r, i) -> SqliteValue.text(r.getString(i).getBytes(UTF_8)), StorageClass.TEXT),

    BYTEA("bytea", value -> true, (s, i, v) -> s.setBytes(i, v.bytes()), (r, i) -> SqliteValue.blob(r.getBytes(i)),
            StorageClass.BLOB),

    /**
     * Every SQLite value, for a column whose values mix classes: bytea holding one byte for the class ('I', 'R', 'T',
     * 'B') and then the value (an INTEGER or a REAL's IEEE bits as 8 bytes, big-endian; the bytes of a TEXT or BLOB).
     * SQL NULL stays NULL. A program writing the hub directly writes the same bytes.
     */
    TAGGED("bytea", value -> true, (s, i, v) -> s.setBytes(i, tagged(v)), (r, i) -> untagged(r.getBytes(i)),
            StorageClass.values());

    /** Binds a present value of a carried class. */
    private interface Binder {
        void bind(PreparedStatement s, int index, SqliteValue value) throws SQLException;
    }

    /** Reads a present (not NULL) value. */
    private interface Reader {
        SqliteValue read(ResultSet r, int index) throws SQLException;
    }

    private final String sql;
    private final Predicate<SqliteValue> carriesValue;
    private final Binder binder;
    private final Reader reader;
    private final List<StorageClass> carried;

    PgType(String sql, Predicate<SqliteValue> carriesValue, Binder binder, Reader reader, StorageClass... carried) {
        this.sql = sql;
        this.carriesValue = carriesValue;
        this.binder = binder;
        this.reader = reader;
        this.carried = List.of(carried);
    }

    /** The type's name in PostgreSQL's DDL. */
    public String sql() {
        return sql;
    }

    /** Whether this type gives the value back with the same class and bytes. NULL always. */
    boolean carries(SqliteValue value) {
        return value.storageClass() == StorageClass.NULL
                || carried.contains(value.storageClass()) && carriesValue.test(value);
    }

    /** Binds a value this type {@link #carries}. */
    void bind(PreparedStatement s, int index, SqliteValue value) throws SQLException {
        if (value.storageClass() == StorageClass.NULL) {
            s.setNull(index, Types.OTHER); // of no declared type: the server takes the column's
        } else {
            binder.bind(s, index, value);
        }
    }

    /** The SQLite value in column {@code index} of the current row. */
    SqliteValue read(ResultSet r, int index) throws SQLException {
        r.getObject(index);
        return r.wasNull() ? SqliteValue.NULL : reader.read(r, index);
    }

    private static SqliteValue fromNumeric(ResultSet r, int index) throws SQLException {
        String text = r.getString(index);
        if (text.contains(".") || text.endsWith("Infinity")) {
            return SqliteValue.real(Double.parseDouble(text));
        }
        try {
            return SqliteValue.integer(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new SQLException("numeric " + text + " is neither a 64-bit INTEGER nor a REAL for SQLite", "22003");
        }
    }

    private static boolean isNegativeZero(double d) {
        return Double.doubleToRawLongBits(d) == Double.doubleToRawLongBits(-0.0);
    }

    private static String numericText(SqliteValue value) {
        if (value.storageClass() == StorageClass.INTEGER) {
            return Long.toString(value.integer());
        }
        double d = value.real();
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        // Double.toString's digits read back as the same double; plain, so numeric keeps the point.
        String plain = BigDecimal.valueOf(d).toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    /** Valid UTF-8 (strictly: no surrogates, no overlong forms) and no NUL, which PostgreSQL's text refuses. */
    private static boolean pgText(byte[] utf8) {
        for (byte b : utf8) {
            if (b == 0) {
                return false;
            }
        }
        try {
            UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] tagged(SqliteValue value) {
        StorageClass c = value.storageClass();
        ByteBuffer out = switch (c) {
            case INTEGER -> ByteBuffer.allocate(9).put((byte) 'I').putLong(value.integer());
            case REAL -> ByteBuffer.allocate(9).put((byte) 'R').putLong(Double.doubleToRawLongBits(value.real()));
            case TEXT, BLOB -> {
                byte[] bytes = value.bytes();
                yield ByteBuffer.allocate(1 + bytes.length).put((byte) (c == StorageClass.TEXT ? 'T' : 'B')).put(bytes);
            }
            case NULL -> throw new IllegalArgumentException("NULL is SQL NULL, not tagged");
        };
        return out.array();
    }

    private static SqliteValue untagged(byte[] tagged) throws SQLException {
        byte[] rest = tagged.length == 0 ? tagged : Arrays.copyOfRange(tagged, 1, tagged.length);
        char tag = tagged.length == 0 ? '?' : (char) tagged[0];
        if (tag == 'T') {
            return SqliteValue.text(rest);
        }
        if (tag == 'B') {
            return SqliteValue.blob(rest);
        }
        if ((tag == 'I' || tag == 'R') && rest.length == Long.BYTES) {
            long bits = ByteBuffer.wrap(rest).getLong();
            if (tag == 'I') {
                return SqliteValue.integer(bits);
            }
            if (!Double.isNaN(Double.longBitsToDouble(bits))) {
                return SqliteValue.real(Double.longBitsToDouble(bits));
            }
        }
        throw new SQLException("not a tagged SQLite value: " + Row.literal(tagged)
                + " (one byte I, R, T or B, then the value)", "22P03");
    }
}
