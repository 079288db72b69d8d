package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Alongside HostileNamesFuzzTest, which sends hostile names through the whole sync: a scan of the main sources for
 * SQL quoted by hand. Every name and value that goes into SQL text is quoted by {@link Sql}; a quote character next
 * to a concatenation anywhere else ({@code "... '" + x}, {@code "\"" + name}) or a hand-made
 * escape ({@code replace("'", "''")}) is how one would slip through unquoted or half-quoted.
 */
class SqlQuotingScanTest {

    private static final Path MAIN = Path.of("src/main/java/io/sharemirror");
    /** A string literal that ends in a quote character and is followed by +, or one that starts with it after +. */
    private static final Pattern HAND_QUOTED = Pattern.compile(
            "('|\\\\\")\"\\s*\\+|\\+\\s*\"('|\\\\\")|\\.replace\\(\"(\\\\\"|')\"");

    @Test
    void noSqlIsQuotedByHandOutsideSql() throws IOException {
        List<String> found = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(MAIN.resolve("store"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("Sql.java")).toList()) {
                scanned++;
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (HAND_QUOTED.matcher(lines.get(i)).find()) {
                        found.add(MAIN.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertFalse(scanned < 10, "scanned only " + scanned + " files under " + MAIN.toAbsolutePath());
        assertEquals(List.of(), found);
    }

    /** Only the store builds SQL: no other package prepares or executes statements. */
    @Test
    void noOtherPackageRunsSql() throws IOException {
        Pattern runsSql = Pattern.compile("\\.(prepareStatement|createStatement|executeQuery|executeUpdate)\\(");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && !f.startsWith(MAIN.resolve("store")))
                    .toList()) {
                Matcher m = runsSql.matcher(Files.readString(file));
                if (m.find()) {
                    found.add(MAIN.relativize(file) + ": " + m.group());
                }
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void theScanCatchesHandQuoting() {
        for (String line : List.of("\"VALUES('\" + value + \"')\"", "\"FROM \\\"\" + table + \"\\\"\"",
                "name.replace(\"'\", \"''\")", "name.replace(\"\\\"\", \"\\\"\\\"\")")) {
            assertTrue(HAND_QUOTED.matcher(line).find(), line);
        }
        for (String line : List.of("\"FROM \" + Sql.ident(table) + \" WHERE\"", "\"VALUES(\" + Sql.literal(v) + \")\"",
                "new Key(table, \"[\" + to + \"]\")")) {
            assertFalse(HAND_QUOTED.matcher(line).find(), line);
        }
    }
}
