package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyTextTest {

    /** As hex: Latin-1 'Café', lone 0x80 and 0x81, an overlong '/', an encoded surrogate, a cut-off 'é', bad then ok. */
    private static final List<String> NOT_UTF8 = List.of("436166E9", "80", "81", "C0AF", "EDB080", "41C3", "FF41C3A9");

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    @Test
    void validUtf8ReadsAsItsTextAndIsBoundAsText() {
        for (String text : List.of("[\"Café\"]", "[\"\uFFFD\"]", "[\"\uD83D\uDC80 \uDBFF\uDCFF\"]", "[1,\"a\"]")) {
            assertEquals(text, KeyText.decode(text.getBytes(StandardCharsets.UTF_8)));
            assertEquals(text, KeyText.value(text));
        }
    }

    @Test
    void bytesThatAreNotUtf8ComeBackExactlyAndStayApart() {
        for (String hex : NOT_UTF8) {
            String pk = KeyText.decode(bytes(hex));
            assertArrayEquals(bytes(hex), KeyText.encode(pk), hex);
            assertArrayEquals(bytes(hex), (byte[]) KeyText.value(pk), hex);
        }
        assertNotEquals(KeyText.decode(bytes("80")), KeyText.decode(bytes("81")));
        assertEquals("Caf\uDCE9", KeyText.decode(bytes("436166E9")));
    }

    /** Read from SQLite and bound back, the key still names its row, as hub and replica use it. */
    @Test
    void aKeyReadFromSqliteFindsItsRowAgain() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            c.createStatement().execute("CREATE TABLE k(name TEXT PRIMARY KEY)");
            c.createStatement().execute("INSERT INTO k VALUES (CAST(X'80' AS TEXT)), (CAST(X'81' AS TEXT)), ('\uFFFD')");
            try (ResultSet r = c.createStatement().executeQuery("SELECT json_array(name) FROM k ORDER BY name")) {
                while (r.next()) {
                    String pk = KeyText.read(r, 1);
                    try (PreparedStatement s = c.prepareStatement("SELECT count(*), hex(" + KeyText.PARAMETER
                            + ") FROM k WHERE " + Sql.matchesKey(List.of("name"), 2))) {
                        KeyText.bind(s, 1, pk);
                        KeyText.bind(s, 2, pk);
                        try (ResultSet found = s.executeQuery()) {
                            found.next();
                            assertEquals(1, found.getInt(1), pk);
                            assertArrayEquals(r.getBytes(1), bytes(found.getString(2)));
                        }
                    }
                }
            }
        }
    }
}
