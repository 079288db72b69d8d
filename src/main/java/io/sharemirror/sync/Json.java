package io.sharemirror.sync;

import java.util.HexFormat;

/** Writes the few JSON shapes the conflict archive stores (and {@code status --json} prints). */
public final class Json {

    private Json() {
    }

    public static void value(StringBuilder out, Object v) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof Long || v instanceof Integer || v instanceof Boolean) {
            out.append(v);
        } else if (v instanceof Double d) {
            out.append(d.isNaN() || d.isInfinite() ? "null" : d.toString());
        } else if (v instanceof byte[] b) {
            out.append("{\"$hex\":\"").append(HexFormat.of().formatHex(b)).append("\"}");
        } else {
            string(out, v.toString());
        }
    }

    public static void string(StringBuilder out, String s) {
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
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
