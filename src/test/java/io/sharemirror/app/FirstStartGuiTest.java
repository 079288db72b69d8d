package io.sharemirror.app;

import static io.sharemirror.app.XDisplay.waitFor;
import static org.assertj.swing.finder.WindowFinder.findDialog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.config.ConfigEdits;
import io.sharemirror.config.ConfigLoader;
import io.sharemirror.config.DatabaseDraft;
import io.sharemirror.config.EnableCache;
import io.sharemirror.platform.ConfigLocation;
import io.sharemirror.platform.StartAtLogin;
import io.sharemirror.share.ReadOnlyFolder;
import io.sharemirror.share.SambaShare;
import io.sharemirror.status.SyncState;
import io.sharemirror.store.Cluster;
import io.sharemirror.store.OtherPrograms;
import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.ui.AgentControl;
import io.sharemirror.ui.TrayApp;
import java.awt.TrayIcon;
import java.awt.Window;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.assertj.swing.core.Robot;
import org.assertj.swing.data.TableCell;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.DialogFixture;
import org.assertj.swing.fixture.FrameFixture;
import org.assertj.swing.fixture.JOptionPaneFixture;
import org.assertj.swing.fixture.JPopupMenuFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new user's path through the dashboard, on hubs on a real Samba share (smbd on 127.0.0.1, mounted with smbnetfs),
 * under a real X server with a real tray host: the first start without a config, the welcome screen, Add Database with
 * each live check's outcome, the first copy with its progress, in sync; Edit; Remove with writes waiting; Pause for
 * 1 hour; conflicts to review. Every new screen is photographed into target/screenshots.
 */
class FirstStartGuiTest {

    @TempDir
    static Path shared;
    private static SambaShare samba;

    @TempDir
    Path dir;

    private String display;
    private String home;
    private ConfigLocation location;
    private Path folder;
    private Agent agent;
    private TrayApp app;
    private Gui gui;
    private Robot robot;
    private final CountDownLatch exited = new CountDownLatch(1);

    @BeforeAll
    static void share() throws Exception {
        samba = SambaShare.start(shared.resolve("samba"));
    }

    @AfterAll
    static void unshare() {
        if (samba != null) {
            samba.close();
        }
    }

    @BeforeEach
    void hubs(TestInfo test) throws Exception {
        display = XDisplay.ensure(true);
        System.setProperty(StartAtLogin.DIR_PROPERTY, dir.resolve("autostart").toString());
        home = System.getProperty("user.home");
        System.setProperty("user.home", dir.resolve("home").toString()); // the default cache folder, ~/.ims_cache
        folder = Files.createDirectories(samba.folder().resolve(test.getTestMethod().orElseThrow().getName()));
        Cluster.run(folder.resolve("orders.db"), "CREATE TABLE orders(id INTEGER PRIMARY KEY, item TEXT, qty INTEGER)",
                "CREATE TABLE customer(id INTEGER PRIMARY KEY, name TEXT)",
                "INSERT INTO orders(item, qty) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)"
                        + " SELECT 'item ' || i || ' ' || hex(randomblob(400)), i FROM n",
                "INSERT INTO customer(name) VALUES('Ada'), ('Grace')");
        location = new ConfigLocation(dir.resolve("home/.config/sharemirror/config.yaml"), "this user's config file",
                true);
    }

    /** ShareMirror as `run` starts it: the config from the lookup order, then the tray and the dashboard. */
    private void launch() throws Exception {
        agent = Agent.open(ConfigFile.read(location));
        agent.start();
        gui = new Gui(display);
        robot = gui.robot;
        app = TrayApp.start(new DesktopControl(agent, location, StartAtLogin.forThisUser()), () -> false,
                exited::countDown);
    }

    /** A config with orders in it, as the dashboard writes one: for the tests that start past the first start. */
    private void configured() throws Exception {
        Files.createDirectories(location.file().getParent());
        Files.writeString(location.file(), ConfigEdits.newFile(location.file(), new DatabaseDraft("orders",
                folder.resolve("orders.db").toString(), Duration.ofSeconds(30), EnableCache.AUTO,
                ConflictPolicy.NEWEST_WINS, MirrorMode.READ_WRITE)));
        launch();
        waitFor(() -> agent.statusSnapshot().overall() == SyncState.OK, "orders in sync");
        app.showDashboard();
    }

    @AfterEach
    void stop(TestInfo test) throws Exception {
        if (gui != null) {
            gui.finish(test, app, exited);
        }
        if (agent != null) {
            agent.close();
        }
        System.clearProperty(StartAtLogin.DIR_PROPERTY);
        System.setProperty("user.home", home);
    }

    @Test
    void theFirstStartWelcomesAndAddDatabaseChecksTheFileThenCopiesItIntoSync() throws Exception {
        Path text = folder.resolve("notes.db");
        Files.writeString(text, "id;item\n1;paper\n".repeat(50));
        Cluster.run(folder.resolve("wal.db"), "CREATE TABLE t(id INTEGER PRIMARY KEY)", "PRAGMA journal_mode = WAL");
        Path readOnly = Files.createDirectories(samba.serverFolder().resolve("theFirstStartWelcomesAndAddDatabase"
                + "ChecksTheFileThenCopiesItIntoSync").resolve("prices"));
        Cluster.run(readOnly.resolve("prices.db"), "CREATE TABLE price(id INTEGER PRIMARY KEY, amount REAL)");
        long started = System.nanoTime();

        launch();
        assertFalse(Files.exists(location.file()), "no config yet");
        FrameFixture d = dashboard();
        waitFor(() -> tray().getToolTip().equals("ShareMirror: not set up — click to add a database"),
                "the tray says not set up");
        d.button("welcomeAdd").requireVisible();
        shot("first-start-welcome.png");

        gui.click(d.button("welcomeAdd"));
        DialogFixture add = findDialog("databaseDialog").withTimeout(30, TimeUnit.SECONDS).using(robot);
        add.moveTo(new java.awt.Point(60, 60));
        checkSays(add, text, "check-SQLITE", "not an SQLite database — check the path");
        shot("add-database-not-sqlite.png");
        checkSays(add, folder.resolve("wal.db"), "check-JOURNAL", "in WAL mode, which does not work on a network share");
        shot("add-database-wal.png");
        try (ReadOnlyFolder serverSide = ReadOnlyFolder.of(readOnly)) {
            checkSays(add, folder.resolve("prices").resolve("prices.db"), "check-ACCESS", "read-only for this user");
            shot("add-database-read-only.png");
            add.comboBox("modeCombo").selectItem(1);
            waitFor(() -> label(add, "check-ACCESS").contains("fine for mode read-only"), "read-only mode suits");
            add.comboBox("modeCombo").selectItem(0);
        }
        Path elsewhere = samba.folder().getParent().getParent().resolve("127.0.0.1:9").resolve("share").resolve("x.db");
        add.textBox("pathField").deleteText().enterText(elsewhere.toString());
        waitFor(() -> label(add, "check-REACHABLE").matches(".*(there is no file x.db|the share cannot be reached).*"),
                "a share that does not answer");
        add.button("databaseOk").requireDisabled();
        shot("add-database-missing-share.png");

        add.textBox("pathField").deleteText().enterText(folder.resolve("orders.db").toString());
        waitFor(() -> add.button("databaseOk").target().isEnabled(), "a good file can be added");
        assertEquals("orders", add.textBox("nameField").text(), "the name comes from the file");
        assertTrue(label(add, "check-PLACEMENT").contains("on a network share"), label(add, "check-PLACEMENT"));
        assertTrue(label(add, "check-TABLES").contains("2 tables: customer, orders"), label(add, "check-TABLES"));
        add.textBox("nameField").deleteText().enterText("state");
        waitFor(() -> add.label("configProblems").text().contains("\"state\" is a reserved name"),
                "the config's own validation speaks");
        add.button("databaseOk").requireDisabled();
        add.textBox("nameField").deleteText().enterText("orders");
        waitFor(() -> add.button("databaseOk").target().isEnabled(), "valid again");
        shot("add-database.png");
        gui.click(add.button("databaseOk"));

        DialogFixture copy = findDialog("cloneDialog").withTimeout(30, TimeUnit.SECONDS).using(robot);
        waitFor(() -> copy.label("cloneHeadline").text().equals("orders is added"), "the first copy and sync");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertEquals("orders is in sync. Applications can use it now.", copy.label("cloneDetail").text());
        shot("first-copy-done.png");
        System.out.println("first start to in sync, with the checks above: " + seconds + " s");
        gui.click(copy.button("cloneClose"));

        waitFor(() -> tray().getToolTip().startsWith("ShareMirror: In sync · 1 database · 0 pending writes"),
                "the tray says in sync");
        d.table("databaseTable").requireCellValue(TableCell.row(0).column(1), "orders");
        String written = Files.readString(location.file());
        assertTrue(written.endsWith("databases:\n  - name: orders\n    path: " + folder.resolve("orders.db") + "\n"),
                written);
        assertEquals(Cluster.dump(folder.resolve("orders.db")), Cluster.dump(agent.replicaPath("orders")));
    }

    @Test
    void cancelStopsTheFirstCopyAndTakesTheDatabaseOutAgain() throws Exception {
        Cluster.run(folder.resolve("big.db"), "CREATE TABLE doc(id INTEGER PRIMARY KEY, body BLOB)",
                "INSERT INTO doc(body) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000)"
                        + " SELECT randomblob(3000) FROM n");
        launch();
        FrameFixture d = dashboard();
        gui.click(d.button("welcomeAdd"));
        DialogFixture add = findDialog("databaseDialog").withTimeout(30, TimeUnit.SECONDS).using(robot);
        add.textBox("pathField").enterText(folder.resolve("big.db").toString());
        waitFor(() -> add.button("databaseOk").target().isEnabled(), "big.db can be added");
        gui.click(add.button("databaseOk"));
        DialogFixture copy = findDialog("cloneDialog").withTimeout(30, TimeUnit.SECONDS).using(robot);
        waitFor(() -> copy.label("cloneDetail").text().contains(" copied"), "the copy reports its progress");
        shot("first-copy.png");
        gui.click(copy.button("cloneCancel"));
        waitFor(() -> copy.label("cloneDetail").text().contains("big was not added"), "cancelled");
        shot("first-copy-cancelled.png");
        assertEquals(0, ConfigLoader.load(location.file()).databases().size(), Files.readString(location.file()));
        assertFalse(Files.exists(agent.replicaPath("big")), "nothing of the copy is kept");
        assertFalse(Files.exists(agent.replicaPath("big").resolveSibling("big.db.cloning")));
        gui.click(copy.button("cloneClose"));
        d.button("welcomeAdd").requireVisible();
    }

    @Test
    void editChangesTheSettingsInTheFileAndTheEngine() throws Exception {
        configured();
        FrameFixture d = dashboard();
        d.table("databaseTable").selectRows(0);
        gui.click(d.button("editDatabase"));
        DialogFixture edit = findDialog("databaseDialog").withTimeout(30, TimeUnit.SECONDS).using(robot);
        edit.textBox("pathField").requireNotEditable();
        edit.textBox("intervalField").deleteText().enterText("25 h");
        waitFor(() -> edit.label("configProblems").text().contains("is out of range"), "the interval's bounds");
        edit.textBox("intervalField").deleteText().enterText("5 min");
        // The checks' answer packs the dialog, which closes an open drop-down: choose once they have answered.
        waitFor(() -> edit.button("databaseOk").target().isEnabled(), "the interval is valid");
        edit.comboBox("conflictCombo").selectItem(1);
        waitFor(() -> edit.comboBox("conflictCombo").target().getSelectedIndex() == 1
                && edit.button("databaseOk").target().isEnabled(), "hub-wins chosen, and valid");
        shot("edit-database.png");
        gui.click(edit.button("databaseOk"));
        // A new conflict policy restarts the database's sync: it is away from the engine for a moment.
        waitFor(() -> agent.mirroredNames().contains("orders")
                && agent.interval("orders").value().equals(Duration.ofMinutes(5)), "the engine syncs every 5 min");
        String written = Files.readString(location.file());
        assertTrue(written.startsWith("# ShareMirror's configuration, written by its dashboard"), written);
        assertTrue(written.endsWith("    sync_interval: 300\n    conflict: hub-wins\n"), written);
        assertEquals(ConflictPolicy.HUB_WINS, agent.config().database("orders").orElseThrow().conflict());
    }

    @Test
    void pauseForAnHourThenRemoveWithWritesWaitingPushesThemFirst() throws Exception {
        configured();
        FrameFixture d = dashboard();
        JPopupMenuFixture menu = openMenu(d);
        menu.menuItem("pause").click();
        menu.menuItem("pause-hour").click();
        // Its hour; within the last hour of the day the pause ends tomorrow, and the date comes first.
        LocalDateTime end = LocalDateTime.now().plusHours(1);
        String until = (end.toLocalDate().equals(LocalDate.now()) ? "" : end.toLocalDate() + " ")
                + String.format("%02d", end.getHour());
        waitFor(() -> tray().getToolTip().startsWith("ShareMirror: In sync, paused until " + until), "paused an hour");
        waitFor(() -> d.toggleButton("pauseButton").target().getText().startsWith("Paused until " + until),
                "the dashboard says so");
        assertTrue(agent.paused().isPresent());
        shot("paused.png");

        Path replica = agent.replicaPath("orders");
        Cluster.run(replica, "INSERT INTO orders(item, qty) VALUES('staples', 500)",
                "UPDATE customer SET name = 'Ada L.' WHERE id = 1", "DELETE FROM orders WHERE id = 3");
        d.table("databaseTable").selectRows(0);
        waitFor(() -> d.table("pendingTable").rowCount() == 3, "the waiting writes are listed");
        String listed = String.join("; ", java.util.Arrays.stream(d.table("pendingTable").contents())
                .map(r -> r[0] + " " + r[1] + " " + r[2]).toList());
        assertTrue(listed.contains("orders 5001 insert") && listed.contains("customer 1 update")
                && listed.contains("orders 3 delete"), listed);
        assertTrue(d.table("pendingTable").valueAt(TableCell.row(0).column(3)).matches("\\d\\d:\\d\\d:\\d\\d"),
                "a local time, not a clock number");
        shot("pending-writes.png");

        samba.stopServer();
        try {
            gui.click(d.button("removeDatabase"));
            JOptionPaneFixture ask = gui.optionPane();
            shot("remove-database.png");
            gui.press(ask.okButton());
            JOptionPaneFixture refused = gui.optionPane();
            refused.requireErrorMessage().requireMessage(Pattern.compile(".*refused.*3 pending writes.*", Pattern.DOTALL));
            gui.press(refused.okButton());
            assertEquals(1, ConfigLoader.load(location.file()).databases().size(), "nothing changed");
            assertEquals(3, agent.pendingWrites("orders"));
        } finally {
            samba.startServer();
        }
        gui.click(d.button("removeDatabase"));
        JOptionPaneFixture ask = gui.optionPane();
        gui.check(ask.checkBox("deleteReplica"));
        gui.press(ask.okButton());
        waitFor(() -> !Files.exists(replica), "the replica is deleted");
        assertEquals("1", Cluster.scalar(folder.resolve("orders.db"), "SELECT count(*) FROM orders WHERE item = 'staples'"),
                "the waiting writes were pushed first");
        assertEquals("Ada L.", Cluster.scalar(folder.resolve("orders.db"), "SELECT name FROM customer WHERE id = 1"));
        assertTrue(Files.readString(location.file()).endsWith("databases: []\n"), Files.readString(location.file()));
        waitFor(() -> d.button("welcomeAdd").target().isShowing(), "back to the welcome screen");
    }

    @Test
    void aConflictIsCountedEverywhereUntilMarkedReviewed() throws Exception {
        configured();
        FrameFixture d = dashboard();
        agent.pause(new AgentControl.Pause(null));
        Cluster.run(agent.replicaPath("orders"), "UPDATE orders SET item = 'ours' WHERE id = 1");
        OtherPrograms.sqlite3(folder.resolve("orders.db"), "UPDATE orders SET item = 'theirs' WHERE id = 1;");
        agent.syncNow("orders").get(30, TimeUnit.SECONDS);
        agent.resume();
        waitFor(() -> tray().getToolTip().endsWith("· 1 conflict to review"), "the tooltip counts it");
        waitFor(() -> d.tabbedPane("tabs").target().getTitleAt(2).equals("Conflicts (1)"), "the tab counts it");
        // The desktop notification: AWT's own balloon by the tray icon, with the news in a label.
        Window[] balloon = new Window[1];
        waitFor(() -> {
            balloon[0] = GuiActionRunner.execute(() -> java.util.Arrays.stream(Window.getWindows())
                    .filter(w -> w.isShowing() && w.getClass().getName().contains("Balloon")
                            && labels(w).contains("orders: 1 conflict resolved")).findFirst().orElse(null));
            return balloon[0] != null;
        }, "a notification tells of the conflict");
        shot("conflict-to-review.png");
        robot.click(balloon[0]); // dismissed, so it covers nothing the test clicks next
        waitFor(() -> !GuiActionRunner.execute(balloon[0]::isShowing), "the notification is dismissed");
        JPopupMenuFixture menu = openMenu(d);
        assertEquals("Review Conflicts (1)…", menu.menuItem("reviewConflicts").target().getText());
        menu.menuItem("reviewConflicts").click();
        waitFor(() -> d.tabbedPane("tabs").target().getSelectedIndex() == 2, "the menu opens the Conflicts tab");
        waitFor(() -> d.table("conflictTable").rowCount() == 1, "listed");
        assertTrue(d.table("conflictTable").valueAt(TableCell.row(0).column(0)).matches("\\d\\d:\\d\\d:\\d\\d"),
                "a local time");
        assertEquals("new", d.table("conflictTable").valueAt(TableCell.row(0).column(8)));
        d.table("conflictTable").selectRows(0);
        shot("conflicts-review.png");
        gui.click(d.button("markReviewed"));
        waitFor(() -> !tray().getToolTip().contains("to review"), "reviewed: the tooltip stops counting");
        waitFor(() -> d.tabbedPane("tabs").target().getTitleAt(2).equals("Conflicts"), "and the tab");
        waitFor(() -> !d.table("conflictTable").valueAt(TableCell.row(0).column(8)).equals("new"), "and the row");
    }

    // ------------------------------------------------------------------ helpers

    /** Types a file into the Add dialog and waits until the check named says {@code text}. */
    private void checkSays(DialogFixture add, Path file, String check, String text) throws Exception {
        add.textBox("pathField").deleteText().enterText(file.toString());
        waitFor(() -> label(add, check).contains(text), check + " says \"" + text + "\" for " + file);
        add.button("databaseOk").requireDisabled();
    }

    private String label(DialogFixture dialog, String name) {
        return gui.label(dialog, name);
    }

    private FrameFixture dashboard() {
        FrameFixture d = gui.dashboard();
        d.resizeTo(new java.awt.Dimension(1000, 640));
        d.moveTo(new java.awt.Point(0, 40));
        return d;
    }

    /** The text of every AWT label in a window (the notification balloon is made of them). */
    private static String labels(java.awt.Container c) {
        StringBuilder out = new StringBuilder();
        for (java.awt.Component child : c.getComponents()) {
            if (child instanceof java.awt.Label l) {
                out.append(l.getText()).append('\n');
            } else if (child instanceof java.awt.Container inner) {
                out.append(labels(inner));
            }
        }
        return out.toString();
    }

    private JPopupMenuFixture openMenu(FrameFixture d) throws Exception {
        return gui.openMenu(d);
    }

    private static TrayIcon tray() {
        return Gui.tray();
    }

    private void shot(String name) throws Exception {
        gui.shot(name);
    }
}
