package io.sharemirror.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.platform.AppDirs;
import io.sharemirror.store.Cluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Row values stay where the data is: on the share and in the cache folder (the replica, and the conflict archive in
 * state.db). No log line, log file, state or temporary file anywhere else holds one, whatever the row went through.
 */
class SecretsStayInTheCacheTest {

    @TempDir
    Path dir;

    @Test
    void noRowValueIsWrittenOutsideTheCacheFolder() throws Exception {
        String secret = "SECRET-" + UUID.randomUUID();
        Path share = Files.createDirectories(dir.resolve("share"));
        Cluster.run(share.resolve("app.db"), "CREATE TABLE note(k TEXT PRIMARY KEY, v TEXT UNIQUE)");
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "database:\n  cache_directory: cache\n  enable_cache: true\ndatabases:\n"
                + "  - name: app\n    path: share/app.db\n");
        Path logs = dir.resolve("logs");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<String> output;
        String clashed;
        try (JavaChild agent = JavaChild.start(Map.of(), List.of("-D" + AppDirs.LOG_DIR_PROPERTY + "=" + logs,
                "-D" + AppDirs.STATE_DIR_PROPERTY + "=" + dir.resolve("state"), "-Djava.io.tmpdir=" + tmp),
                SecretsChild.class, config.toString(), secret)) {
            clashed = agent.awaitLine("clashed: ", Duration.ofSeconds(120));
            agent.awaitLine("DONE", Duration.ofSeconds(60));
            assertEquals(0, agent.awaitExit(Duration.ofSeconds(30)));
            output = agent.output();
        }
        assertTrue(clashed.contains("outcome=SYNCED") && clashed.contains("conflicts=1"),
                "the clash was settled as a conflict: " + clashed);

        List<Path> holding = filesHolding(dir, secret);
        assertTrue(holding.contains(dir.resolve("cache").resolve("state.db")), "the scan finds the archive: " + holding);
        assertTrue(Files.list(logs).anyMatch(f -> f.toString().endsWith(".log")), "the agent logged");
        for (Path file : holding) {
            assertTrue(file.startsWith(share) || file.startsWith(dir.resolve("cache")), () -> file + " holds a row value: "
                    + linesHolding(file, secret));
        }
        for (String line : output) {
            assertTrue(!line.contains(secret), "a line the agent printed holds a row value: " + line);
        }
    }

    private static List<String> linesHolding(Path file, String text) {
        try {
            return Files.readAllLines(file, StandardCharsets.ISO_8859_1).stream().filter(l -> l.contains(text)).toList();
        } catch (IOException e) {
            return List.of(e.toString());
        }
    }

    /** Every file under {@code root} whose bytes contain {@code text}. */
    private static List<Path> filesHolding(Path root, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (indexOf(Files.readAllBytes(f), needle) >= 0) {
                    found.add(f);
                }
            }
        }
        return found;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
