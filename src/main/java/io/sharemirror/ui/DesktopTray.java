package io.sharemirror.ui;

import io.sharemirror.ui.freedesktop.SessionBus;
import io.sharemirror.ui.freedesktop.WatcherInterface;
import java.awt.AWTException;
import java.awt.SystemTray;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.swing.SwingUtilities;
import org.freedesktop.dbus.exceptions.DBusException;
import org.tinylog.Logger;

/**
 * Where ShareMirror shows itself, in the order today's desktops look: a StatusNotifierItem when a
 * StatusNotifierWatcher is on the session bus (KDE, Xfce, Cinnamon, GNOME with AppIndicator, every Wayland panel),
 * else an XEmbed tray icon (older trays), else the dashboard window. A watcher that appears or goes later (a panel
 * restart) is followed. The choice is made on a thread of its own, since it waits on the bus; Swing parts are
 * changed on the event thread.
 */
final class DesktopTray implements AutoCloseable {

    /** A panel restarting drops the watcher for a moment: only a longer absence makes the icon move elsewhere. */
    private static final long WATCHER_GRACE_SECONDS = 5;

    enum Protocol { STATUS_NOTIFIER_ITEM, XEMBED, WINDOW }

    /** The protocol in use and why, for the log and the Debug tab. */
    record Choice(Protocol protocol, String why) {
    }

    private final AgentControl agent;
    private final Background background;
    private final TrayMenu menu;
    private final Dashboard dashboard;
    private final Runnable openDashboard;
    private final SessionBus bus;
    private final String noBus;
    private final ScheduledThreadPoolExecutor thread = new ScheduledThreadPoolExecutor(1, task -> {
        Thread t = new Thread(task, "sharemirror-tray-host");
        t.setDaemon(true);
        return t;
    });
    private volatile Choice choice = new Choice(Protocol.WINDOW, "starting");
    private volatile SniPresence sni;
    /** Changed on the event thread only. */
    private TrayPresence xembed;

    /**
     * @param bus   the session bus, or null
     * @param noBus why there is no bus, when null
     */
    DesktopTray(AgentControl agent, Background background, TrayMenu menu, Dashboard dashboard, Runnable openDashboard,
                SessionBus bus, String noBus) {
        this.agent = agent;
        this.background = background;
        this.menu = menu;
        this.dashboard = dashboard;
        this.openDashboard = openDashboard;
        this.bus = bus;
        this.noBus = noBus;
        // A choice still waiting out a watcher's absence when the app quits must not show the window again.
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Makes the first choice and starts following the watcher; returns once the icon (or window) is up. */
    void start() throws InterruptedException {
        Future<?> first = thread.submit(() -> {
            choose();
            follow();
        });
        try {
            first.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("choosing the tray failed", e.getCause());
        }
    }

    Choice choice() {
        return choice;
    }

    /** The XEmbed icon, when that is the protocol in use; on the event thread. */
    TrayPresence xembed() {
        return xembed;
    }

    /**
     * A command finished (a setting changed, a sync ran): the StatusNotifierItem's menu is rebuilt, so a host that
     * keeps the menu it read shows the new marks, and the icons look again. Swing menus are built anew each time they
     * open. On the event thread.
     */
    void commandDone() {
        SniPresence item = sni;
        if (item != null) {
            item.refresh();
        }
        if (xembed != null) {
            xembed.lookAgain(); // a pause or a review changes its look without a status change
        }
    }

    /** Quit in progress: the tooltip says why the icon is still there. */
    void stopping(String why) {
        if (xembed != null) {
            xembed.stopping(why);
        }
        if (sni != null) {
            sni.stopping(why);
        }
    }

    private void follow() {
        if (bus == null) {
            return;
        }
        try {
            bus.followName(WatcherInterface.BUS_NAME, present -> {
                if (present) {
                    thread.execute(this::choose);
                } else {
                    Logger.info("the StatusNotifierWatcher left the session bus; waiting {} s for it to come back",
                            WATCHER_GRACE_SECONDS);
                    thread.schedule(this::choose, WATCHER_GRACE_SECONDS, TimeUnit.SECONDS);
                }
            });
        } catch (DBusException | RuntimeException e) {
            Logger.warn("a StatusNotifierWatcher that starts later will not be noticed: {}", e.getMessage());
        }
    }

    /** Picks the best protocol there is now; on this class's thread. */
    private void choose() {
        String why;
        String watcher = bus == null ? null : bus.describeOwner(WatcherInterface.BUS_NAME);
        if (bus == null) {
            why = "no session bus (" + noBus + ")";
        } else if (watcher == null) {
            why = "no StatusNotifierWatcher on the session bus";
        } else {
            try {
                sni().register();
                onEventThread(this::dropXEmbed);
                use(new Choice(Protocol.STATUS_NOTIFIER_ITEM, "org.kde.StatusNotifierWatcher is on the session bus ("
                        + watcher + ")"));
                return;
            } catch (DBusException | RuntimeException e) {
                why = "the StatusNotifierWatcher (" + watcher + ") did not take the item: " + e.getMessage();
            }
        }
        String noSni = why;
        onEventThread(() -> fallBack(noSni));
    }

    private SniPresence sni() throws DBusException {
        if (sni == null) {
            sni = new SniPresence(agent, bus, menu, thread, openDashboard);
        }
        return sni;
    }

    /** No StatusNotifierWatcher: the XEmbed tray, or the window where there is none either. On the event thread. */
    private void fallBack(String noSni) {
        if (xembed != null) {
            use(new Choice(Protocol.XEMBED, noSni + "; an XEmbed system tray is there"));
            return;
        }
        if (SystemTray.isSupported()) {
            try {
                xembed = new TrayPresence(agent, background, menu, openDashboard);
                dashboard.standalone(false);
                use(new Choice(Protocol.XEMBED, noSni + "; an XEmbed system tray is there"));
                return;
            } catch (AWTException e) {
                Logger.warn("the system tray refused the icon ({}); showing the dashboard window instead", e.getMessage());
                use(new Choice(Protocol.WINDOW, noSni + "; the XEmbed system tray refused the icon"));
            }
        } else {
            Logger.warn("this desktop has no system tray (on GNOME, the AppIndicator extension provides one);"
                    + " showing the dashboard window instead");
            use(new Choice(Protocol.WINDOW, noSni + "; no XEmbed system tray either"));
        }
        dashboard.standalone(true);
        dashboard.bringForward();
    }

    private void dropXEmbed() {
        if (xembed != null) {
            xembed.close();
            xembed = null;
        }
        dashboard.standalone(false);
    }

    private void use(Choice next) {
        if (!next.equals(choice)) {
            Logger.info("tray protocol: {} ({})", next.protocol(), next.why());
        }
        choice = next;
    }

    private static void onEventThread(Runnable work) {
        try {
            SwingUtilities.invokeAndWait(work);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** On the event thread: the icon goes; the item leaves the bus. */
    @Override
    public void close() {
        if (xembed != null) {
            xembed.close();
        }
        thread.execute(() -> {
            if (sni != null) {
                sni.close();
            }
            if (bus != null) {
                bus.close();
            }
        });
        thread.shutdown();
    }
}
