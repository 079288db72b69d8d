package io.sharemirror.json;

import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The project's one JSON codec: the conflict archive's rows, the column lists of the queues, {@code status --json}.
 * Both directions map the same values, so what {@link #write} writes {@link #read} gives back equal:
 *
 * <table>
 * <caption>Values</caption>
 * <tr><th>JSON</th><th>written from</th><th>read as</th></tr>
 * <tr><td>{@code null}</td><td>null</td><td>null</td></tr>
 * <tr><td>{@code true}, {@code false}</td><td>Boolean</td><td>Boolean</td></tr>
 * <tr><td>a number without fraction or exponent</td><td>Long, Integer</td><td>Long; beyond a long, Double (as SQLite
 *     reads it)</td></tr>
 * <tr><td>any other number</td><td>Double, as {@link Double#toString}; NaN and the infinities have no JSON number
 *     and are written {@code null}</td><td>Double ({@code 9e999}, SQLite's infinity, reads as infinity)</td></tr>
 * <tr><td>a string</td><td>String: {@code "} and {@code \} escaped, {@code \n \r \t}, every other control
 *     character as {@code \}{@code u00xx}; the rest, non-BMP too, as is</td><td>String, every JSON escape
 *     decoded</td></tr>
 * <tr><td>{@code {"$hex": "00ff"}}</td><td>byte[] (lower case)</td><td>byte[] (either case: SQLite's {@code hex()}
 *     writes upper)</td></tr>
 * <tr><td>an object</td><td>Map with String keys, in its order</td><td>LinkedHashMap in the text's order</td></tr>
 * <tr><td>an array</td><td>any Collection, in its order</td><td>List</td></tr>
 * </table>
 *
 * <p>Anything else is refused with an IllegalArgumentException, so is a map whose one key is {@code $hex} (it would
 * read back as bytes). The reader takes exactly the JSON grammar (RFC 8259) with one more rule: an object whose only
 * member is {@code $hex} must hold hex digits. Malformed text, and a name repeated in one object, throw a
 * {@link MalformedJson} naming the position and what was expected there.
 *
 * <p>This class writes; {@code JsonReader}, behind {@link #read}, reads.
 */
public final class Json {

    /** The one name of the object that stands for bytes. */
    static final String HEX = "$hex";
    private static final HexFormat HEX_DIGITS = HexFormat.of();

    private final StringBuilder out = new StringBuilder();
    private final String comma;
    private final String colon;
    private final int levelsOnLines;

    private Json(String comma, String colon, int levelsOnLines) {
        this.comma = comma;
        this.colon = colon;
        this.levelsOnLines = levelsOnLines;
    }

    /** Compact, as stored: {@code {"a":1,"b":[2,"x"]}}. */
    public static String write(Object value) {
        Json json = new Json(",", ":", 0);
        json.value(value, 0);
        return json.out.toString();
    }

    /**
     * For people and scripts: {@code ", "} and {@code ": "} between items, and the objects and arrays of the outer
     * {@code levelsOnLines} levels one item a line, indented two spaces a level.
     */
    public static String writeIndented(Object value, int levelsOnLines) {
        Json json = new Json(", ", ": ", levelsOnLines);
        json.value(value, 0);
        return json.out.toString();
    }

    /** The value of a JSON text, typed as the class comment says. */
    public static Object read(String text) {
        return new JsonReader(text).document();
    }

    /**
     * The elements of a JSON array each as the text spells it, to change one without respelling the others (a key's
     * text is compared as text, and SQLite spells reals and escapes otherwise than {@link #write}).
     */
    public static List<String> elementTexts(String array) {
        return new JsonReader(array).elementTexts();
    }

    /** A JSON array of strings, such as a column list. */
    public static List<String> readStrings(String text) {
        Object value = read(text);
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return list.stream().map(String.class::cast).toList();
        }
        throw new MalformedJson("expected an array of strings, found " + text, 0);
    }

    /** Text that is not JSON, or not the JSON wanted. */
    public static final class MalformedJson extends IllegalArgumentException {
        private final int position;

        MalformedJson(String what, int position) {
            super("malformed JSON at position " + position + ": " + what);
            this.position = position;
        }

        /** Where in the text, counted in chars from 0. */
        public int position() {
            return position;
        }
    }

    private void value(Object v, int depth) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof Boolean || v instanceof Long || v instanceof Integer) {
            out.append(v);
        } else if (v instanceof Double d) {
            out.append(d.isNaN() || d.isInfinite() ? "null" : d.toString());
        } else if (v instanceof String s) {
            string(s);
        } else if (v instanceof byte[] b) {
            out.append('{');
            string(HEX);
            out.append(colon);
            string(HEX_DIGITS.formatHex(b));
            out.append('}');
        } else if (v instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.containsKey(HEX)) {
                throw new IllegalArgumentException("a map of the one key $hex would read back as bytes: " + map);
            }
            items('{', map.entrySet(), '}', depth, e -> {
                if (!(e.getKey() instanceof String name)) {
                    throw new IllegalArgumentException("a JSON object's names are strings, not " + e.getKey());
                }
                string(name);
                out.append(colon);
                value(e.getValue(), depth + 1);
            });
        } else if (v instanceof Collection<?> list) {
            items('[', list, ']', depth, item -> value(item, depth + 1));
        } else {
            throw new IllegalArgumentException("no JSON for a " + v.getClass().getName() + ": " + v);
        }
    }

    private <T> void items(char open, Collection<T> items, char close, int depth, Consumer<T> item) {
        boolean onLines = depth < levelsOnLines && !items.isEmpty();
        String first = onLines ? "\n" + "  ".repeat(depth + 1) : "";
        String between = onLines ? "," + first : comma;
        out.append(open);
        String before = first;
        for (T x : items) {
            out.append(before);
            before = between;
            item.accept(x);
        }
        out.append(onLines ? "\n" + "  ".repeat(depth) : "").append(close);
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX_DIGITS.toHexDigits((byte) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
