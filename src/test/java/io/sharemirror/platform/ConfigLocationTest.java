package io.sharemirror.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one config lookup order: the first source that is set wins, even when its file is missing. */
class ConfigLocationTest {

    private static final Map<String, String> LINUX = Map.of("os.name", "Linux", "user.home", "/home/me");

    private static ConfigLocation find(String option, Map<String, String> properties, Map<String, String> environment) {
        Map<String, String> all = new HashMap<>(LINUX);
        all.putAll(properties);
        return ConfigLocation.find(option, "--config", all::get, environment::get);
    }

    @Test
    void optionThenPropertyThenVariableThenThisUsersFile() {
        Map<String, String> property = Map.of(ConfigLocation.PROPERTY, "/p.yaml");
        Map<String, String> variable = Map.of(ConfigLocation.VARIABLE, "/v.yaml");
        assertEquals(new ConfigLocation(Path.of("/o.yaml"), "--config", false), find("/o.yaml", property, variable));
        assertEquals(new ConfigLocation(Path.of("/p.yaml"), "the sharemirror.config system property", false),
                find(null, property, variable));
        assertEquals(new ConfigLocation(Path.of("/v.yaml"), "the SHAREMIRROR_CONFIG environment variable", false),
                find("  ", Map.of(), variable));
        ConfigLocation own = find(null, Map.of(ConfigLocation.PROPERTY, ""), Map.of("XDG_CONFIG_HOME", "/xdg"));
        assertEquals(Path.of("/xdg/sharemirror/config.yaml"), own.file());
        assertTrue(own.perUser());
        assertFalse(find("/o.yaml", Map.of(), Map.of()).perUser());
    }

    @Test
    void thisUsersFileOnEachSystem() {
        assertEquals(Path.of("/home/me/.config/sharemirror/config.yaml"), AppDirs.configFile(LINUX::get,
                Map.of("XDG_CONFIG_HOME", "relative")::get));
        assertEquals(Path.of("/Users/me/Library/Application Support/ShareMirror/config.yaml"), AppDirs.configFile(
                Map.of("os.name", "Mac OS X", "user.home", "/Users/me")::get, Map.of("XDG_CONFIG_HOME", "/x")::get));
        Map<String, String> windows = Map.of("os.name", "Windows 11", "user.home", "C:\\Users\\me");
        assertEquals(Path.of("C:\\Users\\me\\AppData\\Roaming", "ShareMirror", "config.yaml"),
                AppDirs.configFile(windows::get, Map.of("APPDATA", "C:\\Users\\me\\AppData\\Roaming")::get));
        assertEquals(Path.of("C:\\Users\\me", "AppData", "Roaming", "ShareMirror", "config.yaml"),
                AppDirs.configFile(windows::get, Map.<String, String>of()::get));
    }
}
