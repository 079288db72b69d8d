package io.sharemirror.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppDirsTest {

    private static Path logDir(Map<String, String> props, Map<String, String> env) {
        return AppDirs.logDirectory(props::get, env::get);
    }

    private static Path stateDir(Map<String, String> props, Map<String, String> env) {
        return AppDirs.stateDirectory(props::get, env::get);
    }

    @Test
    void linuxUsesXdgStateHome() {
        assertEquals(Path.of("/xdg/state/sharemirror/logs"),
                logDir(Map.of("os.name", "Linux", "user.home", "/home/me"), Map.of("XDG_STATE_HOME", "/xdg/state")));
    }

    @Test
    void linuxFallsBackToLocalStateWhenXdgIsUnsetEmptyOrRelative() {
        Path expected = Path.of("/home/me/.local/state/sharemirror/logs");
        Map<String, String> props = Map.of("os.name", "Linux", "user.home", "/home/me");
        assertEquals(expected, logDir(props, Map.of()));
        assertEquals(expected, logDir(props, Map.of("XDG_STATE_HOME", " ")));
        assertEquals(expected, logDir(props, Map.of("XDG_STATE_HOME", "relative/state")));
    }

    @Test
    void macUsesLibraryLogs() {
        assertEquals(Path.of("/Users/me/Library/Logs/ShareMirror"),
                logDir(Map.of("os.name", "Mac OS X", "user.home", "/Users/me"), Map.of("XDG_STATE_HOME", "/x")));
    }

    @Test
    void windowsUsesLocalAppData() {
        String local = "C:\\Users\\me\\AppData\\Local";
        assertEquals(Path.of(local, "ShareMirror", "logs"),
                logDir(Map.of("os.name", "Windows 11", "user.home", "C:\\Users\\me"), Map.of("LOCALAPPDATA", local)));
        assertEquals(Path.of("C:\\Users\\me", "AppData", "Local", "ShareMirror", "logs"),
                logDir(Map.of("os.name", "Windows 10", "user.home", "C:\\Users\\me"), Map.of()));
    }

    @Test
    void systemPropertyOverridesEverything(@TempDir Path dir) {
        assertEquals(dir.resolve("logs"), logDir(Map.of("os.name", "Linux", "user.home", "/home/me",
                AppDirs.LOG_DIR_PROPERTY, dir.resolve("logs").toString()), Map.of("XDG_STATE_HOME", "/xdg")));

        String before = System.getProperty(AppDirs.LOG_DIR_PROPERTY);
        System.setProperty(AppDirs.LOG_DIR_PROPERTY, dir.resolve("real").toString());
        try {
            assertEquals(dir.resolve("real"), AppDirs.logDirectory());
        } finally {
            if (before == null) {
                System.clearProperty(AppDirs.LOG_DIR_PROPERTY);
            } else {
                System.setProperty(AppDirs.LOG_DIR_PROPERTY, before);
            }
        }
    }

    @Test
    void stateFolderFollowsEachPlatformsConvention() {
        Map<String, String> linux = Map.of("os.name", "Linux", "user.home", "/home/me");
        assertEquals(Path.of("/xdg/state/sharemirror"), stateDir(linux, Map.of("XDG_STATE_HOME", "/xdg/state")));
        assertEquals(Path.of("/home/me/.local/state/sharemirror"), stateDir(linux, Map.of("XDG_STATE_HOME", "rel")));
        assertEquals(Path.of("/Users/me/Library/Application Support/ShareMirror"),
                stateDir(Map.of("os.name", "Mac OS X", "user.home", "/Users/me"), Map.of()));
        String local = "C:\\Users\\me\\AppData\\Local";
        assertEquals(Path.of(local, "ShareMirror"),
                stateDir(Map.of("os.name", "Windows 11", "user.home", "C:\\Users\\me"), Map.of("LOCALAPPDATA", local)));
    }

    @Test
    void logsLiveInTheStateFolderExceptOnMac() {
        Map<String, String> env = Map.of("XDG_STATE_HOME", "/xdg/state");
        Map<String, String> linux = Map.of("os.name", "Linux", "user.home", "/home/me");
        assertEquals(stateDir(linux, env).resolve("logs"), logDir(linux, env));
    }

    @Test
    void stateSystemPropertyOverridesEverythingButNotTheLogFolder(@TempDir Path dir) {
        Map<String, String> props = Map.of("os.name", "Linux", "user.home", "/home/me",
                AppDirs.STATE_DIR_PROPERTY, dir.resolve("state").toString());
        assertEquals(dir.resolve("state"), stateDir(props, Map.of("XDG_STATE_HOME", "/xdg")));
        assertEquals(Path.of("/xdg/sharemirror/logs"), logDir(props, Map.of("XDG_STATE_HOME", "/xdg")));
    }
}
