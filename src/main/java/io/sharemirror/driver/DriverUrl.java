package io.sharemirror.driver;

import io.sharemirror.config.ConfigLoader;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A {@code jdbc:sharemirror:<share path>[?key=value&...]} URL, checked: the database's location, the {@code config=}
 * option, and the sqlite-jdbc options the application chose. Options come from the URL and from the connection
 * properties; the URL wins, as with {@code jdbc:sqlite:}.
 *
 * @param location the share path as config.yaml's {@code path} would resolve it (relative to the current folder)
 * @param config the {@code config=} option, or null
 * @param settings the sqlite-jdbc options to apply over ShareMirror's own connection settings
 */
record DriverUrl(String location, String config, Properties settings) {

    static final String PREFIX = "jdbc:sharemirror:";
    static final String CONFIG_OPTION = "config";

    /** A value an option accepts, and how to say so. */
    private record Rule(String expected, Predicate<String> accepts) {

        static Rule choice(String... values) {
            List<String> allowed = List.of(values);
            return new Rule("one of " + String.join(", ", allowed),
                    v -> allowed.contains(v.toUpperCase(Locale.ROOT)));
        }
    }

    private static final Pattern WHOLE = Pattern.compile("-?\\d{1,9}");
    private static final Rule BOOLEAN = new Rule("true or false",
            v -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false"));

    /**
     * The sqlite-jdbc options passed on: they change what the application sees of SQL and of JDBC, never the file,
     * its journal or its locking, which mirroring depends on.
     */
    private static final Map<String, Rule> PASSED = new LinkedHashMap<>();

    static {
        PASSED.put("busy_timeout", new Rule("milliseconds, a whole number from 0",
                v -> WHOLE.matcher(v).matches() && !v.startsWith("-")));
        PASSED.put("foreign_keys", BOOLEAN);
        PASSED.put("defer_foreign_keys", BOOLEAN);
        PASSED.put("case_sensitive_like", BOOLEAN);
        PASSED.put("cache_size", new Rule("a whole number (pages, or KiB when negative)",
                v -> WHOLE.matcher(v).matches()));
        PASSED.put("temp_store", Rule.choice("DEFAULT", "FILE", "MEMORY"));
        // IMMEDIATE and EXCLUSIVE re-take the write lock right after every commit while auto-commit is off, which
        // holds the lock for the connection's life: the agent could not sync, other desktops could not write. DEFERRED
        // is accepted for the applications that name it, and changes nothing: the connection makes its transactions
        // itself (store.AppConnection), IMMEDIATE from the first statement.
        PASSED.put("transaction_mode", new Rule("DEFERRED (IMMEDIATE and EXCLUSIVE would keep the write lock between"
                + " transactions; the driver's transactions take it at their first statement anyway)",
                v -> v.equalsIgnoreCase("DEFERRED")));
        PASSED.put("date_class", Rule.choice("INTEGER", "TEXT", "REAL"));
        PASSED.put("date_precision", Rule.choice("SECONDS", "MILLISECONDS"));
        PASSED.put("date_string_format", new Rule("a date pattern", v -> true));
        PASSED.put("jdbc.explicit_readonly", BOOLEAN);
        PASSED.put("jdbc.get_generated_keys", BOOLEAN);
    }

    private static final String CHANGES_THE_FILE =
            "it changes the database file, which must stay a copy of the share's";

    /** sqlite-jdbc options that would break mirroring, and why. */
    private static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("journal_mode", "ShareMirror sets it: WAL on the local replica, and never WAL on a share,"
                    + " where it does not work"),
            Map.entry("synchronous", "ShareMirror sets it for the replica; OFF could lose writes before they are"
                    + " pushed"),
            Map.entry("locking_mode", "EXCLUSIVE would lock the agent out of the replica and other desktops out of"
                    + " the share"),
            Map.entry("mmap_size", "memory-mapping a file on a network share is unsafe"),
            Map.entry("open_mode", "ShareMirror decides how the file is opened, and never creates a database on"
                    + " the share"),
            Map.entry("recursive_triggers", "it changes which triggers INSERT OR REPLACE fires, and so what the"
                    + " capture triggers record"),
            Map.entry("page_size", CHANGES_THE_FILE),
            Map.entry("encoding", CHANGES_THE_FILE),
            Map.entry("legacy_file_format", CHANGES_THE_FILE),
            Map.entry("application_id", CHANGES_THE_FILE),
            Map.entry("user_version", CHANGES_THE_FILE),
            Map.entry("enable_load_extension", "extensions are not loaded into connections to shared data"),
            Map.entry("shared_cache", "shared-cache mode is not supported"));

    /** DriverManager.getConnection(url, user, password) sends these; SQLite has no users, sqlite-jdbc ignores them. */
    private static final Set<String> IGNORED = Set.of("user", "password");

    static boolean accepts(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    /** Parses and checks {@code url}; every problem found is in the exception's message, one per line. */
    static DriverUrl parse(String url, Properties info) throws SQLException {
        String rest = url.substring(PREFIX.length());
        int question = rest.indexOf('?');
        String path = question < 0 ? rest : rest.substring(0, question);
        List<String> problems = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        if (info != null) {
            info.stringPropertyNames().forEach(k -> options.put(k, info.getProperty(k)));
        }
        if (question >= 0) {
            readQuery(rest.substring(question + 1), options, problems);
        }
        String location = location(path, problems);
        Properties settings = new Properties();
        String config = null;
        for (Map.Entry<String, String> o : options.entrySet()) {
            String key = o.getKey();
            String value = o.getValue();
            if (key.equals(CONFIG_OPTION)) {
                config = value;
                if (value.isBlank()) {
                    problems.add("option config has no value; expected the path of a config.yaml");
                }
            } else if (PASSED.containsKey(key)) {
                Rule rule = PASSED.get(key);
                if (rule.accepts().test(value.strip())) {
                    settings.setProperty(key, value.strip());
                } else {
                    problems.add("option " + key + "=" + value + " is not allowed; expected " + rule.expected());
                }
            } else if (REFUSED.containsKey(key)) {
                problems.add("option " + key + " is not allowed: " + REFUSED.get(key) + "; allowed: " + allowed());
            } else if (!IGNORED.contains(key)) {
                problems.add("unknown option " + key + ConfigLoader.didYouMean(key, names()) + "; allowed: "
                        + allowed());
            }
        }
        if (!problems.isEmpty()) {
            throw new SQLException(url + ":\n  " + String.join("\n  ", problems), "08001");
        }
        return new DriverUrl(location, config, settings);
    }

    /** Adds {@code key=value&...} to {@code options}, over what the connection properties said. */
    private static void readQuery(String query, Map<String, String> options, List<String> problems) {
        List<String> seen = new ArrayList<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            if (equals <= 0) {
                problems.add("option " + key + " has no value; write it as key=value, like busy_timeout=5000");
            } else if (seen.contains(key)) {
                problems.add("option " + key + " is given twice");
            } else {
                seen.add(key);
                options.put(key, pair.substring(equals + 1));
            }
        }
    }

    private static String location(String path, List<String> problems) {
        if (path.isBlank()) {
            problems.add("no database path; expected the database on the share, like"
                    + " jdbc:sharemirror://server/share/app.db or jdbc:sharemirror:/mnt/share/app.db");
            return null;
        }
        if (path.equals(":memory:") || path.startsWith("file:")) {
            problems.add(path + " is not a path to a database file; jdbc:sharemirror: needs the plain path of the"
                    + " database on the share (in-memory databases and file: URIs are for jdbc:sqlite:)");
            return null;
        }
        try {
            return ConfigLoader.resolve(path, Path.of("").toAbsolutePath());
        } catch (InvalidPathException e) {
            problems.add(path + " is not a valid path: " + e.getReason());
            return null;
        }
    }

    /** Every option name the URL may carry. */
    static List<String> names() {
        List<String> names = new ArrayList<>(PASSED.keySet());
        names.add(CONFIG_OPTION);
        return names;
    }

    private static String allowed() {
        return String.join(", ", names());
    }

    /** What each option expects, for {@link java.sql.Driver#getPropertyInfo}. */
    static Map<String, String> descriptions() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(CONFIG_OPTION, "the config.yaml to read (default: the sharemirror.config system property, then"
                + " SHAREMIRROR_CONFIG, then config.yaml in the current folder)");
        PASSED.forEach((k, rule) -> out.put(k, rule.expected()));
        return out;
    }
}
