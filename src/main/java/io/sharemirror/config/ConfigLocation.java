package io.sharemirror.config;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Where the JDBC driver finds {@code config.yaml}: the first of these that is set wins, a path given explicitly (the
 * URL's {@code config=} option), the {@code sharemirror.config} system property, the {@code SHAREMIRROR_CONFIG}
 * environment variable; else {@code config.yaml} in the current folder, where the agent looks without --config.
 *
 * @param source how the file was chosen, for messages ("the SHAREMIRROR_CONFIG environment variable")
 */
public record ConfigLocation(Path file, String source) {

    static final String PROPERTY = "sharemirror.config";
    static final String VARIABLE = "SHAREMIRROR_CONFIG";
    /** Where the agent looks when it is not told: config.yaml in the current folder. */
    public static final Path DEFAULT_FILE = Path.of("config.yaml");

    /** {@code explicit} when it is set, else the location from the environment. */
    public static ConfigLocation find(String explicit, String explicitSource) {
        return find(explicit, explicitSource, System::getProperty, System::getenv);
    }

    /** {@link #find(String, String)} with system properties and environment given, for tests. */
    static ConfigLocation find(String explicit, String explicitSource, UnaryOperator<String> properties,
                               UnaryOperator<String> environment) {
        if (present(explicit)) {
            return new ConfigLocation(Path.of(explicit), explicitSource);
        }
        String property = properties.apply(PROPERTY);
        if (present(property)) {
            return new ConfigLocation(Path.of(property), "the " + PROPERTY + " system property");
        }
        String variable = environment.apply(VARIABLE);
        if (present(variable)) {
            return new ConfigLocation(Path.of(variable), "the " + VARIABLE + " environment variable");
        }
        return new ConfigLocation(DEFAULT_FILE, "the default, config.yaml in the current folder");
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
