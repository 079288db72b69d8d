package io.sharemirror.ui.freedesktop;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.tinylog.Logger;

/**
 * Desktop notifications through the session's org.freedesktop.Notifications server (or the one the bus starts on
 * first use), with the app's icon and an "Open Dashboard" action. Calls wait on the bus: never on the event thread.
 */
public final class DesktopNotifications {

    static final String OPEN_DASHBOARD = "open-dashboard";
    /** What a server reports when the notification itself is clicked, where it offers that. */
    private static final String DEFAULT_ACTION = "default";

    private final NotificationsInterface server;
    private final Set<UInt32> ours = ConcurrentHashMap.newKeySet();

    private DesktopNotifications(SessionBus bus, Runnable openDashboard) throws DBusException {
        server = bus.connection().getRemoteObject(NotificationsInterface.BUS_NAME, NotificationsInterface.PATH,
                NotificationsInterface.class);
        bus.connection().addSigHandler(NotificationsInterface.ActionInvoked.class, signal -> {
            if (ours.contains(signal.id)
                    && (signal.actionKey.equals(OPEN_DASHBOARD) || signal.actionKey.equals(DEFAULT_ACTION))) {
                Logger.info("notification action: {}", signal.actionKey);
                openDashboard.run();
            }
        });
    }

    /** The server of this session, or null when there is none; {@code why} says which, or why not. */
    public static Found find(SessionBus bus, Runnable openDashboard) {
        String owner = bus.describeOwner(NotificationsInterface.BUS_NAME);
        if (owner == null && !bus.activatable(NotificationsInterface.BUS_NAME)) {
            return new Found(null, "no org.freedesktop.Notifications server on the session bus");
        }
        try {
            return new Found(new DesktopNotifications(bus, openDashboard), "org.freedesktop.Notifications ("
                    + (owner == null ? "the session bus starts it on first use" : owner) + ")");
        } catch (DBusException | DBusExecutionException e) {
            return new Found(null, "org.freedesktop.Notifications could not be used: " + e.getMessage());
        }
    }

    public record Found(DesktopNotifications notifications, String why) {
    }

    /** Shows one notification; {@code urgent} ones are critical (offline, failed). */
    public void show(String summary, String body, Pixels icon, boolean urgent) throws DBusException {
        Map<String, Variant<?>> hints = Map.of(
                "urgency", new Variant<>((byte) (urgent ? 2 : 1)),
                "desktop-entry", new Variant<>("sharemirror"),
                "image-data", new Variant<>(new ImageData(icon), "(iiibiiay)"));
        try {
            UInt32 id = server.Notify("ShareMirror", new UInt32(0), "", summary, body,
                    List.of(OPEN_DASHBOARD, "Open Dashboard"), hints, -1);
            ours.add(id);
        } catch (DBusExecutionException e) {
            throw new DBusException("the notification server refused: " + e.getMessage(), e);
        }
    }
}
