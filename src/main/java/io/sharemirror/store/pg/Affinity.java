package io.sharemirror.store.pg;

import java.util.List;
import java.util.Locale;

/**
 * A SQLite column's type affinity, by SQLite's rules for a declared type (datatype3, "Determination Of Column
 * Affinity"), and the PostgreSQL types that suit it, most fitting first. A column with no declared type is told
 * apart from one declared BLOB (SQLite gives both BLOB affinity): it promised nothing about its values.
 */
enum Affinity {

    /** SQLite keeps REALs here that are not whole or beyond 64 bits, so numeric follows bigint. */
    INTEGER(PgType.BIGINT, PgType.NUMERIC),
    TEXT(PgType.TEXT),
    BLOB(PgType.BYTEA),
    REAL(PgType.DOUBLE),
    /** NUMERIC, DECIMAL, BOOLEAN, DATE, DATETIME...: numbers of both classes, or text such as '2024-01-31'. */
    NUMERIC(PgType.NUMERIC, PgType.TEXT),
    /**
     * NUMERIC affinity whose type names a date or time: applications (Django, SQLAlchemy) write ISO text there, so an
     * empty column is text; a column of numbers only (epoch seconds, Julian days) is still numeric.
     */
    DATE_TIME(PgType.TEXT, PgType.NUMERIC),
    /** No declared type: any class may come, so only {@link PgType#TAGGED} suits it. */
    NONE;

    private final List<PgType> suited;

    Affinity(PgType... suited) {
        this.suited = List.of(suited);
    }

    List<PgType> suited() {
        return suited;
    }

    static Affinity of(String declaredType) {
        String t = declaredType == null ? "" : declaredType.toUpperCase(Locale.ROOT);
        if (t.contains("INT")) {
            return INTEGER;
        }
        if (t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT")) {
            return TEXT;
        }
        if (t.contains("BLOB")) {
            return BLOB;
        }
        if (t.isBlank()) {
            return NONE;
        }
        if (t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB")) {
            return REAL;
        }
        return t.contains("DATE") || t.contains("TIME") ? DATE_TIME : NUMERIC;
    }
}
