package io.sharemirror.platform;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Whether the OS is set to a dark appearance, so the UI can pick FlatLaf's light or dark look to match. */
public final class DarkMode {

    /** Each query is a local settings read; one that takes longer is hung, and the answer is "light". */
    private static final Duration TIMEOUT = Duration.ofMillis(1500);

    static final List<String> GNOME_COLOR_SCHEME =
            List.of("gsettings", "get", "org.gnome.desktop.interface", "color-scheme");
    static final List<String> GNOME_GTK_THEME = List.of("gsettings", "get", "org.gnome.desktop.interface", "gtk-theme");
    static final List<String> WINDOWS_APPS_THEME = List.of("reg", "query",
            "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Themes\\Personalize", "/v", "AppsUseLightTheme");
    static final List<String> MAC_INTERFACE_STYLE = List.of("defaults", "read", "-g", "AppleInterfaceStyle");

    private DarkMode() {
    }

    /**
     * True when the OS prefers dark; false when it prefers light or cannot tell. Never throws. Runs one or two
     * small OS commands (at most 1.5 s each), so call it once at startup, off the event thread if possible.
     */
    public static boolean osPrefersDark() {
        return osPrefersDark(Os.current(), System::getenv, CommandRunner.SYSTEM);
    }

    static boolean osPrefersDark(Os os, UnaryOperator<String> environment, CommandRunner runner) {
        return switch (os) {
            case WINDOWS -> output(runner, WINDOWS_APPS_THEME).map(DarkMode::windowsAppsAreDark).orElse(false);
            case MAC -> output(runner, MAC_INTERFACE_STYLE).map(DarkMode::macStyleIsDark).orElse(false);
            case LINUX_OR_OTHER_UNIX -> linux(environment, runner);
        };
    }

    /**
     * GNOME 42+ and others that follow it store the preference as color-scheme; older setups and other
     * desktops express it through the GTK theme: GTK_THEME (e.g. {@code Adwaita:dark}) or the gtk-theme setting.
     */
    private static boolean linux(UnaryOperator<String> environment, CommandRunner runner) {
        Optional<String> scheme = output(runner, GNOME_COLOR_SCHEME).map(DarkMode::gsettingsString);
        if (scheme.isPresent() && !scheme.get().equals("default")) {
            return scheme.get().equals("prefer-dark");
        }
        String gtkTheme = environment.apply("GTK_THEME");
        if (gtkTheme != null && !gtkTheme.isBlank()) {
            return gtkThemeIsDark(gtkTheme);
        }
        return output(runner, GNOME_GTK_THEME).map(DarkMode::gsettingsString).map(DarkMode::gtkThemeIsDark)
                .orElse(false);
    }

    /** {@code 'prefer-dark'} (gsettings prints GVariant text: strings in single quotes) to prefer-dark. */
    static String gsettingsString(String output) {
        String s = output.strip();
        return s.length() >= 2 && s.startsWith("'") && s.endsWith("'") ? s.substring(1, s.length() - 1) : s;
    }

    /** {@code Adwaita:dark} (the GTK_THEME variant syntax), {@code Adwaita-dark}, {@code Yaru-purple-dark}. */
    static boolean gtkThemeIsDark(String theme) {
        String t = theme.strip().toLowerCase(Locale.ROOT);
        return t.endsWith(":dark") || t.contains("-dark");
    }

    /** {@code AppsUseLightTheme    REG_DWORD    0x0}: 0 means apps are dark. */
    static boolean windowsAppsAreDark(String regOutput) {
        return RegOutput.value(regOutput, "AppsUseLightTheme")
                .map(data -> data.equalsIgnoreCase("0x0") || data.equals("0"))
                .orElse(false);
    }

    /** "Dark" when dark; in light mode the key does not exist and defaults exits with an error instead. */
    static boolean macStyleIsDark(String output) {
        return output.strip().equalsIgnoreCase("Dark");
    }

    /** What a successful command printed; empty when it failed, is missing or hung. */
    private static Optional<String> output(CommandRunner runner, List<String> command) {
        try {
            CommandRunner.Result result = runner.run(command, TIMEOUT);
            return result.succeeded() ? Optional.of(result.out()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
