package io.sharemirror.app;

import io.sharemirror.ui.freedesktop.MenuInterface;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.types.Variant;

/**
 * The app's tray menu as the panel reads it: com.canonical.dbusmenu's GetLayout on the item's bus name, as a tree of
 * labels and marks. Tests use it to check the checkmarks and to count the key presses that reach an entry, so they do
 * not break when entries are added.
 */
final class TrayMenuOnBus implements AutoCloseable {

    /** One entry as the host sees it; {@code toggleState} is 1 for a checked box or chosen radio, else 0 or -1. */
    record Item(String label, boolean separator, boolean enabled, int toggleState, List<Item> children) {
        /** Entries the keyboard stops at in a GTK menu. */
        boolean navigable() {
            return !separator && enabled;
        }
    }

    private final DBusConnection connection;
    private final MenuInterface menu;

    TrayMenuOnBus(String busAddress, String itemBusName) throws Exception {
        connection = DBusConnectionBuilder.forAddress(busAddress).withShared(false).build();
        menu = connection.getRemoteObject(itemBusName, "/MenuBar", MenuInterface.class);
    }

    List<Item> entries() {
        return items(menu.GetLayout(0, -1, List.of()).second.children);
    }

    private static List<Item> items(List<Variant<?>> nodes) {
        List<Item> out = new ArrayList<>();
        for (Variant<?> v : nodes) {
            Object[] node = asNode(v.getValue());
            @SuppressWarnings("unchecked")
            Map<String, Variant<?>> p = (Map<String, Variant<?>>) node[1];
            @SuppressWarnings("unchecked")
            List<Variant<?>> children = (List<Variant<?>>) node[2];
            out.add(new Item(p.containsKey("label") ? (String) p.get("label").getValue() : "",
                    p.containsKey("type") && "separator".equals(p.get("type").getValue()),
                    !p.containsKey("enabled") || (Boolean) p.get("enabled").getValue(),
                    p.containsKey("toggle-state") ? ((Number) p.get("toggle-state").getValue()).intValue() : -1,
                    items(children)));
        }
        return out;
    }

    /** dbus-java hands a nested (ia{sv}av) in a variant back as its fields. */
    private static Object[] asNode(Object value) {
        if (value instanceof MenuInterface.Node n) {
            return new Object[] {n.id, n.properties, n.children};
        }
        if (value instanceof Object[] fields) {
            return fields;
        }
        if (value instanceof List<?> fields) {
            return fields.toArray();
        }
        throw new IllegalStateException("a menu node came back as " + value.getClass());
    }

    /**
     * Waits until the menu has stopped changing (same layout revision for a while): a layout that changes while the
     * panel shows it is rebuilt under the keyboard, and a key can land on the old one.
     */
    void settle() throws Exception {
        long[] last = {-1, System.nanoTime()};
        XDisplay.waitFor(() -> {
            long revision = menu.GetLayout(0, 0, List.of()).first.longValue();
            if (revision != last[0]) {
                last[0] = revision;
                last[1] = System.nanoTime();
            }
            return System.nanoTime() - last[1] > 800_000_000L;
        }, "the tray menu settling");
    }

    /** The entry at a path of labels ("Sync Interval", "10 s"). */
    Item find(String... path) {
        List<Item> level = entries();
        Item found = null;
        for (String label : path) {
            found = level.stream().filter(i -> i.label().equals(label)).findFirst()
                    .orElseThrow(() -> new AssertionError("no menu entry " + label + " in " + entries()));
            level = found.children();
        }
        return found;
    }

    /**
     * The keys that reach an entry in an open GTK menu and activate it: Down to each entry (the first Down of the top
     * level selects its first entry; Right opens a submenu with its first entry selected), Right into submenus,
     * Return on the last.
     */
    List<String> keysTo(String... path) {
        List<String> keys = new ArrayList<>();
        List<Item> level = entries();
        for (int depth = 0; depth < path.length; depth++) {
            int steps = 0;
            Item target = null;
            for (Item i : level) {
                if (i.navigable()) {
                    steps++;
                }
                if (i.label().equals(path[depth])) {
                    target = i;
                    break;
                }
            }
            if (target == null || !target.navigable()) {
                throw new AssertionError("no enabled menu entry " + path[depth] + " in " + level);
            }
            for (int downs = depth == 0 ? steps : steps - 1; downs > 0; downs--) {
                keys.add("Down");
            }
            keys.add(depth == path.length - 1 ? "Return" : "Right");
            level = target.children();
        }
        return keys;
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
