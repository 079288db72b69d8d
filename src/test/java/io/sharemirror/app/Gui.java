package io.sharemirror.app;

import static io.sharemirror.app.XDisplay.waitFor;
import static org.assertj.swing.finder.JOptionPaneFinder.findOptionPane;
import static org.assertj.swing.finder.WindowFinder.findFrame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.ui.TrayApp;

import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.Window;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.swing.JLabel;
import javax.swing.JPopupMenu;
import javax.swing.SwingUtilities;
import org.assertj.swing.core.BasicRobot;
import org.assertj.swing.core.Robot;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.DialogFixture;
import org.assertj.swing.fixture.FrameFixture;
import org.assertj.swing.fixture.JButtonFixture;
import org.assertj.swing.fixture.JCheckBoxFixture;
import org.assertj.swing.fixture.JOptionPaneFixture;
import org.assertj.swing.fixture.JPopupMenuFixture;
import org.junit.jupiter.api.TestInfo;

/** What the GUI tests do to the tray app as a person would, on the real X display, and the pictures they take. */
final class Gui {

    /** Screenshots land here, for people to look at (and for the README). */
    static final Path SHOTS = Path.of("target", "screenshots");

    final Robot robot;
    private final String display;
    private final EdtWatch edt;

    /** Made before the app starts, so that the watch on Swing's threading sees all of it. */
    Gui(String display) {
        this.display = display;
        edt = EdtWatch.start();
        robot = BasicRobot.robotWithCurrentAwtHierarchy();
        robot.settings().delayBetweenEvents(20);
    }

    FrameFixture dashboard() {
        return findFrame("dashboard").withTimeout(30, TimeUnit.SECONDS).using(robot);
    }

    /** The option pane that is showing. */
    JOptionPaneFixture optionPane() {
        return findOptionPane().withTimeout(30, TimeUnit.SECONDS).using(robot);
    }

    /**
     * Presses the button that closes a dialog as Enter or its mnemonic would, not with the mouse, and waits until the
     * dialog is gone. Xvfb runs no window manager, and AWT can keep the place a dialog was first mapped at (0,0) after
     * the dialog moved to its real place: a click aimed from there misses (seen: a confirmation closed with no answer;
     * and a wait for AWT to report the dialog's real place that never ended while a screenshot showed it there). Until
     * a modal dialog is gone, a click on the window behind it is lost.
     */
    void press(JButtonFixture button) throws Exception {
        Window dialog = GuiActionRunner.execute(() -> SwingUtilities.getWindowAncestor(button.target()));
        click(button);
        waitFor(() -> !GuiActionRunner.execute(dialog::isShowing), "the dialog closed");
        robot.waitForIdle();
    }

    /**
     * As {@link #press}, for a button whose window stays. Also where a mouse click could miss: the dashboard's details
     * move as what they show arrives. Not for a button that opens a modal dialog itself (it would wait for the dialog).
     */
    void click(JButtonFixture button) {
        button.requireVisible().requireEnabled();
        GuiActionRunner.execute(() -> button.target().doClick());
        robot.waitForIdle();
    }

    /**
     * The dashboard's Menu button opens the tray's menu; each opening builds a new one. Pressed without the mouse: a
     * notification balloon by the tray icon may cover the button.
     */
    /** Ticks a box as the space bar would: a mouse click aimed at a dialog placed without a window manager can miss. */
    void check(JCheckBoxFixture box) {
        box.requireVisible().requireEnabled();
        GuiActionRunner.execute(() -> box.target().setSelected(true));
        robot.waitForIdle();
    }

    JPopupMenuFixture openMenu(FrameFixture d) throws Exception {
        click(d.button("menuButton"));
        return new JPopupMenuFixture(robot, showingMenu());
    }

    JPopupMenu showingMenu() throws Exception {
        JPopupMenu[] found = new JPopupMenu[1];
        waitFor(() -> {
            var menus = robot.finder().findAll(c -> c instanceof JPopupMenu m && "trayMenu".equals(m.getName())
                    && m.isShowing());
            found[0] = menus.isEmpty() ? null : (JPopupMenu) menus.iterator().next();
            return found[0] != null;
        }, "the menu opens");
        return found[0];
    }

    /**
     * The text of the showing label named {@code name} in {@code dialog}, empty when none shows; without the zero-width
     * spaces the dialogs put after path separators so that a long path wraps.
     */
    String label(DialogFixture dialog, String name) {
        return GuiActionRunner.execute(() -> {
            var found = robot.finder().findAll(dialog.target(), c -> c instanceof JLabel l && name.equals(l.getName())
                    && l.isShowing());
            return found.isEmpty() ? "" : ((JLabel) found.iterator().next()).getText().replace("\u200B", "");
        });
    }

    static TrayIcon tray() {
        TrayIcon[] icons = SystemTray.getSystemTray().getTrayIcons();
        assertEquals(1, icons.length, "one ShareMirror icon in the tray");
        return icons[0];
    }

    /** The whole screen, the tray included, once what was asked for has painted. */
    void shot(String name) throws Exception {
        robot.waitForIdle();
        Thread.sleep(600); // Xvfb shows what Swing painted a moment later: for the picture, no assertion reads it
        Files.createDirectories(SHOTS);
        XDisplay.screenshot(display, SHOTS.resolve(name));
    }

    /**
     * The screen as the test left it (what to look at first when one fails), the robot's cleanup, then Quit, which
     * must have stopped everything within a minute, and no Swing call off the event dispatch thread all along.
     */
    void finish(TestInfo test, TrayApp app, CountDownLatch exited) throws Exception {
        try (edt) {
            Files.createDirectories(SHOTS.resolve("last"));
            XDisplay.screenshot(display, SHOTS.resolve("last").resolve(test.getTestMethod().orElseThrow().getName()
                    + ".png"));
            robot.cleanUp();
            if (app != null) {
                app.quit();
                assertTrue(exited.await(60, TimeUnit.SECONDS), "Quit finished");
            }
        }
    }
}
