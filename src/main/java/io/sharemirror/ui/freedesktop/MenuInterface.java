package io.sharemirror.ui.freedesktop;

import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * com.canonical.dbusmenu, version 3: how a StatusNotifierItem's host reads the item's menu (a tree of items with
 * integer ids, 0 the root) and tells the item which entry was clicked. Served by {@link MenuExport}.
 */
@DBusInterfaceName("com.canonical.dbusmenu")
public interface MenuInterface extends DBusInterface {

    /** The signature of one layout node, nested in its parent's children as a variant. */
    String NODE = "(ia{sv}av)";

    Pair<UInt32, Node> GetLayout(int parentId, int recursionDepth, List<String> propertyNames);

    List<ItemProperties> GetGroupProperties(List<Integer> ids, List<String> propertyNames);

    Variant<?> GetProperty(int id, String name);

    void Event(int id, String eventId, Variant<?> data, UInt32 timestamp);

    /** Returns the ids that were not found. */
    List<Integer> EventGroup(List<Event> events);

    /** Called before the host shows (a submenu of) the menu; true asks the host to read the layout again. */
    boolean AboutToShow(int id);

    Pair<List<Integer>, List<Integer>> AboutToShowGroup(List<Integer> ids);

    /** A layout node: id, properties, children (each a variant holding a node). */
    final class Node extends Struct {
        @Position(0)
        public final int id;
        @Position(1)
        public final Map<String, Variant<?>> properties;
        @Position(2)
        public final List<Variant<?>> children;

        public Node(int id, Map<String, Variant<?>> properties, List<Variant<?>> children) {
            this.id = id;
            this.properties = properties;
            this.children = children;
        }
    }

    final class ItemProperties extends Struct {
        @Position(0)
        public final int id;
        @Position(1)
        public final Map<String, Variant<?>> properties;

        public ItemProperties(int id, Map<String, Variant<?>> properties) {
            this.id = id;
            this.properties = properties;
        }
    }

    final class Event extends Struct {
        @Position(0)
        public final int id;
        @Position(1)
        public final String eventId;
        @Position(2)
        public final Variant<?> data;
        @Position(3)
        public final UInt32 timestamp;

        public Event(int id, String eventId, Variant<?> data, UInt32 timestamp) {
            this.id = id;
            this.eventId = eventId;
            this.data = data;
            this.timestamp = timestamp;
        }
    }

    class LayoutUpdated extends DBusSignal {
        public final UInt32 revision;
        public final int parent;

        public LayoutUpdated(String path, UInt32 revision, int parent) throws DBusException {
            super(path, revision, parent);
            this.revision = revision;
            this.parent = parent;
        }
    }
}
