package io.sharemirror.ui;

import io.sharemirror.status.StatusModel;
import io.sharemirror.status.StatusSnapshot;
import java.awt.AWTException;
import java.awt.Point;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.swing.JPopupMenu;
import javax.swing.JWindow;
import javax.swing.SwingUtilities;
import javax.swing.Timer;
import javax.swing.event.PopupMenuEvent;
import javax.swing.event.PopupMenuListener;
import org.tinylog.Logger;

/**
 * The icon in the system tray: its image and tooltip follow the status model, the pause and the conflicts waiting to be
 * reviewed ({@link TrayLook}); a left click opens the dashboard, the other button opens the menu. The XEmbed protocol:
 * trays that do not host StatusNotifierItems.
 */
final class TrayPresence implements AutoCloseable {

    static final int LOOK_AGAIN_MS = 5000;

    private final AgentControl agent;
    private final Background background;
    private final TrayMenu menu;
    private final TrayIcon icon;
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private final AtomicBoolean lookOnceMore = new AtomicBoolean();
    private final StatusModel.Listener listener = this::statusChanged;
    /** Holds the menu: a Swing popup needs a window, and the tray gives it none. */
    private final JWindow menuOwner = new JWindow();
    /** A pause ends and conflicts are reviewed elsewhere without a status change: look again now and then. */
    private final Timer lookAgain = new Timer(LOOK_AGAIN_MS, e -> lookAgain());
    private TrayLook shown;
    private String stopping;

    TrayPresence(AgentControl agent, Background background, TrayMenu menu, Runnable openDashboard) throws AWTException {
        this.agent = agent;
        this.background = background;
        this.menu = menu;
        // The conflicts to review come from state.db: counted on the background thread right after.
        shown = new TrayLook(agent.statusSnapshot(), agent.paused(), 0);
        icon = new TrayIcon(StateIcons.tray(shown, SystemTray.getSystemTray().getTrayIconSize()), shown.tooltip());
        icon.setImageAutoSize(false);
        icon.addMouseListener(new MouseAdapter() {
            @Override
            public void mouseReleased(MouseEvent e) {
                if (e.isPopupTrigger() || e.getButton() == MouseEvent.BUTTON3) {
                    showMenu(e.getLocationOnScreen());
                } else if (e.getButton() == MouseEvent.BUTTON1) {
                    openDashboard.run();
                }
            }
        });
        icon.addActionListener(e -> openDashboard.run()); // the platform's default action (Enter, double click)
        SystemTray.getSystemTray().add(icon);
        agent.subscribe(listener);
        lookAgain.start();
        lookAgain();
        Logger.info("tray icon added ({} px)", SystemTray.getSystemTray().getTrayIconSize().width);
    }

    /** Opens the menu at a screen point, with settings read off the event thread first. */
    void showMenu(Point at) {
        background.run(menu::read, settings -> {
            JPopupMenu popup = menu.build(settings);
            menuOwner.setLocation(at);
            menuOwner.setSize(1, 1);
            menuOwner.setAlwaysOnTop(true);
            menuOwner.setVisible(true);
            popup.addPopupMenuListener(new PopupMenuListener() {
                @Override
                public void popupMenuWillBecomeVisible(PopupMenuEvent e) {
                }

                @Override
                public void popupMenuWillBecomeInvisible(PopupMenuEvent e) {
                    menuOwner.setVisible(false);
                }

                @Override
                public void popupMenuCanceled(PopupMenuEvent e) {
                    menuOwner.setVisible(false);
                }
            });
            // Only once the owner window is mapped can the popup be placed against it.
            SwingUtilities.invokeLater(() -> popup.show(menuOwner, 0, 0));
        }, e -> Logger.warn("the tray menu could not read the agent's settings: {}", Failures.describe(e)));
    }

    /** Quit in progress: the tooltip says why the icon is still there. */
    void stopping(String why) {
        stopping = why;
        icon.setToolTip("ShareMirror: " + why);
    }

    /** A notification as the tray's own balloon, where the desktop has no notification server. */
    void balloon(String title, String text, boolean warning) {
        icon.displayMessage(title, text, warning ? TrayIcon.MessageType.WARNING : TrayIcon.MessageType.INFO);
    }

    private void statusChanged(StatusSnapshot snapshot) {
        lookAgain();
    }

    /**
     * Reads the look off the event thread (state.db counts the conflicts), then shows it; one read at a time, and one
     * more after it when something changed while it ran.
     */
    void lookAgain() {
        if (refreshQueued.compareAndSet(false, true)) {
            background.run(() -> TrayMenu.look(agent), this::show, e -> refreshQueued.set(false));
        } else {
            lookOnceMore.set(true);
        }
    }

    private void show(TrayLook look) {
        refreshQueued.set(false);
        if (lookOnceMore.getAndSet(false)) {
            lookAgain();
        }
        if (stopping != null) {
            return;
        }
        if (!look.icon().equals(shown.icon()) || look.attention() != shown.attention()
                || look.pause().isPresent() != shown.pause().isPresent()) {
            icon.setImage(StateIcons.tray(look, SystemTray.getSystemTray().getTrayIconSize()));
        }
        shown = look;
        icon.setToolTip(look.tooltip());
    }

    @Override
    public void close() {
        lookAgain.stop();
        agent.unsubscribe(listener);
        SystemTray.getSystemTray().remove(icon);
        menuOwner.dispose();
    }
}
