package io.sharemirror.platform;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The command that starts this installation's agent again, for Start at Login.
 *
 * @param arguments the program, then its arguments; never empty
 */
public record LaunchCommand(List<String> arguments) {

    /** Set by jpackage's native launcher (JDK 16+) to the launcher's own path. */
    static final String JPACKAGE_APP_PATH = "jpackage.app-path";
    /** The entry point, named here as text because {@code platform} must not depend on {@code app}. */
    static final String MAIN_CLASS = "io.sharemirror.app.Main";

    public LaunchCommand {
        arguments = List.copyOf(arguments);
        if (arguments.isEmpty()) {
            throw new IllegalArgumentException("a launch command needs at least the program to start");
        }
    }

    /**
     * {@code <how this process was started> run}, with {@code --config <config as an absolute path>} unless the config
     * is this user's own file (found without being named, so moving it there later is followed too). How it was
     * started is: the installed native launcher when there is one; else this Java runtime with
     * {@code -jar <the ShareMirror jar>}; else, when running from class folders (an IDE, the tests), this
     * runtime with this class path and the main class.
     */
    public static LaunchCommand forAgent(ConfigLocation config) {
        return forAgent(config, System::getProperty, codeSource());
    }

    /** {@link #forAgent(ConfigLocation)} with system properties and the code source given, for tests; may be null. */
    static LaunchCommand forAgent(ConfigLocation config, UnaryOperator<String> properties, Path codeSource) {
        List<String> command = new ArrayList<>(program(properties, codeSource));
        command.add("run");
        if (!config.perUser()) {
            command.addAll(List.of("--config", config.file().toAbsolutePath().normalize().toString()));
        }
        return new LaunchCommand(command);
    }

    /**
     * A command line people can type to run {@code verb} with this installation, for hints and usage text: {@code
     * /opt/sharemirror/bin/ShareMirror status}, or {@code java -jar /home/me/sharemirror.jar status}.
     */
    public static String typed(String verb) {
        List<String> words = new ArrayList<>(program(System::getProperty, codeSource()));
        words.add(verb);
        return String.join(" ", words.stream().map(w -> w.contains(" ") ? "\"" + w + "\"" : w).toList());
    }

    private static List<String> program(UnaryOperator<String> properties, Path codeSource) {
        List<String> command = new ArrayList<>();
        String launcher = properties.apply(JPACKAGE_APP_PATH);
        if (launcher != null && !launcher.isBlank()) {
            command.add(launcher);
        } else if (codeSource != null && codeSource.getFileName().toString().endsWith(".jar")) {
            command.addAll(List.of(java(properties), "-jar", codeSource.toString()));
        } else {
            command.addAll(List.of(java(properties), "-cp", properties.apply("java.class.path"), MAIN_CLASS));
        }
        return command;
    }

    /** This runtime's launcher; on Windows javaw.exe, which opens no console window at login. */
    private static String java(UnaryOperator<String> properties) {
        String home = properties.apply("java.home");
        return Os.of(properties.apply("os.name")) == Os.WINDOWS
                ? home + "\\bin\\javaw.exe"
                : home + "/bin/java";
    }

    /** The jar or class folder this class was loaded from; null when the runtime does not say. */
    private static Path codeSource() {
        CodeSource source = LaunchCommand.class.getProtectionDomain().getCodeSource();
        try {
            return source == null ? null : Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
