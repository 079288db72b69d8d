package io.sharemirror.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the codec writes it reads back equal, SQLite's JSON reads as SQLite means it, and bad text is named. */
class JsonTest {

    @Test
    void everyValueTypeComesBackEqual() {
        List<Object> values = Arrays.asList(null, true, false, 0L, -7L, Long.MIN_VALUE, Long.MAX_VALUE, 0.1, -0.0,
                1.5e300, Double.MIN_VALUE, 1e20, -2.5e-7, "", "plain", List.of(), List.of(1L, "x"), Map.of());
        for (Object v : values) {
            assertEquals(v, Json.read(Json.write(v)), Json.write(v));
        }
        assertEquals(42L, Json.read(Json.write(42)), "an Integer reads back as a Long");
    }

    @Test
    void numbersBeyondALongReadAsDoublesAndNaNAndInfinityAreWrittenNull() {
        assertEquals(1e19, Json.read("10000000000000000000"));
        assertEquals("[null,null,null]", Json.write(List.of(Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY)));
        assertEquals(Double.POSITIVE_INFINITY, Json.read("9e999"), "SQLite's infinity");
        assertEquals(1.0E20, Json.read("1.0e+20"));
        assertEquals(-0.0, Json.read("-0.0"));
    }

    @Test
    void stringsEscapeQuotesBackslashesAndControlCharsAndKeepTheRest() {
        assertEquals("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001\\u001f\u007f é 表 🙂\"",
                Json.write("a\"b\\c\nd\re\tf\u0001\u001f\u007f é 表 🙂"));
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            every.append(c);
        }
        every.append("🙂\u2028\uffff");
        assertEquals(every.toString(), Json.read(Json.write(every.toString())));
        assertEquals("\b\f/\"\\🙂é", Json.read("\"\\b\\f\\/\\\"\\\\\\ud83d\\ude42\\u00E9\""));
    }

    @Test
    void bytesAreHexObjectsReadInEitherCase() {
        byte[] bytes = {0, 1, (byte) 0xab, (byte) 0xff};
        assertEquals("{\"$hex\":\"0001abff\"}", Json.write(bytes));
        assertArrayEquals(bytes, (byte[]) Json.read(Json.write(bytes)));
        assertArrayEquals(bytes, (byte[]) Json.read("{ \"$hex\" : \"0001ABFF\" }"));
        assertArrayEquals(new byte[0], (byte[]) Json.read("{\"$hex\":\"\"}"));
        assertEquals(Map.of("$hex", "00", "other", 1L), Json.read("{\"$hex\":\"00\",\"other\":1}"),
                "with another member it is an object");
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of("$hex", "00")),
                "a map that would read back as bytes");
    }

    @Test
    void objectsAndArraysNestInTheirOrder() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("z", 1L);
        row.put("a", null);
        row.put("blob", new byte[] {0x0f});
        row.put("list", List.of(List.of(), Map.of("k", "v"), 2.5));
        String text = Json.write(row);
        assertEquals("{\"z\":1,\"a\":null,\"blob\":{\"$hex\":\"0f\"},\"list\":[[],{\"k\":\"v\"},2.5]}", text);
        Map<?, ?> back = (Map<?, ?>) Json.read(" \n\t{ \"z\" : 1 , \"a\":null,\"blob\":{\"$hex\":\"0f\"},\r\n"
                + " \"list\" : [ [ ] , { \"k\" : \"v\" } , 2.5 ] } ");
        assertEquals(List.of("z", "a", "blob", "list"), new ArrayList<>(back.keySet()));
        assertArrayEquals(new byte[] {0x0f}, (byte[]) back.get("blob"));
        assertEquals(row.get("list"), back.get("list"));
        assertEquals(text, Json.write(back));
    }

    @Test
    void indentedPutsTheOuterLevelsOnLines() {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("name", "x");
        top.put("items", List.of(Map.of("a", 1L), Map.of("b", List.of(2L, 3L))));
        top.put("none", List.of());
        assertEquals("{\n  \"name\": \"x\",\n  \"items\": [\n    {\"a\": 1},\n    {\"b\": [2, 3]}\n  ],\n"
                + "  \"none\": []\n}", Json.writeIndented(top, 2));
        assertEquals("{\"name\": \"x\", \"items\": [{\"a\": 1}, {\"b\": [2, 3]}], \"none\": []}",
                Json.writeIndented(top, 0));
    }

    @Test
    void whatSqliteWritesReadsAsSqliteMeansIt() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT json_object('i', 42, 'r', 1.5, 'e', 1e20, 'n', NULL,"
                     + " 't', 'q\"' || char(10, 1, 92) || '🙂', 'b', json_object('$hex', hex(x'00ff'))),"
                     + " json_array(-9223372036854775808, 0.1, 'a')")) {
            r.next();
            Map<?, ?> row = (Map<?, ?>) Json.read(r.getString(1));
            assertEquals(42L, row.get("i"));
            assertEquals(1.5, row.get("r"));
            assertEquals(1e20, row.get("e"));
            assertTrue(row.containsKey("n") && row.get("n") == null);
            assertEquals("q\"\n\u0001\\🙂", row.get("t"));
            assertArrayEquals(new byte[] {0, (byte) 0xff}, (byte[]) row.get("b"));
            assertEquals(List.of(Long.MIN_VALUE, 0.1, "a"), Json.read(r.getString(2)));
        }
    }

    @Test
    void malformedTextNamesThePositionAndWhatWasExpected() {
        malformed("", 0, "expected a value, found the end of the text");
        malformed("{\"a\" 1}", 5, "expected ':', found '1'");
        malformed("{a:1}", 1, "expected a name in quotes");
        malformed("[1,]", 3, "expected a value, found ']'");
        malformed("[1 2]", 3, "expected ',' or ']'");
        malformed("{\"a\":1 \"b\":2}", 7, "expected ',' or '}'");
        malformed("\"abc", 4, "expected '\"' to end the string, found the end of the text");
        malformed("\"a\nb\"", 2, "expected an escape, not a control character");
        malformed("\"\\x\"", 2, "after \\");
        malformed("\"\\u12g4\"", 5, "expected four hex digits after \\u, found 'g'");
        malformed("\"\\u00٣٣\"", 5, "four hex digits");
        malformed("01", 1, "expected the end of the text, found '1'");
        malformed("-", 1, "expected a digit");
        malformed("1.", 2, "expected a digit");
        malformed("1e+", 3, "expected a digit");
        malformed("tru", 3, "expected 'true'");
        malformed("nul1", 3, "expected 'null'");
        malformed("NaN", 0, "expected a value, found 'N'");
        malformed("{\"a\":1,\"a\":2}", 7, "expected a name not yet in this object");
        malformed("[{\"$hex\":\"abc\"}]", 1, "expected {\"$hex\": an even number of hex digits}");
        malformed("{\"$hex\":12}", 0, "hex digits");
        malformed("{} x", 3, "expected the end of the text, found 'x'");
    }

    private static void malformed(String text, int position, String expected) {
        Json.MalformedJson e = assertThrows(Json.MalformedJson.class, () -> Json.read(text), text);
        assertEquals(position, e.position(), e.getMessage());
        assertTrue(e.getMessage().startsWith("malformed JSON at position " + position + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void stringArraysAreReadAsSuch() {
        assertEquals(List.of("a", "b c"), Json.readStrings("[\"a\", \"b c\"]"));
        assertEquals(List.of(), Json.readStrings("[]"));
        assertThrows(Json.MalformedJson.class, () -> Json.readStrings("[\"a\", 1]"));
        assertThrows(Json.MalformedJson.class, () -> Json.readStrings("{\"a\": \"b\"}"));
    }

    @Test
    void anArraysElementsCanBeHadAsTheTextSpellsThem() {
        assertEquals(List.of("1.0e+20", "\"a,\\\"]\"", "{\"$hex\":\"0F\"}", "[1,[2]]", "null"),
                Json.elementTexts("[1.0e+20,\"a,\\\"]\",{\"$hex\":\"0F\"},[1,[2]],null]"));
        assertEquals(List.of("1", "2"), Json.elementTexts(" [ 1 , 2 ] "));
        assertEquals(List.of(), Json.elementTexts("[]"));
        Json.MalformedJson notArray = assertThrows(Json.MalformedJson.class, () -> Json.elementTexts("{}"));
        assertTrue(notArray.getMessage().contains("expected '['"), notArray.getMessage());
        assertThrows(Json.MalformedJson.class, () -> Json.elementTexts("[1] 2"));
    }

    @Test
    void whatHasNoJsonIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, "one")));
        assertThrows(IllegalArgumentException.class, () -> Json.write(1.5f));
        assertNull(Json.read("null"));
    }
}
