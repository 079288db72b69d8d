package io.sharemirror.ui.freedesktop;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/** The part of org.kde.StatusNotifierWatcher an item uses: the panel's watcher is told where the item lives. */
@DBusInterfaceName("org.kde.StatusNotifierWatcher")
public interface WatcherInterface extends DBusInterface {

    String BUS_NAME = "org.kde.StatusNotifierWatcher";
    String PATH = "/StatusNotifierWatcher";

    void RegisterStatusNotifierItem(String service);
}
