package io.sharemirror.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XdgAutostartTest {

    @TempDir
    Path autostart;

    private static final LaunchCommand AWKWARD = new LaunchCommand(List.of("/opt/share mirror/bin/ShareMirror",
            "run", "--config", "/home/me/My $HOME/100% \"config\".yaml"));

    @Test
    void writesADesktopEntryWhoseExecQuotesAndEscapesAsTheSpecSays() throws Exception {
        XdgAutostart entry = new XdgAutostart(autostart);
        entry.enable(AWKWARD);

        assertEquals("""
                [Desktop Entry]
                Type=Application
                Name=ShareMirror
                Comment=Keeps SQLite databases on network shares mirrored on this computer
                Exec="/opt/share mirror/bin/ShareMirror" run --config "/home/me/My \\\\$HOME/100%% \\\\"config\\\\".yaml"
                Terminal=false
                X-GNOME-Autostart-enabled=true
                """, Files.readString(autostart.resolve("io.sharemirror.ShareMirror.desktop")));
        assertEquals(autostart.resolve("io.sharemirror.ShareMirror.desktop").toString(), entry.location());
    }

    @Test
    void execQuotingCases() {
        assertEquals("plain", XdgAutostart.quote("plain"));
        assertEquals("\"\"", XdgAutostart.quote(""));
        assertEquals("\"a b\"", XdgAutostart.quote("a b"));
        assertEquals("\"it's\"", XdgAutostart.quote("it's"));
        assertEquals("\"C:\\\\x\"", XdgAutostart.quote("C:\\x"));
        assertEquals("\"\\`id\\`\"", XdgAutostart.quote("`id`"));
        assertEquals("50%%", XdgAutostart.quote("50%"));
        // the string escapes come on top: a literal backslash inside quotes ends up as four
        assertEquals("\"C:\\\\\\\\x\" \"a\\tb\"", XdgAutostart.exec(List.of("C:\\x", "a\tb")));
    }

    @Test
    void aProgramPathWithAnEqualsSignIsRefusedWithTheReason() {
        var e = assertThrows(IllegalArgumentException.class, () -> XdgAutostart.exec(List.of("/opt/a=b/run")));
        assertTrue(e.getMessage().contains("allows no '='"), e.getMessage());
    }

    @Test
    void enableIsEnabledDisableRoundTripIsIdempotent() throws Exception {
        XdgAutostart entry = new XdgAutostart(autostart.resolve("not-yet-created"));
        assertFalse(entry.isEnabled());
        entry.disable(); // nothing to remove: no error

        entry.enable(AWKWARD);
        String first = Files.readString(Path.of(entry.location()));
        entry.enable(AWKWARD);
        assertTrue(entry.isEnabled());
        assertEquals(first, Files.readString(Path.of(entry.location())));
        try (Stream<Path> files = Files.list(autostart.resolve("not-yet-created"))) {
            assertEquals(List.of(Path.of(entry.location())), files.toList());
        }

        entry.disable();
        entry.disable();
        assertFalse(entry.isEnabled());
        assertFalse(Files.exists(Path.of(entry.location())));
    }

    @Test
    void anEntrySwitchedOffInTheDesktopsSettingsIsNotEnabledUntilEnabledAgain() throws Exception {
        XdgAutostart entry = new XdgAutostart(autostart);
        Path file = autostart.resolve(XdgAutostart.FILE_NAME);
        for (String off : List.of("X-GNOME-Autostart-enabled=false", "Hidden=true")) {
            entry.enable(AWKWARD);
            Files.writeString(file, Files.readString(file).replace("X-GNOME-Autostart-enabled=true", off));
            assertFalse(entry.isEnabled(), off);
            entry.enable(AWKWARD);
            assertTrue(entry.isEnabled(), off);
        }
    }
}
