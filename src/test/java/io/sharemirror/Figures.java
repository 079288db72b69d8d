package io.sharemirror;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The figures a reliability test publishes (RELIABILITY.md): how many runs, faults injected, writes checked, writes
 * lost, and whatever else the test counts. Printed as one line and appended to {@code target/reliability-figures.tsv},
 * so a whole run's figures can be read off one file. A test publishes them before it asserts, so a failing run shows
 * its figures too.
 */
public final class Figures {

    /** Where the figures of this build's test runs collect; surefire runs tests from the project folder. */
    static final Path FILE = Path.of("target", "reliability-figures.tsv");

    private final String test;
    private final Map<String, Object> values = new LinkedHashMap<>();

    private Figures(String test) {
        this.test = test;
    }

    /** Figures for the test named so a reader of RELIABILITY.md finds it: {@code "CrashRecoveryTest.killed..."}. */
    public static Figures of(String test) {
        return new Figures(test);
    }

    public Figures runs(long n) {
        return put("runs", n);
    }

    public Figures faults(long n) {
        return put("faults", n);
    }

    public Figures writesChecked(long n) {
        return put("writes_checked", n);
    }

    public Figures writesLost(long n) {
        return put("writes_lost", n);
    }

    /** Any other figure; names are lower_snake_case. */
    public Figures put(String name, Object value) {
        values.put(name, value);
        return this;
    }

    /** Prints the line and appends it to the figures file. */
    public void publish() {
        StringJoiner line = new StringJoiner("\t");
        line.add(test);
        values.forEach((k, v) -> line.add(k + "=" + v));
        System.out.println("figures: " + line);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + FILE, e);
        }
    }
}
