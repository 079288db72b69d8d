package io.sharemirror.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text from a schema into tokens the way SQLite's tokenizer does, as far as telling names from keywords
 * needs: comments and whitespace dropped; strings kept apart from names; {@code "name"}, {@code [name]} and
 * {@code `name`} unquoted into names. Nothing is evaluated; this only reads.
 */
final class SqlTokens {

    /** A bare word (keyword or name), a quoted name, a string literal, or one character of punctuation. */
    enum Kind { WORD, QUOTED, STRING, PUNCT }

    /** {@code text} is the name without its quotes for WORD and QUOTED, the literal's content for STRING. */
    record Token(Kind kind, String text) {

        boolean isName() {
            return kind == Kind.WORD || kind == Kind.QUOTED;
        }

        /** A bare keyword, compared without case; a quoted {@code "begin"} is a name, never the keyword. */
        boolean is(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }
    }

    private SqlTokens() {
    }

    static List<Token> of(String sql) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r') { // SQLite's whitespace, ASCII only
                i++;
            } else if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '\'' || c == '"' || c == '`') {
                i = quoted(sql, i, c, c == '\'' ? Kind.STRING : Kind.QUOTED, tokens);
            } else if (c == '[') {
                int end = sql.indexOf(']', i + 1);
                end = end < 0 ? n : end;
                tokens.add(new Token(Kind.QUOTED, sql.substring(i + 1, end)));
                i = end + 1;
            } else if (wordChar(c)) {
                int start = i;
                while (i < n && wordChar(sql.charAt(i))) {
                    i++;
                }
                tokens.add(new Token(Kind.WORD, sql.substring(start, i))); // only word characters: safe as it is
            } else {
                tokens.add(new Token(Kind.PUNCT, String.valueOf(c)));
                i++;
            }
        }
        return tokens;
    }

    /** A quoted token ends at the first quote not doubled; returns the index after it. */
    private static int quoted(String sql, int start, char quote, Kind kind, List<Token> tokens) {
        StringBuilder text = new StringBuilder();
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    text.append(quote);
                    i += 2;
                    continue;
                }
                i++;
                break;
            }
            text.append(c);
            i++;
        }
        tokens.add(new Token(kind, text.toString()));
        return i;
    }

    /** SQLite's identifier characters: letters, digits, {@code _}, {@code $} and everything beyond ASCII. */
    private static boolean wordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 127;
    }
}
