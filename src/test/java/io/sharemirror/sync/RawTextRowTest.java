package io.sharemirror.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Text that is not UTF-8 inside a row: compared by its bytes, spelled for people, kept by the JSON archive. */
class RawTextRowTest {

    private static final RawText CAFE = RawText.ofHex("436166E9");

    @Test
    void equalBytesAreEqualTextAndNothingElseIs() {
        Row row = new Row(List.of("id", "v"), List.of(1L, CAFE));
        assertTrue(row.sameValues(new Row(List.of("id", "v"), List.of(1L, new RawText(new byte[] {0x43, 0x61, 0x66, (byte) 0xe9})))));
        assertFalse(row.sameValues(new Row(List.of("id", "v"), List.of(1L, "Caf\uFFFD"))));
        assertFalse(row.sameValues(new Row(List.of("id", "v"), Arrays.asList(1L, (Object) CAFE.bytes()))), "a BLOB is not text");
        assertEquals(List.of("v"), row.differingColumns(new Row(List.of("id", "v"), List.of(1L, RawText.ofHex("80")))));
    }

    @Test
    void isSpelledAsTheSqlThatMakesIt() {
        assertEquals("CAST(X'436166e9' AS TEXT)", Row.literal(CAFE));
    }

    @Test
    void theArchiveKeepsTheBytesApartFromStringsAndBlobs() {
        Row row = new Row(List.of("raw", "text", "blob"), List.of(CAFE, "{\"$text\":\"80\"}", new byte[] {(byte) 0xe9}));
        String json = row.toJson();
        assertEquals("{\"raw\":{\"$text\":\"436166e9\"},\"text\":\"{\\\"$text\\\":\\\"80\\\"}\",\"blob\":{\"$hex\":\"e9\"}}", json);
        assertTrue(row.sameValues(Row.fromJson(json)));
        assertEquals(CAFE, Row.fromJson("{\"v\":{\"$text\":\"436166E9\"}}").value("v"), "SQLite's hex() writes upper case");
    }

    @Test
    void refusesOtherObjectsAndHexThatIsNotHex() {
        assertThrows(IllegalArgumentException.class, () -> Row.fromJson("{\"v\":{\"$text\":\"zz\"}}"));
        assertThrows(IllegalArgumentException.class, () -> Row.fromJson("{\"v\":{\"$text\":\"80\",\"x\":1}}"));
        assertThrows(IllegalArgumentException.class, () -> Row.fromJson("{\"v\":{\"$text\":1}}"));
    }
}
