package io.sharemirror.ui.freedesktop;

import io.sharemirror.ui.menu.MenuEntry;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;

/**
 * ShareMirror's tray icon as a StatusNotifierItem: the item and its menu exported on the session bus under a name of
 * their own and registered with the panel's StatusNotifierWatcher (again by {@link #register()} when a new watcher
 * takes over, a panel restarting). Calls here wait on the bus: never on the event thread.
 */
public final class StatusNotifier implements AutoCloseable {

    private final SessionBus bus;
    private final String busName;
    private final ItemExport item;
    private final MenuExport menu;

    /** What the host shows: title, tooltip, and the icon at several sizes (the host picks the one it needs). */
    public record Look(String title, String tooltipTitle, String tooltipText, List<Pixels> icon) {
    }

    /**
     * Exports the item and its menu under {@code org.kde.StatusNotifierItem-PID-1}; nothing is shown until
     * {@link #register()}.
     *
     * @param uiThread    where menu actions run
     * @param currentMenu the menu as it is now, read when the host is about to show it (off the event thread)
     * @param headingIcon PNG bytes of a heading's icon
     * @param activate    a click on the icon
     */
    public StatusNotifier(SessionBus bus, Look look, List<MenuEntry> entries, Executor uiThread,
                          Supplier<List<MenuEntry>> currentMenu, Function<MenuEntry.Heading, byte[]> headingIcon,
                          Runnable activate) throws DBusException {
        this.bus = bus;
        this.busName = "org.kde.StatusNotifierItem-" + ProcessHandle.current().pid() + "-1";
        this.item = new ItemExport(bus.connection(), "sharemirror", look, activate);
        this.menu = new MenuExport(bus.connection(), uiThread, currentMenu, headingIcon);
        menu.show(entries);
        bus.connection().exportObject(ItemExport.PATH, item);
        bus.connection().exportObject(MenuExport.PATH, menu);
        bus.connection().requestBusName(busName);
    }

    /** Tells the watcher that owns the name now about the item; fails when there is none or it refuses. */
    public void register() throws DBusException {
        try {
            bus.connection().getRemoteObject(WatcherInterface.BUS_NAME, WatcherInterface.PATH, WatcherInterface.class)
                    .RegisterStatusNotifierItem(busName);
        } catch (DBusExecutionException e) {
            throw new DBusException("the StatusNotifierWatcher refused the item: " + e.getMessage(), e);
        }
    }

    public String busName() {
        return busName;
    }

    public void show(Look look) throws DBusException {
        item.show(look);
    }

    public void menu(List<MenuEntry> entries) throws DBusException {
        menu.show(entries);
    }

    /** Takes the item off the bus: the host drops its icon when the name goes. */
    @Override
    public void close() {
        try {
            bus.connection().releaseBusName(busName);
        } catch (DBusException | DBusExecutionException e) {
            // the bus is going away too
        }
        bus.connection().unExportObject(ItemExport.PATH);
        bus.connection().unExportObject(MenuExport.PATH);
    }
}
