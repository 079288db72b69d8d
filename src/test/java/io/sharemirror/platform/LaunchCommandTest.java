package io.sharemirror.platform;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchCommandTest {

    private static final Path CONFIG = Path.of("/srv/team/config.yaml");
    private static final ConfigLocation NAMED = new ConfigLocation(CONFIG, "--config", false);

    private static Map<String, String> linux() {
        Map<String, String> props = new HashMap<>(Map.of("os.name", "Linux", "java.home", "/usr/lib/jvm/java-17",
                "java.class.path", "/src/target/classes:/m2/snakeyaml.jar"));
        return props;
    }

    @Test
    void theInstalledLauncherStartsItself() {
        Map<String, String> props = linux();
        props.put(LaunchCommand.JPACKAGE_APP_PATH, "/opt/sharemirror/bin/ShareMirror");
        assertEquals(List.of("/opt/sharemirror/bin/ShareMirror", "run", "--config", CONFIG.toString()),
                LaunchCommand.forAgent(NAMED, props::get, Path.of("/opt/sharemirror/lib/app/sharemirror.jar"))
                        .arguments());
    }

    @Test
    void aJarRunsWithThisJavaRuntime() {
        assertEquals(List.of("/usr/lib/jvm/java-17/bin/java", "-jar", "/home/me/sharemirror.jar",
                        "run", "--config", CONFIG.toString()),
                LaunchCommand.forAgent(NAMED, linux()::get, Path.of("/home/me/sharemirror.jar")).arguments());
    }

    @Test
    void onWindowsTheJarRunsWithJavawSoNoConsoleOpensAtLogin() {
        Map<String, String> props = Map.of("os.name", "Windows 11", "java.home", "C:\\Program Files\\Java\\jdk-17");
        List<String> arguments = LaunchCommand.forAgent(NAMED, props::get, Path.of("/x/sharemirror.jar")).arguments();
        assertEquals("C:\\Program Files\\Java\\jdk-17\\bin\\javaw.exe", arguments.get(0));
        assertEquals("-jar", arguments.get(1));
    }

    @Test
    void classFoldersRunTheMainClassOnThisClassPath() {
        assertEquals(List.of("/usr/lib/jvm/java-17/bin/java", "-cp", "/src/target/classes:/m2/snakeyaml.jar",
                        LaunchCommand.MAIN_CLASS, "run", "--config", CONFIG.toString()),
                LaunchCommand.forAgent(NAMED, linux()::get, Path.of("/src/target/classes")).arguments());
    }

    @Test
    void theConfigIsMadeAbsoluteSoTheLoginSessionsFolderDoesNotMatter() {
        List<String> arguments = LaunchCommand.forAgent(new ConfigLocation(Path.of("sub/../config.yaml"), "--config",
                false)).arguments();
        assertEquals(Path.of("config.yaml").toAbsolutePath().toString(), arguments.get(arguments.size() - 1));
    }

    @Test
    void thisUsersOwnConfigIsNotNamedSoTheLookupFindsItAtLogin() {
        Map<String, String> props = linux();
        props.put(LaunchCommand.JPACKAGE_APP_PATH, "/opt/sharemirror/bin/ShareMirror");
        assertEquals(List.of("/opt/sharemirror/bin/ShareMirror", "run"), LaunchCommand.forAgent(
                new ConfigLocation(Path.of("/home/me/.config/sharemirror/config.yaml"), "this user's config file", true),
                props::get, null).arguments());
    }

    @Test
    void thisTestRunFromClassFoldersAndTheMainClassNamedExists() {
        List<String> arguments = LaunchCommand.forAgent(NAMED).arguments();
        assertEquals(Path.of(System.getProperty("java.home"), "bin", "java").toString(), arguments.get(0));
        assertEquals(LaunchCommand.MAIN_CLASS, arguments.get(3));
        assertDoesNotThrow(() -> Class.forName(LaunchCommand.MAIN_CLASS));
    }

    @Test
    void anEmptyCommandIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LaunchCommand(List.of()));
    }
}
