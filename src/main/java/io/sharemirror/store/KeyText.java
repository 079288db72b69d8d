package io.sharemirror.store;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A row's key text ({@code Key.pk}) out of and into SQL, the one place that knows it may hold bytes that are not
 * UTF-8. SQLite's json_array copies a TEXT key's bytes into the key as they are (a legacy program's 'Café' in Latin-1),
 * and sqlite-jdbc would decode each bad byte as U+FFFD, so such a key would no longer find its row and X'80' and X'81'
 * would be one key. So each byte that is not part of valid UTF-8 is read as the lone surrogate U+DC00 + byte, which
 * decoded UTF-8 never holds, and written back as that byte; valid UTF-8 reads exactly as before, so keys already in
 * hubs' logs and replicas' queues stay valid. Every SQL parameter that takes a key is {@link #PARAMETER} (or
 * {@link #parameter(int)}), bound by {@link #bind}.
 */
final class KeyText {

    /** A key parameter: the bytes {@link #bind} binds for a key that is not UTF-8 become TEXT again. */
    static final String PARAMETER = "CAST(? AS TEXT)";

    private static final char ESCAPE = '\uDC00';

    private KeyText() {
    }

    /** {@link #PARAMETER} as the numbered parameter {@code ?n}. */
    static String parameter(int n) {
        return "CAST(?" + n + " AS TEXT)";
    }

    /** The key text in {@code column}, null for NULL. */
    static String read(ResultSet r, int column) throws SQLException {
        String text = r.getString(column);
        byte[] raw = text == null ? null : RowValues.notUtf8(r, column, text);
        return raw == null ? text : decode(raw);
    }

    /** Binds a key to a {@link #PARAMETER}. */
    static void bind(PreparedStatement s, int parameter, String pk) throws SQLException {
        s.setObject(parameter, value(pk));
    }

    /** What a {@link #PARAMETER} takes for a key: its text, or its bytes when it holds bytes that are not UTF-8. */
    static Object value(String pk) {
        return pk != null && escapes(pk) ? encode(pk) : pk;
    }

    /** UTF-8 as UTF-8, every other byte as its escape. */
    static String decode(byte[] bytes) {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // never more chars than bytes, escapes included
        for (CoderResult result = utf8.decode(in, out, true); result.isError(); result = utf8.decode(in, out, true)) {
            for (int i = 0; i < result.length(); i++) {
                out.put((char) (ESCAPE | (in.get() & 0xFF)));
            }
        }
        return out.flip().toString();
    }

    /** The bytes {@link #decode} read. */
    static byte[] encode(String pk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(pk.length() + 8);
        int start = 0;
        for (int i = 0; i < pk.length(); i++) {
            if (isEscape(pk, i)) {
                out.writeBytes(pk.substring(start, i).getBytes(StandardCharsets.UTF_8));
                out.write(pk.charAt(i) & 0xFF);
                start = i + 1;
            }
        }
        out.writeBytes(pk.substring(start).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static boolean escapes(String pk) {
        for (int i = 0; i < pk.length(); i++) {
            if (isEscape(pk, i)) {
                return true;
            }
        }
        return false;
    }

    /** A low surrogate in the escapes' range that is not the second half of a pair (a valid character). */
    private static boolean isEscape(String pk, int i) {
        char c = pk.charAt(i);
        return c >= ESCAPE && c <= (ESCAPE | 0xFF) && (i == 0 || !Character.isHighSurrogate(pk.charAt(i - 1)));
    }
}
