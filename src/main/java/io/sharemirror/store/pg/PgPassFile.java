package io.sharemirror.store.pg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * libpq's password file, read the way libpq reads it: {@code PGPASSFILE}, else {@code ~/.pgpass}
 * ({@code %APPDATA%\postgresql\pgpass.conf} on Windows); lines {@code host:port:database:user:password}, the first
 * that matches wins, {@code *} matches anything, {@code \:} and {@code \\} are a colon and a backslash, {@code #}
 * starts a comment.
 *
 * <p>ShareMirror reads it itself, although the JDBC driver can too, because the driver reads only this process's own
 * environment: the connector's environment is a parameter ({@link PgConnector}), and one lookup serves both the
 * connection and the hint after a refusal. Unlike libpq, a file that others may read is used all the same: the driver,
 * which looks in the same places whenever no password is given, uses it, and two rules would only confuse.
 *
 * @param path where the file is looked for, whether or not it exists
 */
record PgPassFile(Path path) {

    /** A matching line: the password and the line number, for a hint that names the line. */
    record Entry(String password, int line) {
    }

    /** The file {@code environment} names, as libpq chooses it. */
    static PgPassFile of(Map<String, String> environment, Path home, boolean windows) {
        String named = environment.get("PGPASSFILE");
        if (named != null && !named.isEmpty()) {
            return new PgPassFile(Path.of(named));
        }
        String appData = environment.get("APPDATA");
        return new PgPassFile(windows && appData != null ? Path.of(appData, "postgresql", "pgpass.conf")
                : home.resolve(".pgpass"));
    }

    /** The first line for this login, if the file exists and has one. */
    Optional<Entry> find(String host, int port, String database, String user) {
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty(); // unreadable: the hint after a refusal names the file
        }
        String[] wanted = {host, Integer.toString(port), database, user};
        for (int i = 0; i < lines.size(); i++) {
            List<String> fields = fields(lines.get(i));
            if (fields.size() == 5 && matches(fields, wanted)) {
                return Optional.of(new Entry(fields.get(4), i + 1));
            }
        }
        return Optional.empty();
    }

    private static boolean matches(List<String> fields, String[] wanted) {
        for (int f = 0; f < wanted.length; f++) {
            if (!fields.get(f).equals("*") && !fields.get(f).equals(wanted[f])) {
                return false;
            }
        }
        return true;
    }

    /** The line's fields, unescaped; the fifth holds the rest of the line. Empty for a comment or a blank line. */
    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        if (line.isBlank() || line.startsWith("#")) {
            return out;
        }
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                field.append(line.charAt(++i));
            } else if (c == ':' && out.size() < 4) {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        out.add(field.toString());
        return out;
    }
}
