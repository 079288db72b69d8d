package io.sharemirror.ui.freedesktop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.tinylog.Logger;

/**
 * This user's D-Bus session bus, where Linux desktops offer a tray (a StatusNotifierWatcher) and notifications.
 * Every call here may wait on another process: never call it on the event thread.
 */
public final class SessionBus implements AutoCloseable {

    private final DBusConnection connection;
    private final DBus daemon;

    private SessionBus(DBusConnection connection) throws DBusException {
        this.connection = connection;
        this.daemon = connection.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
    }

    /** The session bus, or why there is none: no address in the environment, or nobody answered there. */
    public static Connected connect() {
        String address = System.getenv("DBUS_SESSION_BUS_ADDRESS");
        if (address == null || address.isBlank()) {
            return new Connected(null, "DBUS_SESSION_BUS_ADDRESS is not set");
        }
        try {
            // Calls are answered one at a time, in the order they came. A panel's libdbusmenu asks for a menu's items
            // in several GetGroupProperties calls at once, a submenu's entry in one and its children in the next, and
            // drops children whose entry it has not built yet: answered on dbus-java's several threads, out of order,
            // a submenu then opened empty in the panel until the menu was next rebuilt whole.
            DBusConnection connection = DBusConnectionBuilder.forSessionBus().withShared(false)
                    .receivingThreadConfig().withMethodCallThreadCount(1).connectionConfig().build();
            return new Connected(new SessionBus(connection), "connected to " + address);
        } catch (DBusException | RuntimeException e) {
            return new Connected(null, "the session bus at " + address + " did not answer: " + e.getMessage());
        }
    }

    /** A bus, or null with the reason. */
    public record Connected(SessionBus bus, String why) {
    }

    DBusConnection connection() {
        return connection;
    }

    /** The unique name owning a well-known name, or null when nobody does. */
    public String owner(String name) {
        try {
            return daemon.NameHasOwner(name) ? daemon.GetNameOwner(name) : null;
        } catch (DBusExecutionException e) {
            return null; // it went between the two calls
        }
    }

    /** True when the bus would start a service for {@code name} on first use (a .service file names it). */
    boolean activatable(String name) {
        return List.of(daemon.ListActivatableNames()).contains(name);
    }

    /** "xfce4-panel (pid 123)": who owns {@code name}, for the Debug tab; null when nobody does. */
    public String describeOwner(String name) {
        String owner = owner(name);
        if (owner == null) {
            return null;
        }
        try {
            long pid = daemon.GetConnectionUnixProcessID(owner).longValue();
            String command = Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
            return owner + ", " + command + " (pid " + pid + ")";
        } catch (IOException | RuntimeException e) {
            return owner;
        }
    }

    /**
     * Calls {@code present} with true or false each time {@code name} gets an owner or loses it, on a D-Bus
     * signal thread.
     */
    public void followName(String name, Consumer<Boolean> present) throws DBusException {
        connection.addSigHandler(DBus.NameOwnerChanged.class, signal -> {
            if (signal.name.equals(name)) {
                present.accept(!signal.newOwner.isEmpty());
            }
        });
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (IOException e) {
            Logger.debug(e, "closing the session bus connection");
        }
    }
}
