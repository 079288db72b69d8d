package io.sharemirror.platform;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Start at Login, through the OS's own mechanism for this user: an XDG autostart entry on Linux, the
 * {@code Run} registry key on Windows, a LaunchAgent on macOS. Every method does file or registry I/O (on
 * Windows it runs {@code reg.exe}): call them off the event thread.
 */
public abstract sealed class StartAtLogin permits LoginItemFile, WindowsRunKey {

    /**
     * System property naming a folder that replaces the OS's login-items location (used by tests, which must
     * never touch the real one). On Windows, whose mechanism is the registry, an XDG-style entry is written
     * into that folder instead, so even there a test run leaves the real Run key alone.
     */
    public static final String DIR_PROPERTY = "sharemirror.autostartDir";

    StartAtLogin() {
    }

    /** Whether ShareMirror is registered and not switched off by the user in the OS's own settings. */
    public abstract boolean isEnabled() throws IOException;

    /** Registers {@code command} to run at login, replacing an earlier registration. Doing it twice is harmless. */
    public abstract void enable(LaunchCommand command) throws IOException;

    /** Removes the registration; nothing happens when there is none. */
    public abstract void disable() throws IOException;

    /** Where the registration lives, for the UI to show: a file path, or the registry key and value name. */
    public abstract String location();

    /** The mechanism for this OS and user, or the {@link #DIR_PROPERTY} folder when that is set. */
    public static StartAtLogin forThisUser() {
        return forThisUser(System::getProperty, System::getenv, CommandRunner.SYSTEM);
    }

    /** {@link #forThisUser()} with system properties, environment and command runner given, for tests. */
    static StartAtLogin forThisUser(UnaryOperator<String> properties, UnaryOperator<String> environment,
                                    CommandRunner runner) {
        Os os = Os.of(properties.apply("os.name"));
        String override = properties.apply(DIR_PROPERTY);
        if (override != null && !override.isBlank()) {
            Path folder = Path.of(override).toAbsolutePath().normalize();
            return os == Os.MAC ? new MacLaunchAgent(folder) : new XdgAutostart(folder);
        }
        Path home = AppDirs.home(properties);
        return switch (os) {
            case WINDOWS -> new WindowsRunKey(runner);
            case MAC -> new MacLaunchAgent(home.resolve("Library").resolve("LaunchAgents"));
            case LINUX_OR_OTHER_UNIX -> new XdgAutostart(
                    AppDirs.xdgBase(environment, "XDG_CONFIG_HOME", home, ".config").resolve("autostart"));
        };
    }
}
