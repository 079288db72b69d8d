package io.sharemirror.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.config.ConfigException.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each setting of {@link DatabaseSettings#SHARED} reads the same in the {@code database:} block and in an entry. */
class DatabaseSettingsTest {

    /** For each shared key: a value that is not the default, and a wrong one. */
    private static final Map<String, List<String>> SAMPLES = Map.of(
            "sync_interval", List.of("45", "0"),
            "enable_cache", List.of("true", "yes"),
            "conflict", List.of("hub-wins", "newest-win"),
            "merge", List.of("column", "cell"),
            "per_table", List.of("{stock: {conflict: hub-wins}, Item: {merge: column}}", "{_sm_log: {merge: row}}"),
            "mode", List.of("read-only", "[read-only]"));

    @TempDir
    Path dir;

    private String cacheLine;

    @BeforeEach
    void setUp() throws IOException {
        cacheLine = "  cache_directory: " + Files.createDirectory(dir.resolve("cache")) + "\n";
    }

    static Stream<String> sharedKeys() {
        return Setting.keys(DatabaseSettings.SHARED).stream();
    }

    @Test
    void everySharedSettingHasSamples() {
        assertEquals(SAMPLES.keySet(), Set.copyOf(Setting.keys(DatabaseSettings.SHARED)));
    }

    @ParameterizedTest
    @MethodSource("sharedKeys")
    void aValueMeansTheSameInTheBlockInAnEntryAndInheritedByOne(String key) throws Exception {
        String value = SAMPLES.get(key).get(0);
        DatabaseConfig inBlock = database("database:\n" + cacheLine + "  path: /srv/x.db\n  " + key + ": " + value
                + "\n");
        DatabaseConfig inEntry = database("database:\n" + cacheLine + "databases:\n  - name: x\n    path: /srv/x.db\n"
                + "    " + key + ": " + value + "\n");
        DatabaseConfig inherited = database("database:\n" + cacheLine + "  " + key + ": " + value + "\n"
                + "databases:\n  - name: x\n    path: /srv/x.db\n");
        DatabaseConfig unset = database("database:\n" + cacheLine + "databases:\n  - name: x\n    path: /srv/x.db\n");

        assertNotEquals(unset, inBlock, "the sample of " + key + " is its default: it proves nothing");
        assertEquals(inBlock, inEntry);
        assertEquals(inBlock, inherited);
    }

    @ParameterizedTest
    @MethodSource("sharedKeys")
    void aWrongValueIsReportedAlikeInTheBlockAndInAnEntry(String key) {
        String wrong = SAMPLES.get(key).get(1);
        List<Problem> inBlock = problems("database:\n" + cacheLine + "  path: /srv/x.db\n  " + key + ": " + wrong
                + "\n");
        List<Problem> inEntry = problems("database:\n" + cacheLine + "databases:\n  - name: x\n    path: /srv/x.db\n"
                + "    " + key + ": " + wrong + "\n");

        assertEquals(1, inBlock.size(), inBlock::toString);
        assertEquals(1, inEntry.size(), inEntry::toString);
        assertTrue(inBlock.get(0).yamlPath().startsWith("database." + key), inBlock.get(0)::render);
        assertEquals(inBlock.get(0).yamlPath().replaceFirst("^database\\.", "databases[0]."),
                inEntry.get(0).yamlPath());
        assertEquals(inBlock.get(0).message(), inEntry.get(0).message());
    }

    private DatabaseConfig database(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, dir.resolve("config.yaml")).database("x").orElseThrow();
    }

    private List<Problem> problems(String yaml) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, dir.resolve("config.yaml")))
                .problems();
    }
}
