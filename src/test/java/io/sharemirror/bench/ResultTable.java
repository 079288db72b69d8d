package io.sharemirror.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/** The rows of one run, printed as a Markdown table and written with the run's settings and machine. */
final class ResultTable {

    static final String MARKDOWN = "benchmarks.md";
    static final String TSV = "benchmarks.tsv";

    private final List<Row> rows = new ArrayList<>();

    void add(Row row) {
        rows.add(row);
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| # | what | ShareMirror | compared with | ratio | share operations | target | result |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            out.append("| ").append(String.join(" | ", r.id, r.what, r.shareMirror, r.compared, r.ratio, r.shareOps,
                    r.target, r.verdict.name().toLowerCase())).append(" |\n");
        }
        StringBuilder notes = new StringBuilder();
        for (Row r : rows) {
            if (!r.note.isEmpty()) {
                notes.append("- ").append(r.id).append(" ").append(r.what).append(": ").append(r.note).append('\n');
            }
        }
        return notes.isEmpty() ? out.toString() : out.append('\n').append(notes).toString();
    }

    /** Writes {@code benchmarks.md} (header, table, notes) and {@code benchmarks.tsv} (every value) into {@code dir}. */
    void write(Path dir, String header) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MARKDOWN), header + "\n" + markdown(), StandardCharsets.UTF_8);
        StringBuilder tsv = new StringBuilder();
        for (Row r : rows) {
            StringJoiner line = new StringJoiner("\t");
            line.add(r.id).add(r.what).add(r.verdict.name().toLowerCase());
            r.values.forEach((k, v) -> line.add(k + "=" + v));
            tsv.append(line).append('\n');
        }
        Files.writeString(dir.resolve(TSV), tsv.toString(), StandardCharsets.UTF_8);
    }
}
