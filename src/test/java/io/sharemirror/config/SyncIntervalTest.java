package io.sharemirror.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SyncIntervalTest {

    @ParameterizedTest
    @CsvSource({"45, 45", "45s, 45", " 45 sec ,45", "5m, 300", "5 min, 300", "2 h, 7200", "1 hours, 3600",
            "24h, 86400", "1, 1"})
    void readsSecondsAndUnits(String text, long seconds) {
        assertEquals(Duration.ofSeconds(seconds), SyncInterval.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "abc", "-5", "1.5", "0", "25h", "86401", "5 days", "10 s 5"})
    void rejectsWithAMessageSayingWhatIsAllowed(String text) {
        var e = assertThrows(IllegalArgumentException.class, () -> SyncInterval.parse(text));
        assertTrue(e.getMessage().contains("from 1 s to 24 h"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"45, 45 s", "300, 5 min", "7200, 2 h", "90, 90 s"})
    void formatsWhatItReadsBack(long seconds, String text) {
        assertEquals(text, SyncInterval.format(Duration.ofSeconds(seconds)));
        assertEquals(Duration.ofSeconds(seconds), SyncInterval.parse(text));
    }
}
