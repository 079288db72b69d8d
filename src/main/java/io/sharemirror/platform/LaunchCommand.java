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
     * {@code <how this process was started> run --config <config as an absolute path>}, where how it was
     * started is: the installed native launcher when there is one; else this Java runtime with
     * {@code -jar <the ShareMirror jar>}; else, when running from class folders (an IDE, the tests), this
     * runtime with this class path and the main class.
     */
    public static LaunchCommand forAgent(Path config) {
        return forAgent(config, System::getProperty, codeSource());
    }

    /** {@link #forAgent(Path)} with system properties and the code source given, for tests; codeSource may be null. */
    static LaunchCommand forAgent(Path config, UnaryOperator<String> properties, Path codeSource) {
        List<String> command = new ArrayList<>();
        String launcher = properties.apply(JPACKAGE_APP_PATH);
        if (launcher != null && !launcher.isBlank()) {
            command.add(launcher);
        } else if (codeSource != null && codeSource.getFileName().toString().endsWith(".jar")) {
            command.addAll(List.of(java(properties), "-jar", codeSource.toString()));
        } else {
            command.addAll(List.of(java(properties), "-cp", properties.apply("java.class.path"), MAIN_CLASS));
        }
        command.addAll(List.of("run", "--config", config.toAbsolutePath().normalize().toString()));
        return new LaunchCommand(command);
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
