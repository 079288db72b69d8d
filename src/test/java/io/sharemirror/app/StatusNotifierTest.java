package io.sharemirror.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Waits;
import io.sharemirror.store.Cluster;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app as a StatusNotifierItem in a real SNI host: Xfce's panel on Xvfb, on a private session bus. The icon is
 * found in the panel by its colour, clicked with xdotool, and its menu (drawn by the panel from the exported
 * dbusmenu) driven with the keyboard as a person would; each entry's effect is checked where it lands (the hub, the
 * state database, the autostart folder, a window). Notifications are read off the bus with dbus-monitor.
 */
class StatusNotifierTest {

    private static final Duration WAIT = Duration.ofSeconds(40);
    /** How often a window is looked for again. */
    private static final Duration POLL = Duration.ofMillis(100);
    /**
     * The right end of the panel along the top of the screen (xfce4-panel.xml: 32 px high, the systray plugin last),
     * right of where the dashboard window opens (980 px wide, at the left edge).
     */
    private static final Rectangle PANEL = new Rectangle(1000, 0, 280, 32);

    @TempDir
    Path dir;

    private final String display = XDisplay.sibling(4);
    private XfceSession session;
    private final List<JavaChild> apps = new ArrayList<>();

    @BeforeEach
    void desktop() throws Exception {
        session = XfceSession.start(display, dir.resolve("session"));
        session.startPanel();
    }

    @AfterEach
    void stop(TestInfo test) throws Exception {
        Files.createDirectories(TrayAppGuiTest.SHOTS.resolve("last"));
        XDisplay.screenshot(display, TrayAppGuiTest.SHOTS.resolve("last")
                .resolve(test.getTestMethod().orElseThrow().getName() + ".png"));
        apps.forEach(JavaChild::close);
        session.close();
        // libdbusmenu's warning when it got a submenu's entries before the submenu: that submenu opens empty, whether
        // or not this test's keys went into it.
        assertFalse(session.panelLog().contains("Children but no menu"), "the panel built a submenu without its entries:\n"
                + session.panelLog());
    }

    @Test
    void theIconSitsInXfcesPanelInEveryStateAndFollowsAPanelRestart() throws Exception {
        JavaChild app = launch();
        String item = registered(app);
        Rectangle icon = waitForIcon(Shade.GREEN, "a green icon in the panel while in sync", "sni-in-sync.png");
        assertTrue(icon.width <= 32 && icon.height <= 32, "one icon at the panel's size: " + icon);

        click(icon, 1);
        XDisplay.waitFor(() -> XDisplay.windowTree(display).contains("\"ShareMirror\""), "a click opens the dashboard");
        Thread.sleep(1000); // its first paint: a click before it lands nowhere, and nothing on screen says when
        XDisplay.click(display, 287, 51, 1); // its Debug tab (the window opens at the top left), for people to read
        Thread.sleep(1500); // the tab drawn, for the picture
        XDisplay.screenshot(display, TrayAppGuiTest.SHOTS.resolve("sni-debug.png"));

        try (TrayMenuOnBus menu = new TrayMenuOnBus(session.address(), item)) {
            choose(icon, menu, "Notifications"); // off: their popups open over the icon and would hide it
            choose(icon, menu, "Pause Sync", "Until Resumed"); // nothing is pushed while paused: the write stays pending
            XDisplay.waitFor(() -> hasEntry(menu, RESUME), "paused: the menu offers Resume Sync");
            Cluster.run(replica(), "INSERT INTO orders VALUES(2, 'toner')");
            waitForIcon(Shade.YELLOW, "a yellow icon while a write is pending", "sni-pending.png");

            Files.writeString(share().resolve("orders.db"), "not a database, but a file in its place".repeat(200));
            choose(icon, menu, RESUME);
            choose(icon, menu, "Force Sync");
            waitForIcon(Shade.RED, "a red icon when the sync failed", "sni-failed.png");
        }
        Files.move(share(), dir.resolve("share-gone"));
        try (TrayMenuOnBus menu = new TrayMenuOnBus(session.address(), item)) {
            choose(icon, menu, "Force Sync");
        }
        waitForIcon(Shade.DARK, "a black icon while the share is offline", "sni-offline.png");

        session.stopPanel();
        app.awaitLineContaining("StatusNotifierWatcher left the session bus", WAIT);
        app.awaitLineContaining("tray protocol: WINDOW (no StatusNotifierWatcher on the session bus; no XEmbed", WAIT);
        session.startPanel();
        app.awaitLineContaining("tray protocol: STATUS_NOTIFIER_ITEM", WAIT);
        waitForIcon(Shade.DARK, "the icon back in the restarted panel", "sni-after-restart.png");
    }

    @Test
    void everyMenuEntryWorksFromThePanel() throws Exception {
        JavaChild app = launch();
        String item = registered(app);
        Rectangle icon = waitForIcon(Shade.GREEN, "the icon in the panel", "sni-in-sync.png");
        try (TrayMenuOnBus menu = new TrayMenuOnBus(session.address(), item)) {
            assertEquals("ShareMirror: In sync", menu.entries().get(0).label(), "the heading says the state");
            openMenu(icon);
            Thread.sleep(500); // the panel draws the menu, for the picture
            XDisplay.screenshot(display, TrayAppGuiTest.SHOTS.resolve("sni-menu.png"));
            XDisplay.key(display, "Escape");

            Cluster.run(replica(), "INSERT INTO orders VALUES(2, 'toner')");
            choose(icon, menu, "Force Sync");
            XDisplay.waitFor(() -> "1".equals(Cluster.scalar(hub(), "SELECT count(*) FROM orders WHERE id = 2")),
                    "Force Sync pushed the write");
            Cluster.run(replica(), "INSERT INTO orders VALUES(3, 'staples')");
            choose(icon, menu, "Force Sync Database", "orders");
            XDisplay.waitFor(() -> "1".equals(Cluster.scalar(hub(), "SELECT count(*) FROM orders WHERE id = 3")),
                    "Force Sync Database ▸ orders pushed the write");

            choose(icon, menu, "Pause Sync", "Until Resumed");
            XDisplay.waitFor(() -> hasEntry(menu, RESUME), "paused: the menu offers Resume Sync");
            assertEquals("ShareMirror: In sync, paused until resumed", menu.entries().get(0).label());
            choose(icon, menu, RESUME);
            XDisplay.waitFor(() -> hasEntry(menu, "Pause Sync"), "and Pause Sync again once resumed");

            choose(icon, menu, "Sync Interval", "10 s");
            XDisplay.waitFor(() -> "10".equals(setting("orders", "sync_interval")), "10 s is remembered");
            XDisplay.waitFor(() -> menu.find("Sync Interval", "10 s").toggleState() == 1, "and its radio mark set");
            choose(icon, menu, "Sync Interval", "Custom…");
            inDialog("Sync Interval", 40, () -> { // into its text field
                XDisplay.key(display, "ctrl+a");
                XDisplay.type(display, "45 s");
                XDisplay.key(display, "Return");
            });
            XDisplay.waitFor(() -> "45".equals(setting("orders", "sync_interval")), "a custom 45 s is remembered");
            XDisplay.waitFor(() -> menu.find("Sync Interval", "Custom (45 s)…").toggleState() == 1,
                    "and shown as the custom choice");

            choose(icon, menu, "Clear Cache", "orders");
            inDialog("Clear Cache of orders", 20, () -> XDisplay.key(display, "Escape"));

            choose(icon, menu, "Notifications");
            XDisplay.waitFor(() -> "off".equals(setting("*", "notifications")), "notifications turned off");
            XDisplay.waitFor(() -> menu.find("Notifications").toggleState() == 0, "and unchecked");
            choose(icon, menu, "Start at Login");
            XDisplay.waitFor(() -> Files.isDirectory(dir.resolve("auto")) && Files.list(dir.resolve("auto")).count() == 1,
                    "the autostart entry is written");
            XDisplay.waitFor(() -> menu.find("Start at Login").toggleState() == 1, "and checked");

            choose(icon, menu, "Open Logs Folder"); // no file manager here: a dialog names the folder
            inDialog("Logs folder", 20, () -> XDisplay.key(display, "Escape"));
            choose(icon, menu, "Open Dashboard");
            XDisplay.waitFor(() -> XDisplay.windowTree(display).contains("\"ShareMirror\""), "the dashboard opens");
            choose(icon, menu, "Quit");
        }
        assertEquals(0, app.awaitExit(WAIT), "Quit stops the app");
        XDisplay.waitFor(() -> find(Shade.GREEN) == null, "its icon leaves the panel");
    }

    @Test
    void notificationsGoToTheNotificationServerAndOpenTheDashboard() throws Exception {
        Path log = dir.resolve("notifications.log");
        Process monitor = session.monitor("interface='org.freedesktop.Notifications',member='Notify'", log);
        try {
            JavaChild app = launch();
            String item = registered(app);
            Rectangle icon = waitForIcon(Shade.GREEN, "the icon in the panel", "sni-in-sync.png");
            Files.move(share(), dir.resolve("share-gone"));
            try (TrayMenuOnBus menu = new TrayMenuOnBus(session.address(), item)) {
                choose(icon, menu, "Force Sync");
            }
            app.awaitLineContaining("notification sent: orders is offline", WAIT);
            XDisplay.waitFor(() -> Files.readString(log).contains("string \"orders is offline\""),
                    "the Notify call on the bus");
            String call = Files.readString(log);
            assertTrue(call.contains("string \"The share cannot be reached. Local writes keep working and are queued.\"")
                    && call.contains("string \"open-dashboard\"") && call.contains("string \"Open Dashboard\"")
                    && call.contains("string \"image-data\""), call);

            notificationWindow();
            XDisplay.pointerTo(display, 640, 700); // off the icon: its tooltip would cover the popup in the picture
            Thread.sleep(1500); // xfce4-notifyd fades the popup in; a click before it is drawn is lost
            XDisplay.screenshot(display, TrayAppGuiTest.SHOTS.resolve("sni-notification.png"));
            // Its one button, "Open Dashboard", sits at the bottom right of the popup, which may still be growing to fit
            // its text: its place is read again before each press. On a loaded machine GTK can miss a press that comes
            // right after the pointer arrives: hover first, and press again while the popup is there.
            Rectangle now;
            for (int attempt = 1; attempt <= 3 && (now = notificationShowing()) != null; attempt++) {
                int x = now.x + now.width - 60;
                int y = now.y + now.height - 28;
                XDisplay.pointerTo(display, x, y);
                Thread.sleep(500); // hover first: GTK misses a press that comes right after the pointer
                XDisplay.click(display, x, y, 1);
                Waits.holdsWithin(Duration.ofSeconds(2), POLL, () -> notificationShowing() == null); // a press took
            }
            XDisplay.waitFor(() -> XDisplay.windowTree(display).contains("\"ShareMirror\""),
                    "the notification's Open Dashboard opens the dashboard");
            app.awaitLineContaining("notification action: open-dashboard", WAIT);

            Files.move(dir.resolve("share-gone"), share());
            try (TrayMenuOnBus menu = new TrayMenuOnBus(session.address(), item)) {
                choose(icon, menu, "Force Sync");
            }
            XDisplay.waitFor(() -> Files.readString(log).contains("string \"orders is back in sync\""),
                    "the recovery told on the bus");
        } finally {
            monitor.destroy();
        }
    }

    // ---- the app under test

    private Path share() {
        return dir.resolve("share");
    }

    private Path hub() {
        return share().resolve("orders.db");
    }

    private Path replica() {
        return dir.resolve("cache").resolve("orders.db");
    }

    private JavaChild launch() throws Exception {
        Files.createDirectories(share());
        Cluster.run(hub(), "CREATE TABLE orders(id INTEGER PRIMARY KEY, item TEXT)", "INSERT INTO orders VALUES(1, 'paper')");
        Path config = dir.resolve("config.yaml");
        // Syncs run only when the menu asks: every change of state below is the test's doing.
        Files.writeString(config, "database:\n  cache_directory: cache\n  enable_cache: true\n  sync_interval: 3600\n"
                + "databases:\n  - name: orders\n    path: share/orders.db\n");
        JavaChild app = JavaChild.start(session.appEnvironment(), List.of("-Xmx256m",
                        "-Dsharemirror.stateDir=" + dir.resolve("state"), "-Dsharemirror.logDir=" + dir.resolve("logs"),
                        "-Dsharemirror.autostartDir=" + dir.resolve("auto")),
                Main.class, "run", "--config", config.toString());
        apps.add(app);
        return app;
    }

    private String setting(String db, String key) throws Exception {
        return Cluster.scalar(dir.resolve("cache").resolve("state.db"),
                "SELECT value FROM settings WHERE db = '" + db + "' AND key = '" + key + "'");
    }

    private static final Pattern REGISTERED = Pattern.compile("registered as StatusNotifierItem (\\S+)");

    /** Waits until the app is in the panel; returns its item's bus name, from its log. */
    private static String registered(JavaChild app) throws InterruptedException {
        Matcher m = REGISTERED.matcher(app.awaitLineContaining("registered as StatusNotifierItem", WAIT));
        assertTrue(m.find());
        app.awaitLineContaining("tray protocol: STATUS_NOTIFIER_ITEM (org.kde.StatusNotifierWatcher is on the session"
                + " bus", WAIT);
        return m.group(1);
    }

    // ---- the panel, the mouse and the keyboard

    /**
     * Opens the icon's menu with a right click and presses the keys that reach the entry at {@code path}. Should the
     * menu change under the keys (a sync ending between {@link TrayMenuOnBus#settle()} and the keys, as the
     * write-behind sync of a write just made may), they can reach no entry and the menu stays open; it is closed and
     * the keys pressed again, up to four times (nothing ran before: any entry that runs closes the menu). A submenu
     * that opened empty at every try was the app's doing, not this (see {@code SessionBus.connect}).
     */
    private void choose(Rectangle icon, TrayMenuOnBus menu, String... path) throws Exception {
        for (int attempt = 1; ; attempt++) {
            menu.settle();
            List<String> keys = menu.keysTo(path);
            openMenu(icon);
            for (String key : keys) {
                XDisplay.key(display, key);
                // Key by key, as a hand would press them, with a moment after Right for the submenu to open.
                Thread.sleep(key.equals("Right") ? 1000 : 150);
            }
            if (Waits.holdsWithin(Duration.ofSeconds(5), POLL, () -> menuWindow() == null)) {
                return;
            }
            Files.createDirectories(TrayAppGuiTest.SHOTS.resolve("last"));
            XDisplay.screenshot(display, TrayAppGuiTest.SHOTS.resolve("last").resolve("menu-stuck-" + attempt + ".png"));
            if (attempt == 4) {
                throw new AssertionError("the menu stayed open after the keys to " + String.join(" ▸ ", path));
            }
            for (int i = 0; i < 3; i++) {
                XDisplay.key(display, "Escape");
            }
            XDisplay.waitFor(() -> menuWindow() == null, "the menu closed with Escape");
        }
    }

    /** A right click on the icon until the panel shows the menu (a click landing as a tooltip opens is dropped). */
    private void openMenu(Rectangle icon) throws Exception {
        for (int attempt = 1; menuWindow() == null; attempt++) {
            click(icon, 3);
            if (!Waits.holdsWithin(Duration.ofSeconds(3), POLL, () -> menuWindow() != null) && attempt == 3) {
                throw new AssertionError("the panel did not open the icon's menu after 3 right clicks");
            }
        }
    }

    /**
     * The panel's open menu: a top-level window of its systray plugin below the panel, or null. The icon's tooltip is
     * one too, but one or two lines high (62 px); the menu has a dozen entries.
     */
    private Rectangle menuWindow() throws Exception {
        return topLevel(line -> line.contains("\"wrapper-2.0\""), r -> r.y >= PANEL.height - 2 && r.height > 150);
    }

    private Rectangle notificationWindow() throws Exception {
        Rectangle[] found = new Rectangle[1];
        XDisplay.waitFor(() -> (found[0] = notificationShowing()) != null, "xfce4-notifyd's popup");
        return found[0];
    }

    private Rectangle notificationShowing() throws Exception {
        return topLevel(line -> line.contains("\"xfce4-notifyd\""), r -> r.width > 100);
    }

    /**
     * The first top-level window on screen whose xwininfo line and rectangle match, or null. GTK keeps a closed menu's
     * window, unmapped: only a viewable one counts.
     */
    private Rectangle topLevel(Predicate<String> line, Predicate<Rectangle> shape) throws Exception {
        Pattern geometry = Pattern.compile("^\\s*(0x[0-9a-f]+) .*\\s(\\d+)x(\\d+)[+-]-?\\d+[+-]-?\\d+\\s+\\+(-?\\d+)\\+(-?\\d+)");
        for (String l : XDisplay.windowTree(display).split("\n")) {
            Matcher m = geometry.matcher(l);
            if (line.test(l) && m.find()) {
                Rectangle r = new Rectangle(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                        Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
                if (shape.test(r) && XDisplay.viewable(display, m.group(1))) {
                    return r;
                }
            }
        }
        return null;
    }

    @FunctionalInterface
    private interface Keys {
        void press() throws Exception;
    }

    /**
     * Waits for a dialog of the app, clicks into it {@code down} pixels below its top and halfway across (no window
     * manager gives it the keyboard here; a click does, as it would for a person), presses keys, and waits until it
     * has closed.
     */
    private void inDialog(String title, int down, Keys keys) throws Exception {
        Rectangle[] at = new Rectangle[1];
        XDisplay.waitFor(() -> (at[0] = topLevel(l -> l.contains("\"" + title + "\""), r -> r.width > 100)) != null,
                "the dialog " + title);
        Thread.sleep(500); // drawn, and its components laid out
        XDisplay.click(display, at[0].x + at[0].width / 2, at[0].y + down, 1);
        keys.press();
        XDisplay.waitFor(() -> topLevel(l -> l.contains("\"" + title + "\""), r -> true) == null,
                "the dialog " + title + " closed");
    }

    private void click(Rectangle icon, int button) throws Exception {
        XDisplay.click(display, (int) icon.getCenterX(), (int) icon.getCenterY(), button);
    }

    /** Colours of the four state icons (icons/*.svg), as they look on the panel's light background. */
    enum Shade {
        GREEN(c -> c.getGreen() > c.getRed() + 50 && c.getGreen() > c.getBlue() + 30),
        YELLOW(c -> c.getRed() > 200 && c.getGreen() > 150 && c.getBlue() < 90),
        RED(c -> c.getRed() > 170 && c.getGreen() < 100 && c.getBlue() < 100),
        DARK(c -> c.getRed() < 60 && c.getGreen() < 60 && c.getBlue() < 60);

        final Predicate<Color> matches;

        Shade(Predicate<Color> matches) {
            this.matches = matches;
        }
    }

    /** The menu entry a pause until resumed offers instead of Pause Sync. */
    private static final String RESUME = "Resume Sync (paused until resumed)";

    private static boolean hasEntry(TrayMenuOnBus menu, String label) {
        return menu.entries().stream().anyMatch(i -> i.label().equals(label));
    }

    /** Waits until the panel shows an icon mostly of {@code shade}; keeps the screenshot as {@code name}. */
    private Rectangle waitForIcon(Shade shade, String what, String name) throws Exception {
        XDisplay.pointerTo(display, 640, 700); // off the icon, so its tooltip does not cover it in the picture
        Rectangle[] found = new Rectangle[1];
        XDisplay.waitFor(() -> (found[0] = find(shade)) != null, what);
        Files.createDirectories(TrayAppGuiTest.SHOTS);
        XDisplay.screenshot(display, TrayAppGuiTest.SHOTS.resolve(name));
        return found[0];
    }

    /** The bounding box of the pixels of {@code shade} in the panel, when there are enough to be an icon. */
    private Rectangle find(Shade shade) throws Exception {
        Path shot = dir.resolve("panel.png");
        XDisplay.screenshot(display, shot);
        BufferedImage image = ImageIO.read(shot.toFile());
        Rectangle box = null;
        int count = 0;
        for (int x = PANEL.x; x < PANEL.x + PANEL.width; x++) {
            for (int y = PANEL.y; y < PANEL.y + PANEL.height; y++) {
                if (shade.matches.test(new Color(image.getRGB(x, y)))) {
                    count++;
                    box = box == null ? new Rectangle(x, y, 1, 1) : box.union(new Rectangle(x, y, 1, 1));
                }
            }
        }
        return count >= 60 ? box : null;
    }
}
