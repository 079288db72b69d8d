package io.sharemirror.json;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads one JSON text, strictly, by recursive descent, into the values {@link Json} documents. */
final class JsonReader {
    private final String text;
    private int at;

    JsonReader(String text) {
        this.text = text;
    }

    Object document() {
        Object value = value();
        end();
        return value;
    }

    List<String> elementTexts() {
        space();
        if (!peek('[')) {
            throw expected("'['");
        }
        List<Object> elements = array(true);
        end();
        return elements.stream().map(String.class::cast).toList();
    }

    private void end() {
        space();
        if (at < text.length()) {
            throw expected("the end of the text");
        }
    }

    private Object value() {
        space();
        if (at >= text.length()) {
            throw expected("a value");
        }
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object();
            case '[' -> array(false);
            case '"' -> string();
            case 't' -> word("true", Boolean.TRUE);
            case 'f' -> word("false", Boolean.FALSE);
            case 'n' -> word("null", null);
            default -> {
                if (c == '-' || isDigit(c)) {
                    yield number();
                }
                throw expected("a value");
            }
        };
    }

    private Object object() {
        int start = at;
        at++;
        Map<String, Object> members = new LinkedHashMap<>();
        if (!next('}')) {
            do {
                space();
                int name = at;
                if (!peek('"')) {
                    throw expected("a name in quotes");
                }
                String key = string();
                if (members.containsKey(key)) {
                    at = name;
                    throw expected("a name not yet in this object");
                }
                if (!next(':')) {
                    throw expected("':'");
                }
                members.put(key, value());
            } while (next(','));
            if (!next('}')) {
                throw expected("',' or '}'");
            }
        }
        return members.size() == 1 && members.containsKey(Json.HEX) ? bytes(members.get(Json.HEX), start) : members;
    }

    private byte[] bytes(Object hex, int start) {
        if (hex instanceof String digits && digits.length() % 2 == 0
                && digits.chars().allMatch(c -> isHex((char) c))) {
            return HexFormat.of().parseHex(digits);
        }
        at = start;
        throw expected("{\"$hex\": an even number of hex digits}");
    }

    /** An array's elements, or with {@code asText} the text of each. */
    private List<Object> array(boolean asText) {
        at++;
        List<Object> items = new ArrayList<>();
        if (!next(']')) {
            do {
                space();
                int start = at;
                Object item = value();
                items.add(asText ? text.substring(start, at) : item);
            } while (next(','));
            if (!next(']')) {
                throw expected("',' or ']'");
            }
        }
        return items;
    }

    private String string() {
        at++;
        StringBuilder s = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw expected("'\"' to end the string");
            }
            char c = text.charAt(at);
            if (c == '"') {
                at++;
                return s.toString();
            }
            if (c < 0x20) {
                throw expected("an escape, not a control character, in a string");
            }
            at++;
            s.append(c == '\\' ? escape() : c);
        }
    }

    private char escape() {
        char e = at < text.length() ? text.charAt(at) : 0;
        at++;
        switch (e) {
            case '"', '\\', '/':
                return e;
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'u':
                for (int i = at; i < at + 4; i++) {
                    if (i >= text.length() || !isHex(text.charAt(i))) {
                        at = i;
                        throw expected("four hex digits after \\u");
                    }
                }
                at += 4;
                return (char) Integer.parseInt(text, at - 4, at, 16);
            default:
                at--;
                throw expected("one of \" \\ / b f n r t u after \\");
        }
    }

    private Object number() {
        int start = at;
        take('-');
        if (!take('0')) {
            digits();
        }
        boolean whole = true;
        if (take('.')) {
            whole = false;
            digits();
        }
        if (take('e') || take('E')) {
            whole = false;
            if (!take('+')) {
                take('-');
            }
            digits();
        }
        String number = text.substring(start, at);
        if (whole) {
            try {
                return Long.parseLong(number);
            } catch (NumberFormatException beyondLong) {
                return Double.parseDouble(number);
            }
        }
        return Double.parseDouble(number);
    }

    private void digits() {
        if (at >= text.length() || !isDigit(text.charAt(at))) {
            throw expected("a digit");
        }
        while (at < text.length() && isDigit(text.charAt(at))) {
            at++;
        }
    }

    private Object word(String word, Object value) {
        for (int i = 0; i < word.length(); i++, at++) {
            if (!peek(word.charAt(i))) {
                throw expected("'" + word + "'");
            }
        }
        return value;
    }

    /** Takes {@code c} when it comes after any spaces. */
    private boolean next(char c) {
        space();
        return take(c);
    }

    /** Takes {@code c} when it is the very next char. */
    private boolean take(char c) {
        if (peek(c)) {
            at++;
            return true;
        }
        return false;
    }

    private boolean peek(char c) {
        return at < text.length() && text.charAt(at) == c;
    }

    private void space() {
        while (at < text.length() && " \t\n\r".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Only ASCII: Character.digit would take other scripts' digits too. */
    private static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private Json.MalformedJson expected(String what) {
        return new Json.MalformedJson("expected " + what + ", found "
                + (at < text.length() ? "'" + text.charAt(at) + "'" : "the end of the text"), at);
    }
}
