package io.sharemirror.sync;

import java.util.List;

/**
 * A row whose write broke a constraint of the database it was written to.
 *
 * @param constraint what was broken, for people: {@code UNIQUE index customer_code (code)}, or SQLite's message
 * @param values the row's values in that constraint, for people ({@code code = 'X1'}); row data, so they go to the
 *     archive and the status, never to the log
 * @param other the row that holds the same values under a UNIQUE constraint, or null when no other row is involved
 * @param columns the row's columns the constraint names, as far as it can be told: what a person changes to get past it
 *     (empty when the constraint names none of them, a CHECK calling a function, say)
 */
public record Clash(Key key, String constraint, String values, Key other, List<String> columns) {

    public Clash {
        columns = List.copyOf(columns);
    }
}
