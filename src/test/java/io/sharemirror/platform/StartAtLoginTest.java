package io.sharemirror.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which mechanism each OS gets, and where it writes. */
class StartAtLoginTest {

    private static StartAtLogin choose(Map<String, String> props, Map<String, String> env) {
        return StartAtLogin.forThisUser(props::get, env::get, new FakeCommands());
    }

    @Test
    void linuxWritesIntoTheXdgAutostartFolder() {
        Map<String, String> linux = Map.of("os.name", "Linux", "user.home", "/home/me");
        assertEquals("/xdg/config/autostart/io.sharemirror.ShareMirror.desktop",
                choose(linux, Map.of("XDG_CONFIG_HOME", "/xdg/config")).location());
        assertEquals("/home/me/.config/autostart/io.sharemirror.ShareMirror.desktop",
                choose(linux, Map.of("XDG_CONFIG_HOME", "relative")).location());
    }

    @Test
    void macWritesALaunchAgent() {
        assertEquals("/Users/me/Library/LaunchAgents/io.sharemirror.ShareMirror.plist",
                choose(Map.of("os.name", "Mac OS X", "user.home", "/Users/me"), Map.of()).location());
    }

    @Test
    void windowsUsesTheRunKey() {
        assertInstanceOf(WindowsRunKey.class, choose(Map.of("os.name", "Windows 11", "user.home", "C:\\Users\\me"),
                Map.of()));
    }

    @Test
    void theOverrideFolderReplacesTheRealLocationOnEveryOs() {
        for (String os : new String[] {"Linux", "Windows 10"}) {
            StartAtLogin chosen = choose(Map.of("os.name", os, "user.home", "/home/me",
                    StartAtLogin.DIR_PROPERTY, "/tmp/test-autostart"), Map.of());
            assertEquals("/tmp/test-autostart/io.sharemirror.ShareMirror.desktop", chosen.location(), os);
        }
        assertEquals("/tmp/test-autostart/io.sharemirror.ShareMirror.plist", choose(Map.of("os.name", "Mac OS X",
                "user.home", "/Users/me", StartAtLogin.DIR_PROPERTY, "/tmp/test-autostart"), Map.of()).location());
    }
}
