package io.sharemirror.ui;

import io.sharemirror.status.Notices;
import io.sharemirror.status.StatusModel;
import io.sharemirror.status.StatusSnapshot;
import io.sharemirror.ui.freedesktop.DesktopNotifications;
import io.sharemirror.ui.freedesktop.Pixels;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import javax.swing.SwingUtilities;
import org.freedesktop.dbus.exceptions.DBusException;
import org.tinylog.Logger;

/**
 * Turns status changes worth knowing into desktop notifications ({@link Notices} decides which, at most once per
 * {@link #QUIET} for the same news about the same database): through the session's notification server where there
 * is one, otherwise as a balloon of the XEmbed tray icon.
 */
final class Notifier implements AutoCloseable {

    /** The same news about the same database at most this often. */
    static final Duration QUIET = Duration.ofMinutes(5);
    private static final int ICON_SIZE = 64;

    private final AgentControl agent;
    private final DesktopNotifications server;
    private final Supplier<TrayPresence> balloons;
    private final Notices notices = new Notices(Instant::now, QUIET);
    private final StatusModel.Listener listener = this::statusChanged;
    /** The bus call waits on another process: never on the engine's or the event thread. */
    private final ExecutorService sender = Executors.newSingleThreadExecutor(task -> {
        Thread t = new Thread(task, "sharemirror-notify");
        t.setDaemon(true);
        return t;
    });
    private Pixels icon;

    /**
     * @param server   the session's notification server, or null where there is none
     * @param balloons the XEmbed tray icon when there is one (asked on the event thread), or null
     */
    Notifier(AgentControl agent, DesktopNotifications server, Supplier<TrayPresence> balloons) {
        this.agent = agent;
        this.server = server;
        this.balloons = balloons;
        agent.subscribe(listener);
    }

    private void statusChanged(StatusSnapshot snapshot) {
        var news = notices.next(snapshot); // always, so turning them on later does not replay old news
        if (!agent.notificationsEnabled()) {
            return;
        }
        for (Notices.Notice n : news) {
            boolean urgent = switch (n.kind()) {
                case OFFLINE, FAILED, CLOCK -> true;
                case RECOVERED, CONFLICTS, WAITING, MOVED -> false;
            };
            if (server != null) {
                sender.execute(() -> send(n, urgent));
            } else {
                SwingUtilities.invokeLater(() -> balloon(n, urgent));
            }
        }
    }

    private void send(Notices.Notice n, boolean urgent) {
        try {
            if (icon == null) {
                icon = StateIcons.pixels("app", ICON_SIZE);
            }
            server.show(n.title(), n.text(), icon, urgent);
            Logger.info("notification sent: {}", n.title());
        } catch (DBusException | RuntimeException e) {
            Logger.warn("the notification server did not take \"{}\": {}", n.title(), e.getMessage());
        }
    }

    private void balloon(Notices.Notice n, boolean urgent) {
        TrayPresence tray = balloons.get();
        if (tray == null) {
            Logger.info("no notification server and no tray icon to tell: {}", n.title());
        } else {
            tray.balloon(n.title(), n.text(), urgent);
        }
    }

    @Override
    public void close() {
        agent.unsubscribe(listener);
        sender.shutdownNow();
    }
}
