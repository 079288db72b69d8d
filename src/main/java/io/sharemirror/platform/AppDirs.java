package io.sharemirror.platform;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.UnaryOperator;

/** Per-OS folders. */
public final class AppDirs {

    /** System property that overrides the log folder (used by tests). */
    public static final String LOG_DIR_PROPERTY = "sharemirror.logDir";
    /** System property that overrides the per-user state folder (used by tests). */
    public static final String STATE_DIR_PROPERTY = "sharemirror.stateDir";

    private AppDirs() {
    }

    /**
     * Where log files go: the {@code sharemirror.logDir} system property if set; else on Linux and
     * other Unixes {@code $XDG_STATE_HOME/sharemirror/logs} or {@code ~/.local/state/sharemirror/logs},
     * on macOS {@code ~/Library/Logs/ShareMirror}, on Windows {@code %LOCALAPPDATA%\ShareMirror\logs}.
     * The folder is not created.
     */
    public static Path logDirectory() {
        return logDirectory(System::getProperty, System::getenv);
    }

    /** {@link #logDirectory()} with system properties and environment given, for tests. */
    static Path logDirectory(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        String override = properties.apply(LOG_DIR_PROPERTY);
        if (present(override)) {
            return Path.of(override).toAbsolutePath().normalize();
        }
        if (Os.of(properties.apply("os.name")) == Os.MAC) {
            return home(properties).resolve("Library").resolve("Logs").resolve("ShareMirror");
        }
        return platformStateDirectory(properties, environment).resolve("logs");
    }

    /**
     * This user's state that is neither config nor cache: the single-instance lock and the running
     * instance's address. The {@code sharemirror.stateDir} system property if set; else on Linux and other
     * Unixes {@code $XDG_STATE_HOME/sharemirror} or {@code ~/.local/state/sharemirror}, on macOS
     * {@code ~/Library/Application Support/ShareMirror}, on Windows {@code %LOCALAPPDATA%\ShareMirror}.
     * The folder is not created (see {@link #ownerOnlyFolder(Path)}).
     */
    public static Path stateDirectory() {
        return stateDirectory(System::getProperty, System::getenv);
    }

    /** {@link #stateDirectory()} with system properties and environment given, for tests. */
    static Path stateDirectory(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        String override = properties.apply(STATE_DIR_PROPERTY);
        if (present(override)) {
            return Path.of(override).toAbsolutePath().normalize();
        }
        return platformStateDirectory(properties, environment);
    }

    /**
     * This user's config file, where every command looks when it is not told otherwise ({@link ConfigLocation}): on
     * Linux and other Unixes {@code $XDG_CONFIG_HOME/sharemirror/config.yaml} or
     * {@code ~/.config/sharemirror/config.yaml}, on macOS {@code ~/Library/Application Support/ShareMirror/config.yaml},
     * on Windows {@code %APPDATA%\ShareMirror\config.yaml}. Neither the file nor its folder is created.
     */
    public static Path configFile() {
        return configFile(System::getProperty, System::getenv);
    }

    /** {@link #configFile()} with system properties and environment given, for tests. */
    static Path configFile(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        Path home = home(properties);
        Path folder = switch (Os.of(properties.apply("os.name"))) {
            case WINDOWS -> {
                String roaming = environment.apply("APPDATA");
                Path base = present(roaming) ? Path.of(roaming) : home.resolve("AppData").resolve("Roaming");
                yield base.resolve("ShareMirror");
            }
            case MAC -> home.resolve("Library").resolve("Application Support").resolve("ShareMirror");
            case LINUX_OR_OTHER_UNIX -> xdgBase(environment, "XDG_CONFIG_HOME", home, ".config").resolve("sharemirror");
        };
        return folder.resolve("config.yaml");
    }

    private static Path platformStateDirectory(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        Path home = home(properties);
        return switch (Os.of(properties.apply("os.name"))) {
            case WINDOWS -> {
                String local = environment.apply("LOCALAPPDATA");
                Path base = present(local) ? Path.of(local) : home.resolve("AppData").resolve("Local");
                yield base.resolve("ShareMirror");
            }
            case MAC -> home.resolve("Library").resolve("Application Support").resolve("ShareMirror");
            case LINUX_OR_OTHER_UNIX -> xdgBase(environment, "XDG_STATE_HOME", home, ".local/state")
                    .resolve("sharemirror");
        };
    }

    /**
     * An XDG base directory: {@code $variable} if it is an absolute path, else {@code ~/fallback}
     * (the XDG spec says relative values are invalid and must be ignored).
     */
    static Path xdgBase(UnaryOperator<String> environment, String variable, Path home, String fallback) {
        String value = environment.apply(variable);
        return present(value) && Path.of(value).isAbsolute() ? Path.of(value) : home.resolve(fallback);
    }

    static Path home(UnaryOperator<String> properties) {
        String home = properties.apply("user.home");
        return Path.of(home == null ? "" : home);
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    /** Creates a folder (and its parents) that only its owner may read: it holds copies of shared data. */
    public static Path ownerOnlyFolder(Path folder) throws IOException {
        Files.createDirectories(folder);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        }
        return folder;
    }
}
