package io.sharemirror.platform;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Where {@code config.yaml} is: the one lookup order of the agent, every verb, the JDBC driver and start at login. The
 * first of these that is set wins: a path given explicitly ({@code --config}, or the driver URL's {@code config=}
 * option), the {@code sharemirror.config} system property, the {@code SHAREMIRROR_CONFIG} environment variable; else
 * this user's own file ({@link AppDirs#configFile()}).
 *
 * @param source how the file was chosen, for messages ("the SHAREMIRROR_CONFIG environment variable")
 * @param perUser true for this user's own file: the one the dashboard creates when it is missing (first start)
 */
public record ConfigLocation(Path file, String source, boolean perUser) {

    static final String PROPERTY = "sharemirror.config";
    static final String VARIABLE = "SHAREMIRROR_CONFIG";

    /** {@code explicit} when it is set, else the location from the environment. */
    public static ConfigLocation find(String explicit, String explicitSource) {
        return find(explicit, explicitSource, System::getProperty, System::getenv);
    }

    /** {@link #find(String, String)} with system properties and environment given, for tests. */
    static ConfigLocation find(String explicit, String explicitSource, UnaryOperator<String> properties,
                               UnaryOperator<String> environment) {
        if (present(explicit)) {
            return new ConfigLocation(Path.of(explicit), explicitSource, false);
        }
        String property = properties.apply(PROPERTY);
        if (present(property)) {
            return new ConfigLocation(Path.of(property), "the " + PROPERTY + " system property", false);
        }
        String variable = environment.apply(VARIABLE);
        if (present(variable)) {
            return new ConfigLocation(Path.of(variable), "the " + VARIABLE + " environment variable", false);
        }
        return new ConfigLocation(AppDirs.configFile(properties, environment), "this user's config file", true);
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
