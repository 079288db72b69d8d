package io.sharemirror.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The archive's rows as lines for people. */
class JsonLinesTest {

    @Test
    void eachKindOfValueIsSpelledForPeople() {
        assertEquals(List.of("id = 1", "name = \"Caf\u00e9\"", "raw = text of 4 bytes that are not UTF-8, CAST(X'436166e9' AS TEXT)",
                        "data = BLOB of 2 bytes, x'00ff'", "n = 1.5", "gone = null"),
                JsonLines.of("{\"id\":1,\"name\":\"Caf\u00e9\",\"raw\":{\"$text\":\"436166E9\"},\"data\":{\"$hex\":\"00ff\"},"
                        + "\"n\":1.5,\"gone\":null}"));
    }

    @Test
    void marksTheColumnsInConflictAndShowsWhatIsNoRowAsItIs() {
        assertEquals(List.of("  id = 1", "» v = \"x\""), JsonLines.of("{\"id\":1,\"v\":\"x\"}", List.of("v")));
        assertEquals(List.of("[1,2]"), JsonLines.of("[1,2]"));
        assertEquals(List.of("{not json"), JsonLines.of("{not json"));
        assertEquals(List.of("(the row was deleted)"), JsonLines.of(null));
    }
}
