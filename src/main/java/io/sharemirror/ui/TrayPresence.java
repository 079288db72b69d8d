package io.sharemirror.ui;

import io.sharemirror.status.DatabaseStatus;
import io.sharemirror.status.StatusModel;
import io.sharemirror.status.StatusSnapshot;
import io.sharemirror.status.SyncState;
import java.awt.AWTException;
import java.awt.Point;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.swing.JPopupMenu;
import javax.swing.JWindow;
import javax.swing.SwingUtilities;
import javax.swing.event.PopupMenuEvent;
import javax.swing.event.PopupMenuListener;
import org.tinylog.Logger;

/**
 * The icon in the system tray: its image and tooltip follow the status model, a left click opens the
 * dashboard, the other button opens the menu. The XEmbed protocol: trays that do not host StatusNotifierItems.
 */
final class TrayPresence implements AutoCloseable {

    private final AgentControl agent;
    private final Background background;
    private final TrayMenu menu;
    private final TrayIcon icon;
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private final StatusModel.Listener listener = this::statusChanged;
    /** Holds the menu: a Swing popup needs a window, and the tray gives it none. */
    private final JWindow menuOwner = new JWindow();
    private SyncState shown;
    private String stopping;

    TrayPresence(AgentControl agent, Background background, TrayMenu menu, Runnable openDashboard) throws AWTException {
        this.agent = agent;
        this.background = background;
        this.menu = menu;
        StatusSnapshot now = agent.status().snapshot();
        shown = now.overall();
        icon = new TrayIcon(StateIcons.tray(shown, SystemTray.getSystemTray().getTrayIconSize()), tooltip(now));
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
        agent.status().addListener(listener);
        Logger.info("tray icon added ({} px)", SystemTray.getSystemTray().getTrayIconSize().width);
    }

    SyncState shownState() {
        return shown;
    }

    String tooltip() {
        return icon.getToolTip();
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
        if (refreshQueued.compareAndSet(false, true)) {
            SwingUtilities.invokeLater(this::refresh);
        }
    }

    private void refresh() {
        refreshQueued.set(false);
        if (stopping != null) {
            return;
        }
        StatusSnapshot now = agent.status().snapshot();
        if (now.overall() != shown) {
            shown = now.overall();
            icon.setImage(StateIcons.tray(shown, SystemTray.getSystemTray().getTrayIconSize()));
        }
        icon.setToolTip(tooltip(now));
    }

    /** One line: X11 trays show no line breaks in tooltips. */
    static String tooltip(StatusSnapshot s) {
        return "ShareMirror: " + Format.state(s.overall()) + " · "
                + Format.count(s.databases().size(), "database", "databases") + " · "
                + Format.count(s.pendingWrites(), "pending write", "pending writes") + " · last sync "
                + Format.time(s.lastSync().orElse(null))
                + s.databases().stream().map(DatabaseStatus::clock).filter(c -> c != null && c.noticeable())
                        .max(Comparator.comparing(c -> c.ahead().abs())).map(c -> " · " + c.describe()).orElse("");
    }

    @Override
    public void close() {
        agent.status().removeListener(listener);
        SystemTray.getSystemTray().remove(icon);
        menuOwner.dispose();
    }
}
