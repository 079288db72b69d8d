package io.sharemirror.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the benchmark from rotting: the whole harness once at tiny sizes, on the shaded jar, checking that every row
 * B1..B11 comes out (B11 at its smallest size, 5 desktops on each hub) with sane numbers and that the table and its file are written. It asserts no timing: CI's numbers
 * say nothing about speed.
 */
class BenchmarkSmokeIT {

    @TempDir
    Path work;

    @Test
    void everyFigureIsMeasuredAndTheTableWritten() throws Exception {
        Path output = work.resolve("out");
        ResultTable table = Benchmark.run(BenchSettings.tiny(output), work.resolve("run"), Benchmark.jar());
        List<String> ids = table.rows().stream().map(r -> r.id).distinct().toList();
        assertEquals(List.of("B1", "B10", "B11", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9"), ids.stream().sorted().toList());
        for (Row row : table.rows()) {
            assertFalse(row.values.isEmpty(), row.id + " " + row.what + " has no values");
            row.values.forEach((name, v) -> assertTrue(Double.isFinite(v) && v >= 0,
                    row.id + " " + row.what + ": " + name + " = " + v));
            assertTrue(row.values.entrySet().stream().anyMatch(e -> e.getKey().endsWith("_ms") && e.getValue() > 0),
                    row.id + " " + row.what + " has no positive time: " + row.values);
            assertFalse(row.shareMirror.isEmpty() || row.target.isEmpty(), row.id + " " + row.what + " is incomplete");
        }
        String written = Files.readString(output.resolve(ResultTable.MARKDOWN));
        for (String id : ids) {
            assertTrue(written.contains("| " + id + " |"), id + " missing from the written table");
        }
        assertTrue(written.contains("SQLite 3."), "the header names the SQLite version");
        assertEquals(table.rows().size(), Files.readAllLines(output.resolve(ResultTable.TSV)).size());
    }
}
