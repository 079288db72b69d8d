package io.sharemirror.app;

import static io.sharemirror.app.XDisplay.waitFor;
import static org.assertj.swing.finder.WindowFinder.findDialog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.config.ConfigLoader;
import io.sharemirror.platform.ConfigLocation;
import io.sharemirror.platform.StartAtLogin;
import io.sharemirror.status.SyncState;
import io.sharemirror.store.Cluster;
import io.sharemirror.ui.AgentControl;
import io.sharemirror.ui.TrayApp;
import java.awt.TrayIcon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.swing.JPopupMenu;
import org.assertj.swing.core.Robot;
import org.assertj.swing.data.TableCell;
import org.assertj.swing.fixture.FrameFixture;
import org.assertj.swing.fixture.JButtonFixture;
import org.assertj.swing.fixture.JOptionPaneFixture;
import org.assertj.swing.fixture.JPopupMenuFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tray app against the real engine, under a real X server with a real tray host: the dashboard shows
 * what the engine reports, and menu actions reach the engine and a hub in a temp folder.
 */
class TrayAppGuiTest {

    static final Path SHOTS = Gui.SHOTS;

    @TempDir
    Path dir;

    private String display;
    private Path shareFolder;
    private Path hub;
    private Agent agent;
    private ConfigLocation location;
    private TrayApp app;
    private Gui gui;
    private Robot robot;
    private final CountDownLatch exited = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        display = XDisplay.ensure(true);
        System.setProperty(StartAtLogin.DIR_PROPERTY, dir.resolve("autostart").toString());
        shareFolder = dir.resolve("share");
        Files.createDirectories(shareFolder);
        hub = shareFolder.resolve("orders.db");
        Cluster.run(hub, "CREATE TABLE orders(id INTEGER PRIMARY KEY, item TEXT, qty INTEGER)",
                "INSERT INTO orders VALUES(1, 'paper', 10), (2, 'toner', 2)");
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "database:\n  cache_directory: cache\n  enable_cache: true\n  sync_interval: 3600\n"
                + "databases:\n  - name: orders\n    path: share/orders.db\n");
        location = new ConfigLocation(config, "--config", false);
        agent = Agent.open(ConfigLoader.load(config));
        agent.start();
        agent.syncNow("orders").get(30, TimeUnit.SECONDS);
        gui = new Gui(display);
        robot = gui.robot;
        app = TrayApp.start(new DesktopControl(agent, location, StartAtLogin.forThisUser()), () -> false, exited::countDown);
        app.showDashboard();
    }

    @AfterEach
    void stop(TestInfo test) throws Exception {
        if (gui != null) {
            gui.finish(test, app, exited);
        }
        agent.close();
        System.clearProperty(StartAtLogin.DIR_PROPERTY);
    }

    private FrameFixture dashboard() {
        return gui.dashboard();
    }

    private Path replica() {
        return agent.replicaPath("orders");
    }

    @Test
    void theDashboardShowsTheEngineAndSyncNowPushesToTheHub() throws Exception {
        FrameFixture d = dashboard();
        d.table("databaseTable").requireCellValue(TableCell.row(0).column(1), "orders");
        d.textBox("replicaPath").requireText(replica().toString());
        d.textBox("hubPath").requireText(hub.toString());
        d.label("hubKind").requireText("file share");

        d.toggleButton("pauseButton").click(); // no write-behind while paused: the write stays pending
        waitFor(() -> agent.paused().isPresent(), "the engine is paused");
        Cluster.run(replica(), "INSERT INTO orders VALUES(3, 'staples', 500)");
        waitFor(() -> "1".equals(d.table("databaseTable").valueAt(TableCell.row(0).column(2))),
                "the dashboard shows 1 pending write");
        assertEquals("0", Cluster.scalar(hub, "SELECT count(*) FROM orders WHERE id = 3"));

        gui.click(d.button("syncNow"));
        waitFor(() -> "1".equals(Cluster.scalar(hub, "SELECT count(*) FROM orders WHERE id = 3")), "the push");
        waitFor(() -> "0".equals(d.table("databaseTable").valueAt(TableCell.row(0).column(2))),
                "the dashboard shows 0 pending");
        waitFor(() -> d.label("result").text().contains("pushed 1"), "the result line names the push");

        d.tabbedPane("tabs").selectTab("History");
        waitFor(() -> d.table("historyTable").rowCount() >= 2, "history rows");
        assertEquals("synced", d.table("historyTable").valueAt(TableCell.row(0).column(2)));
        d.toggleButton("pauseButton").click();
        waitFor(() -> agent.paused().isEmpty(), "resumed");
    }

    @Test
    void theCustomIntervalDialogRejectsBadInputAndTheChoiceIsRemembered() throws Exception {
        FrameFixture d = dashboard();
        JPopupMenuFixture menu = openMenu(d);
        menu.menuItem("interval").click();
        menu.menuItem("interval-custom").click();
        var dialog = findDialog("intervalDialog").withTimeout(30, TimeUnit.SECONDS).using(robot);
        dialog.textBox("intervalField").deleteText().enterText("every so often");
        dialog.label("intervalProblem").requireText(Pattern.compile(".*is not an interval.*from 1 s to 24 h.*"));
        dialog.button("intervalOk").requireDisabled();
        dialog.textBox("intervalField").deleteText().enterText("25h");
        dialog.label("intervalProblem").requireText(Pattern.compile(".*out of range.*"));
        dialog.button("intervalOk").requireDisabled();
        dialog.textBox("intervalField").deleteText().enterText("45 s");
        press(dialog.button("intervalOk").requireEnabled());
        waitFor(() -> agent.interval("orders").value().equals(Duration.ofSeconds(45)), "the engine uses 45 s");
        assertEquals("45", Cluster.scalar(agent.config().cacheDirectory().resolve("state.db"),
                "SELECT value FROM settings WHERE db = 'orders' AND key = 'sync_interval'"), "remembered in state.db");

        menu = openMenu(d);
        menu.menuItem("interval").click();
        assertEquals("Custom (45 s)…", menu.menuItem("interval-custom").target().getText());
        menu.menuItem("interval-10").click();
        waitFor(() -> agent.interval("orders").value().equals(Duration.ofSeconds(10)), "a preset applies at once");
    }

    @Test
    void clearCacheIsRefusedWhilePendingWritesCannotBePushed() throws Exception {
        FrameFixture d = dashboard();
        agent.pause(new AgentControl.Pause(null));
        Cluster.run(replica(), "UPDATE orders SET qty = 11 WHERE id = 1");
        Files.move(shareFolder, dir.resolve("share-gone")); // the share vanishes

        gui.click(d.button("clearCache")); // without the mouse: the details can move under it as they load
        var confirm = optionPane();
        Object[] message = (Object[]) confirm.target().getMessage();
        assertEquals("orders has 1 local write not yet on the share.", message[0]);
        press(confirm.okButton());
        var refusal = optionPane();
        refusal.requireErrorMessage().requireMessage(Pattern.compile(".*refused.*", Pattern.DOTALL));
        press(refusal.okButton());
        assertEquals("11", Cluster.scalar(replica(), "SELECT qty FROM orders WHERE id = 1"), "nothing was lost");
        assertEquals(1, agent.pendingWrites("orders"));
        gui.click(d.button("syncNow"));
        waitFor(() -> agent.statusSnapshot().overall() == SyncState.OFFLINE, "the status says offline");
        waitFor(() -> tray().getToolTip().contains("Offline"), "the tray tooltip says offline");
    }

    @Test
    void aConflictShowsBothVersionsAndTheLoserCanBeRestored() throws Exception {
        FrameFixture d = dashboard();
        agent.pause(new AgentControl.Pause(null));
        Cluster.run(replica(), "UPDATE orders SET item = 'paper (ours)' WHERE id = 1");
        // Ours is stamped in the file server's time, as measured (within some milliseconds): theirs, written straight
        // to the hub, is newer once this computer's clock has passed our stamp.
        long ours = Long.parseLong(Cluster.scalar(replica(), "SELECT ts FROM _sm_pending"));
        Cluster.awaitClockPast(ours);
        Cluster.run(hub, "UPDATE orders SET item = 'paper (theirs)' WHERE id = 1"); // newer: it wins
        agent.syncNow("orders").get(30, TimeUnit.SECONDS);
        assertEquals("paper (theirs)", Cluster.scalar(replica(), "SELECT item FROM orders WHERE id = 1"));

        d.tabbedPane("tabs").selectTab(Pattern.compile("Conflicts.*"));
        waitFor(() -> d.table("conflictTable").rowCount() == 1, "the archived conflict is listed");
        d.table("conflictTable").selectRows(0);
        d.textBox("localVersion").requireText(Pattern.compile(".*item = \"paper \\(ours\\)\".*", Pattern.DOTALL));
        d.textBox("hubVersion").requireText(Pattern.compile(".*item = \"paper \\(theirs\\)\".*", Pattern.DOTALL));
        d.button("restore").click();
        press(optionPane().okButton());
        waitFor(() -> "paper (ours)".equals(Cluster.scalar(replica(), "SELECT item FROM orders WHERE id = 1")),
                "the losing version is back in the replica");
        agent.syncNow("orders").get(30, TimeUnit.SECONDS);
        assertEquals("paper (ours)", Cluster.scalar(hub, "SELECT item FROM orders WHERE id = 1"), "and on the hub");
        waitFor(() -> !d.button("restore").target().isEnabled(), "a restored conflict cannot be restored twice");
    }

    @Test
    void theTrayIconFollowsTheStateAndEveryTabIsPhotographed() throws Exception {
        TrayIcon icon = tray();
        assertTrue(icon.getToolTip().startsWith("ShareMirror: In sync · 1 database · 0 pending writes"), icon.getToolTip());
        assertTrue(XDisplay.windowTree(display).contains("JavaEmbeddedFrame"), "the icon is embedded in the tray host");

        // Something to show: a few cycles with pending writes, and one conflict.
        agent.pause(new AgentControl.Pause(null));
        for (int round = 1; round <= 6; round++) {
            for (int i = 0; i < round * 3; i++) {
                Cluster.run(replica(), "INSERT INTO orders(item, qty) VALUES('item " + round + "." + i + "', " + i + ")");
            }
            agent.syncNow("orders").get(30, TimeUnit.SECONDS);
        }
        Cluster.run(replica(), "UPDATE orders SET qty = 12 WHERE id = 2");
        Cluster.run(hub, "UPDATE orders SET qty = 3 WHERE id = 2");
        agent.syncNow("orders").get(30, TimeUnit.SECONDS);
        Cluster.run(replica(), "INSERT INTO orders(item, qty) VALUES('envelopes', 100)");
        agent.resume();

        FrameFixture d = dashboard();
        d.resizeTo(new java.awt.Dimension(1000, 640));
        d.moveTo(new java.awt.Point(0, 40));
        Files.createDirectories(SHOTS);
        for (String tab : new String[] {"Databases", "History", "Conflicts", "Debug"}) {
            d.tabbedPane("tabs").selectTab(Pattern.compile(tab + ".*"));
            if (tab.equals("Conflicts")) {
                d.table("conflictTable").selectRows(0);
            }
            robot.waitForIdle();
            Thread.sleep(700); // background loads land: for the picture, no assertion reads it
            XDisplay.screenshot(display, SHOTS.resolve("dashboard-" + tab.toLowerCase() + ".png"));
        }
        // A real click on the real tray icon, top right in trayer's panel: the other button opens the menu.
        d.close();
        var iconAt = XDisplay.trayIcon(display);
        XDisplay.click(display, (int) iconAt.getCenterX(), (int) iconAt.getCenterY(), 3);
        JPopupMenu trayMenu = showingMenu();
        Thread.sleep(500); // the menu drawn, for the picture
        XDisplay.screenshot(display, SHOTS.resolve("tray-menu.png"));
        new JPopupMenuFixture(robot, trayMenu).menuItem("openDashboard").click();
        waitFor(() -> dashboard().target().isShowing(), "Open Dashboard shows it");
        d = dashboard();
        d.close();
        XDisplay.click(display, (int) iconAt.getCenterX(), (int) iconAt.getCenterY(), 1); // the first button too
        waitFor(() -> dashboard().target().isShowing(), "a left click on the icon shows the dashboard");
        d = dashboard();
        d.tabbedPane("tabs").selectTab("Debug");
        d.textBox("debugText").requireText(Pattern.compile(".*Cache directory.*Tray protocol +XEMBED: no session bus"
                + ".*Notifications +the XEmbed tray icon's balloons.*SQLite.*sharemirror-sync.*", Pattern.DOTALL));

        Files.move(shareFolder, dir.resolve("share-gone"));
        agent.syncNow("orders").get(30, TimeUnit.SECONDS);
        waitFor(() -> icon.getToolTip().startsWith("ShareMirror: Offline"), "the tooltip follows the state");
        d.label("overall").requireText(Pattern.compile("Offline — .*"));
    }

    @Test
    void startAtLoginAndNotificationsAreSwitchedFromTheMenu() throws Exception {
        FrameFixture d = dashboard();
        Path entry = dir.resolve("autostart");
        openMenu(d).menuItem("startAtLogin").click();
        waitFor(() -> Files.exists(entry) && Files.list(entry).count() == 1, "the autostart entry is written");
        assertTrue(Files.readString(Files.list(entry).findFirst().orElseThrow()).contains("run"));

        var menu = openMenu(d);
        assertTrue(menu.menuItem("startAtLogin").target().isSelected(), "the menu shows start at login on");
        assertTrue(menu.menuItem("notifications").target().isSelected(), "notifications are on by default");
        menu.menuItem("notifications").click();
        waitFor(() -> !new DesktopControl(agent, location, StartAtLogin.forThisUser()).notificationsEnabled(),
                "notifications off");

        openMenu(d).menuItem("startAtLogin").click();
        waitFor(() -> Files.list(entry).count() == 0, "the autostart entry is removed");
        assertFalse(new DesktopControl(agent, location, StartAtLogin.forThisUser()).startsAtLogin());
    }

    private JOptionPaneFixture optionPane() {
        return gui.optionPane();
    }

    private void press(JButtonFixture button) throws Exception {
        gui.press(button);
    }

    private JPopupMenuFixture openMenu(FrameFixture d) throws Exception {
        return gui.openMenu(d);
    }

    private JPopupMenu showingMenu() throws Exception {
        return gui.showingMenu();
    }

    private static TrayIcon tray() {
        return Gui.tray();
    }
}
