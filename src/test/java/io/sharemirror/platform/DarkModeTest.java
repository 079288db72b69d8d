package io.sharemirror.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parsing of each OS's answer, on sample outputs; the real commands only where they exist (Linux here). */
class DarkModeTest {

    private static boolean linux(FakeCommands commands, Map<String, String> env) {
        return DarkMode.osPrefersDark(Os.LINUX_OR_OTHER_UNIX, env::get, commands);
    }

    @Test
    void gnomeColorSchemeDecidesWhenItIsSet() {
        FakeCommands dark = new FakeCommands().answer(DarkMode.GNOME_COLOR_SCHEME, 0, "'prefer-dark'\n");
        assertTrue(linux(dark, Map.of()));
        assertEquals(List.of(DarkMode.GNOME_COLOR_SCHEME), dark.ran);

        FakeCommands light = new FakeCommands().answer(DarkMode.GNOME_COLOR_SCHEME, 0, "'prefer-light'\n");
        assertFalse(linux(light, Map.of("GTK_THEME", "Adwaita:dark")));
    }

    @Test
    void withoutAColorSchemeTheGtkThemeDecides() {
        FakeCommands defaultScheme = new FakeCommands()
                .answer(DarkMode.GNOME_COLOR_SCHEME, 0, "'default'\n")
                .answer(DarkMode.GNOME_GTK_THEME, 0, "'Yaru-purple-dark'\n");
        assertTrue(linux(defaultScheme, Map.of()));

        FakeCommands noSuchKey = new FakeCommands()
                .answer(DarkMode.GNOME_COLOR_SCHEME, 1, "")
                .answer(DarkMode.GNOME_GTK_THEME, 0, "'Adwaita'\n");
        assertFalse(linux(noSuchKey, Map.of()));
        assertTrue(linux(noSuchKey, Map.of("GTK_THEME", "Adwaita:dark")));
    }

    @Test
    void noGsettingsAtAllFallsBackToGtkThemeThenLight() {
        assertTrue(linux(new FakeCommands(), Map.of("GTK_THEME", "Arc-Dark")));
        assertFalse(linux(new FakeCommands(), Map.of("GTK_THEME", "Adwaita")));
        assertFalse(linux(new FakeCommands(), Map.of()));
    }

    @Test
    void gtkThemeNames() {
        assertTrue(DarkMode.gtkThemeIsDark("Adwaita:dark"));
        assertTrue(DarkMode.gtkThemeIsDark("Adwaita-dark"));
        assertTrue(DarkMode.gtkThemeIsDark("Breeze-Dark"));
        assertFalse(DarkMode.gtkThemeIsDark("Adwaita"));
        assertFalse(DarkMode.gtkThemeIsDark("Darkly")); // a name, not the -dark variant
        assertEquals("prefer-dark", DarkMode.gsettingsString("  'prefer-dark'\n"));
    }

    @Test
    void windowsAppsUseLightThemeZeroMeansDark() {
        String dark = "\r\nHKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Themes\\Personalize\r\n"
                + "    AppsUseLightTheme    REG_DWORD    0x0\r\n\r\n";
        assertTrue(DarkMode.osPrefersDark(Os.WINDOWS, k -> null,
                new FakeCommands().answer(DarkMode.WINDOWS_APPS_THEME, 0, dark)));
        assertFalse(DarkMode.osPrefersDark(Os.WINDOWS, k -> null,
                new FakeCommands().answer(DarkMode.WINDOWS_APPS_THEME, 0, dark.replace("0x0", "0x1"))));
        // Windows before 10 1809 has no such value: reg exits 1
        assertFalse(DarkMode.osPrefersDark(Os.WINDOWS, k -> null,
                new FakeCommands().answer(DarkMode.WINDOWS_APPS_THEME, 1, "")));
    }

    @Test
    void macAppleInterfaceStyleDarkMeansDark() {
        assertTrue(DarkMode.osPrefersDark(Os.MAC, k -> null,
                new FakeCommands().answer(DarkMode.MAC_INTERFACE_STYLE, 0, "Dark\n")));
        // light mode: "The domain/default pair of (kCFPreferencesAnyApplication, AppleInterfaceStyle) does not exist"
        assertFalse(DarkMode.osPrefersDark(Os.MAC, k -> null,
                new FakeCommands().answer(DarkMode.MAC_INTERFACE_STYLE, 1, "")));
    }

    @Test
    void aHangingCommandCountsAsLightAndNeverThrows() {
        CommandRunner hangs = (command, timeout) -> {
            throw new java.io.IOException(command.get(0) + " did not finish within " + timeout.toMillis() + " ms");
        };
        for (Os os : Os.values()) {
            assertFalse(DarkMode.osPrefersDark(os, k -> null, hangs), os.name());
        }
    }

    @Test
    void theRealQueryOnThisMachineAnswersQuickly() {
        long start = System.nanoTime();
        DarkMode.osPrefersDark();
        assertTrue(System.nanoTime() - start < 5_000_000_000L);
    }
}
