package io.sharemirror.ui.freedesktop;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;

/**
 * org.kde.StatusNotifierItem as the specification defines it: the methods a host calls on the item, and the signals
 * that tell the host to read a property again. The properties themselves are served by {@link ItemExport}.
 */
@DBusInterfaceName("org.kde.StatusNotifierItem")
public interface ItemInterface extends DBusInterface {

    /** The primary action: a left click. */
    void Activate(int x, int y);

    /** A middle click. */
    void SecondaryActivate(int x, int y);

    /** Asked only by hosts that cannot show the exported menu themselves. */
    void ContextMenu(int x, int y);

    void Scroll(int delta, String orientation);

    class NewIcon extends DBusSignal {
        public NewIcon(String path) throws DBusException {
            super(path);
        }
    }

    class NewToolTip extends DBusSignal {
        public NewToolTip(String path) throws DBusException {
            super(path);
        }
    }

    class NewTitle extends DBusSignal {
        public NewTitle(String path) throws DBusException {
            super(path);
        }
    }
}
