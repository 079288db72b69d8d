package io.sharemirror.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.store.Cluster;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real app, started as a user starts it ({@code Main run} in a JVM of its own) on a real X server with a
 * real tray host: its icon is embedded in the tray and changes with the state, a second launch brings the
 * first one's dashboard forward, and a desktop without a tray gets the dashboard window instead. The lower half of
 * the fallback chain: where a session bus has no StatusNotifierWatcher (StatusNotifierTest has the upper half).
 */
class DesktopLaunchTest {

    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    Path dir;

    private Path config() throws Exception {
        Path share = dir.resolve("share");
        Files.createDirectories(share);
        Cluster.run(share.resolve("orders.db"), "CREATE TABLE orders(id INTEGER PRIMARY KEY, item TEXT)",
                "INSERT INTO orders VALUES(1, 'paper')");
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "database:\n  cache_directory: cache\n  enable_cache: true\n  sync_interval: 1\n"
                + "databases:\n  - name: orders\n    path: share/orders.db\n");
        return config;
    }

    private JavaChild launch(Path config, String display) throws Exception {
        return launch(config, Map.of("DISPLAY", display));
    }

    /** The app with this environment: a display, and a session bus or none. */
    private JavaChild launch(Path config, Map<String, String> environment) throws Exception {
        return JavaChild.start(environment, List.of("-Xmx256m",
                        "-Dsharemirror.stateDir=" + dir.resolve("state"), "-Dsharemirror.logDir=" + dir.resolve("logs"),
                        "-Dsharemirror.autostartDir=" + dir.resolve("auto")),
                Main.class, "run", "--config", config.toString());
    }

    /** A session bus with no StatusNotifierWatcher on it (no panel that hosts them): the XEmbed tray is used. */
    @Test
    void theAppStartsIntoTheTrayItsIconFollowsTheStateAndASecondLaunchShowsTheDashboard() throws Exception {
        String display = XDisplay.ensure(true);
        Path config = config();
        try (XfceSession bus = XfceSession.start(display, dir.resolve("session"));
             JavaChild app = launch(config, bus.appEnvironment())) {
            app.awaitLineContaining("orders: OK", WAIT);
            app.awaitLineContaining("tray icon added", WAIT);
            app.awaitLineContaining("tray protocol: XEMBED (no StatusNotifierWatcher on the session bus; an XEmbed"
                    + " system tray is there)", WAIT);
            String tree = XDisplay.windowTree(display);
            assertTrue(tree.contains("JavaEmbeddedFrame"), "the icon is embedded in trayer's panel:\n" + tree);
            Palette ok = trayIcon(display, "tray-in-sync.png");
            assertTrue(ok.green > 150 && ok.dark < 20, "a green icon while in sync: " + ok);

            Files.move(dir.resolve("share"), dir.resolve("share-gone")); // the share vanishes
            app.awaitLineContaining("orders: OFFLINE", WAIT);
            Palette[] offline = new Palette[1];
            XDisplay.waitFor(() -> {
                offline[0] = trayIcon(display, "tray-offline.png");
                return offline[0].dark > 150 && offline[0].green < 20;
            }, "a black icon while offline (last seen " + "green/dark counts in target/screenshots/tray-offline.png)");

            try (JavaChild second = launch(config, display)) {
                assertEquals(0, second.awaitExit(Duration.ofSeconds(30)), "the second launch hands over and exits");
                second.awaitLine("sharemirror: ShareMirror is already running", Duration.ofSeconds(5));
            }
            XDisplay.waitFor(() -> XDisplay.windowTree(display).contains("\"ShareMirror\""),
                    "the first instance shows its dashboard");
            Thread.sleep(2000); // the first paint, for the picture
            XDisplay.screenshot(display, TrayAppGuiTest.SHOTS.resolve("second-launch.png"));
        }
    }

    /** Neither a StatusNotifierWatcher on the session bus nor an XEmbed tray: the dashboard window stands in. */
    @Test
    void withoutATrayTheDashboardWindowStandsIn() throws Exception {
        String display = XDisplay.sibling(5);
        XDisplay.start(display, false);
        try (XfceSession bus = XfceSession.start(display, dir.resolve("session"));
             JavaChild app = launch(config(), bus.appEnvironment())) {
            app.awaitLineContaining("this desktop has no system tray", WAIT);
            app.awaitLineContaining("tray protocol: WINDOW (no StatusNotifierWatcher on the session bus; no XEmbed"
                    + " system tray either)", WAIT);
            XDisplay.waitFor(() -> XDisplay.windowTree(display).contains("\"ShareMirror\""), "the dashboard window");
            assertFalse(XDisplay.windowTree(display).contains("JavaEmbeddedFrame"));
            Thread.sleep(2000); // the first paint, for the picture
            XDisplay.screenshot(display, TrayAppGuiTest.SHOTS.resolve("no-tray.png"));
        }
    }

    /** How many pixels of the tray icon are green and how many near black. */
    record Palette(int green, int dark) {
    }

    /** Counts the colours of the app's icon where it is embedded in trayer's panel. */
    private static Palette trayIcon(String display, String name) throws Exception {
        Files.createDirectories(TrayAppGuiTest.SHOTS);
        Path shot = TrayAppGuiTest.SHOTS.resolve(name);
        java.awt.Rectangle at = XDisplay.trayIcon(display);
        XDisplay.screenshot(display, shot);
        BufferedImage image = ImageIO.read(shot.toFile());
        int green = 0;
        int dark = 0;
        for (int x = at.x; x < at.x + at.width; x++) {
            for (int y = at.y; y < at.y + at.height; y++) {
                Color c = new Color(image.getRGB(x, y));
                green += c.getGreen() > c.getRed() + 50 && c.getGreen() > c.getBlue() + 30 ? 1 : 0;
                dark += c.getRed() < 60 && c.getGreen() < 60 && c.getBlue() < 60 ? 1 : 0;
            }
        }
        return new Palette(green, dark);
    }
}
