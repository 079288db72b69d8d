package io.sharemirror.app;

import static org.assertj.swing.finder.WindowFinder.findDialog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.config.ConfigLoader;
import io.sharemirror.platform.ConfigLocation;
import io.sharemirror.platform.StartAtLogin;
import io.sharemirror.store.Cluster;
import io.sharemirror.ui.AgentControl;
import io.sharemirror.ui.TrayApp;
import java.awt.Dimension;
import java.awt.Point;
import java.awt.TrayIcon;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.assertj.swing.data.TableCell;
import org.assertj.swing.fixture.DialogFixture;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows that wait, as a person at the desktop meets them, under a real X server with a tray host: the tray says so
 * (never "In sync"), the Waiting tab lists them with the ways out, Keep Both refuses a value that clashes again in its
 * dialog and takes one that does not, after which everything is in sync. A row made here that was renumbered is listed
 * in History. The clash is {@link ClashingDesktops}'.
 */
class WaitingRowsGuiTest {

    @TempDir
    Path dir;

    private Path hub;
    private Path replica;
    private Agent agent;
    private TrayApp app;
    private Gui gui;
    private final CountDownLatch exited = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        String display = XDisplay.ensure(true);
        Path config = ClashingDesktops.share(dir, "  sync_interval: 3600\n");
        hub = dir.resolve("share").resolve("orders.db");
        agent = Agent.open(ConfigLoader.load(config));
        agent.pause(new AgentControl.Pause(null)); // the test decides when it syncs
        agent.start();
        agent.syncNow("orders").get(30, TimeUnit.SECONDS);
        replica = agent.replicaPath("orders");
        ClashingDesktops.clash(dir, replica);
        agent.syncNow("orders").get(30, TimeUnit.SECONDS);
        agent.resume();
        DesktopControl control = new DesktopControl(agent, new ConfigLocation(config, "--config", false),
                StartAtLogin.forThisUser());
        control.setNotificationsEnabled(false); // its balloon would cover the dashboard in the pictures (NoticesTest has it)
        app = TrayApp.start(control, () -> false, exited::countDown);
        gui = new Gui(display);
        app.showDashboard();
    }

    @AfterEach
    void stop(TestInfo test) throws Exception {
        if (gui != null) {
            gui.finish(test, app, exited);
        }
        agent.close();
    }

    @Test
    void waitingRowsAreShownWithTheirWaysOutAndKeepBothSettlesThem() throws Exception {
        TrayIcon icon = Gui.tray();
        XDisplay.waitFor(() -> icon.getToolTip().startsWith("ShareMirror: Rows waiting"), "the tray says rows wait");
        assertTrue(icon.getToolTip().contains("rows wait, first: orders: supplier"), icon.getToolTip());
        FrameFixture d = gui.dashboard();
        d.resizeTo(new Dimension(1100, 640));
        d.moveTo(new Point(0, 40));
        d.label("overall").requireText(Pattern.compile("Rows waiting — .*rows wait.*"));

        d.tabbedPane("tabs").selectTab("Waiting (2)");
        XDisplay.waitFor(() -> d.table("waitingTable").rowCount() == 2, "both sides of the clash are listed");
        int ours = d.table("waitingTable").cell("made here").row();
        d.table("waitingTable").selectRows(ours);
        assertEquals("[10]", d.table("waitingTable").valueAt(TableCell.row(ours).column(3)));
        d.textBox("waitingExplained").requireText(Pattern.compile("(?s)orders: supplier \\[10\\] \\(made here\\) breaks"
                + " UNIQUE \\(code\\) with code = 'NEW'.*Keep Mine: .*Keep Theirs: .*Keep Both: .*"));
        gui.shot("dashboard-waiting.png");

        d.button("keepBoth").click();
        DialogFixture both = findDialog("keepBothDialog").withTimeout(30, TimeUnit.SECONDS).using(gui.robot);
        both.radioButton("waitingRow").requireSelected().requireText("supplier [10], this computer's");
        both.textBox("value-code").setText("S1");
        gui.click(both.button("keepBothOk"));
        XDisplay.waitFor(() -> both.label("keepBothProblem").text().contains("code = 'S1' is held by supplier [1]"),
                "a value that clashes again is refused in the dialog");
        gui.shot("keep-both-refused.png");
        both.textBox("value-code").setText("NEW-2");
        gui.press(both.button("keepBothOk"));

        XDisplay.waitFor(() -> "1=S1,10=NEW-2,20=NEW".equals(Cluster.scalar(hub, "SELECT group_concat(id || '=' || code)"
                + " FROM (SELECT * FROM supplier ORDER BY id)")), "both rows are on the hub");
        XDisplay.waitFor(() -> d.table("waitingTable").rowCount() == 0, "nothing waits");
        XDisplay.waitFor(() -> icon.getToolTip().startsWith("ShareMirror: In sync"), "the tray is in sync again");

        d.tabbedPane("tabs").selectTab("History");
        XDisplay.waitFor(() -> d.table("renumberedTable").rowCount() == 1, "the renumbered part is listed");
        assertTrue(String.valueOf(d.table("renumberedTable").valueAt(TableCell.row(0).column(5)))
                .startsWith("part 5 made here was renumbered "), "the history says what happened");
        gui.shot("dashboard-history-renumbered.png");
    }
}
