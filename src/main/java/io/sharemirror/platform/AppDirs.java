package io.sharemirror.platform;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.function.UnaryOperator;

/** Per-OS folders. */
public final class AppDirs {

    /** System property that overrides the log folder (used by tests). */
    public static final String LOG_DIR_PROPERTY = "sharemirror.logDir";

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
        String os = nonNull(properties.apply("os.name")).toLowerCase(Locale.ROOT);
        Path home = Path.of(nonNull(properties.apply("user.home")));
        if (os.startsWith("windows")) {
            String local = environment.apply("LOCALAPPDATA");
            Path base = present(local) ? Path.of(local) : home.resolve("AppData").resolve("Local");
            return base.resolve("ShareMirror").resolve("logs");
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return home.resolve("Library").resolve("Logs").resolve("ShareMirror");
        }
        String state = environment.apply("XDG_STATE_HOME");
        // The XDG spec says relative values are invalid and must be ignored.
        Path base = present(state) && Path.of(state).isAbsolute()
                ? Path.of(state)
                : home.resolve(".local").resolve("state");
        return base.resolve("sharemirror").resolve("logs");
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
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
