package io.sharemirror.config;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration file that cannot be used, with every problem found in it.
 *
 * <p>{@link #getMessage()} renders one line per problem, for example
 * {@code config.yaml:12: databases[1].sync_interval: "abc" is not a number; expected whole seconds from 1 to 86400}.
 */
public final class ConfigException extends Exception {

    /**
     * One thing wrong with the file.
     *
     * @param file the configuration file (only its name is shown)
     * @param line 1-based line, or 0 when the problem is not about one place in the file
     * @param yamlPath where in the document, like {@code databases[0].tables.include[2]}; empty for the whole file
     * @param message what is wrong and what is allowed
     */
    public record Problem(Path file, int line, String yamlPath, String message) {

        public Problem {
            yamlPath = yamlPath == null ? "" : yamlPath;
            message = message == null ? "" : message;
        }

        /** {@code config.yaml:12: databases[1].sync_interval: message}; line and path are left out when unknown. */
        public String render() {
            StringBuilder sb = new StringBuilder();
            Path name = file == null ? null : file.getFileName();
            sb.append(name == null ? "config" : name.toString());
            if (line > 0) {
                sb.append(':').append(line);
            }
            sb.append(": ");
            if (!yamlPath.isEmpty()) {
                sb.append(yamlPath).append(": ");
            }
            return sb.append(message).toString();
        }
    }

    private final List<Problem> problems;

    public ConfigException(List<Problem> problems) {
        super(render(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public ConfigException(Problem problem) {
        this(List.of(problem));
    }

    /** A problem with the file as a whole, at no line of it: missing, unreadable, empty. */
    static ConfigException wholeFile(Path file, String message) {
        return new ConfigException(new Problem(file, 0, "", message));
    }

    /** Every problem, in file order. */
    public List<Problem> problems() {
        return problems;
    }

    private static String render(List<Problem> problems) {
        return problems.stream().map(Problem::render).collect(Collectors.joining(System.lineSeparator()));
    }
}
