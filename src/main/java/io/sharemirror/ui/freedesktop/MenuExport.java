package io.sharemirror.ui.freedesktop;

import io.sharemirror.ui.menu.MenuEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.tinylog.Logger;

/**
 * The tray menu exported as com.canonical.dbusmenu: the same {@link MenuEntry} list the Swing popup is drawn from,
 * as a tree of numbered items with labels, enabled flags, checkmarks and radio marks. Each entry keeps its number
 * across rebuilds (numbers are handed out by entry id), so a host that holds an old layout still clicks the right
 * entry. A click runs the entry's action on the UI thread.
 */
final class MenuExport extends ReadOnlyProperties implements MenuInterface {

    static final String PATH = "/MenuBar";
    private static final String INTERFACE = "com.canonical.dbusmenu";

    private final DBusConnection connection;
    private final Executor uiThread;
    /** Asked before the host shows the menu: the entries as they are now (it may read settings from disk). */
    private final Supplier<List<MenuEntry>> current;
    /** PNG bytes of a heading's state icon. */
    private final Function<MenuEntry.Heading, byte[]> headingIcon;
    /** Entry id to item number, kept for the life of the export so an entry keeps its number. */
    private final Map<String, Integer> numbers = new HashMap<>();
    private volatile Numbered shown = new Numbered(List.of(), Map.of(), new IdentityHashMap<>(), 0, "");

    /** One version of the menu with its item numbers; replaced whole, never changed. */
    private record Numbered(List<MenuEntry> entries, Map<Integer, MenuEntry> byNumber,
                            IdentityHashMap<MenuEntry, Integer> numberOf, int revision, String shape) {
    }

    MenuExport(DBusConnection connection, Executor uiThread, Supplier<List<MenuEntry>> current,
               Function<MenuEntry.Heading, byte[]> headingIcon) {
        this.connection = connection;
        this.uiThread = uiThread;
        this.current = current;
        this.headingIcon = headingIcon;
    }

    /** Replaces the menu and tells the host its layout changed. */
    void show(List<MenuEntry> next) throws DBusException {
        if (replace(next)) {
            connection.sendMessage(new LayoutUpdated(PATH, new UInt32(shown.revision()), 0));
        }
    }

    /** True when what the host would show differs from before (actions are new objects on every rebuild). */
    synchronized boolean replace(List<MenuEntry> next) {
        String shape = shape(next);
        Numbered before = shown;
        Map<Integer, MenuEntry> byNumber = new HashMap<>();
        IdentityHashMap<MenuEntry, Integer> numberOf = new IdentityHashMap<>();
        number(next, "", byNumber, numberOf);
        boolean changed = !shape.equals(before.shape());
        shown = new Numbered(List.copyOf(next), byNumber, numberOf, before.revision() + (changed ? 1 : 0), shape);
        return changed;
    }

    private void number(List<MenuEntry> list, String parent, Map<Integer, MenuEntry> byNumber,
                        IdentityHashMap<MenuEntry, Integer> numberOf) {
        for (int i = 0; i < list.size(); i++) {
            MenuEntry e = list.get(i);
            String key = e instanceof MenuEntry.Separator ? parent + "/-" + i : e.id();
            int n = numbers.computeIfAbsent(key, k -> numbers.size() + 1);
            byNumber.put(n, e);
            numberOf.put(e, n);
            if (e instanceof MenuEntry.Submenu s) {
                number(s.entries(), e.id(), byNumber, numberOf);
            }
        }
    }

    /** Everything the host shows of the entries: ids, labels and marks, in order. */
    private String shape(List<MenuEntry> list) {
        StringBuilder out = new StringBuilder();
        for (MenuEntry e : list) {
            out.append(e.id()).append(properties(e, List.of()).toString().replaceAll("icon-data=[^,}]*", ""));
            if (e instanceof MenuEntry.Submenu s) {
                out.append('[').append(shape(s.entries())).append(']');
            }
            out.append(';');
        }
        return out.toString();
    }

    @Override
    public Pair<UInt32, Node> GetLayout(int parentId, int recursionDepth, List<String> propertyNames) {
        Numbered menu = shown;
        List<MenuEntry> children = menu.entries();
        if (parentId != 0) {
            MenuEntry parent = menu.byNumber().get(parentId);
            if (parent == null) {
                throw new IllegalArgumentException("no menu item " + parentId);
            }
            children = parent instanceof MenuEntry.Submenu s ? s.entries() : List.of();
        }
        return new Pair<>(new UInt32(menu.revision()), new Node(parentId, propertiesOf(menu, parentId, propertyNames),
                nodes(menu, children, recursionDepth, propertyNames)));
    }

    /** The properties of item {@code id}: the root (0) is a submenu too; null for a number no item has. */
    private Map<String, Variant<?>> propertiesOf(Numbered menu, int id, List<String> names) {
        if (id == 0) {
            return only(new LinkedHashMap<>(Map.of("children-display", new Variant<>("submenu"))), names);
        }
        MenuEntry e = menu.byNumber().get(id);
        return e == null ? null : properties(e, names);
    }

    private List<Variant<?>> nodes(Numbered menu, List<MenuEntry> list, int depth, List<String> names) {
        List<Variant<?>> out = new ArrayList<>();
        if (depth == 0) {
            return out;
        }
        for (MenuEntry e : list) {
            List<MenuEntry> below = e instanceof MenuEntry.Submenu s ? s.entries() : List.of();
            out.add(new Variant<>(new Node(menu.numberOf().get(e), properties(e, names),
                    nodes(menu, below, depth - 1, names)), NODE));
        }
        return out;
    }

    /** The dbusmenu properties of one entry; only those asked for, when a list is given. */
    private Map<String, Variant<?>> properties(MenuEntry e, List<String> names) {
        Map<String, Variant<?>> p = new LinkedHashMap<>();
        if (e instanceof MenuEntry.Separator) {
            p.put("type", new Variant<>("separator"));
        } else if (e instanceof MenuEntry.Heading h) {
            p.put("label", new Variant<>(h.label()));
            p.put("enabled", new Variant<>(false));
            p.put("icon-data", new Variant<>(headingIcon.apply(h)));
        } else if (e instanceof MenuEntry.Action a) {
            p.put("label", new Variant<>(a.label()));
        } else if (e instanceof MenuEntry.Toggle t) {
            p.put("label", new Variant<>(t.label()));
            p.put("toggle-type", new Variant<>("checkmark"));
            p.put("toggle-state", new Variant<>(t.checked() ? 1 : 0));
        } else if (e instanceof MenuEntry.Choice c) {
            p.put("label", new Variant<>(c.label()));
            p.put("toggle-type", new Variant<>("radio"));
            p.put("toggle-state", new Variant<>(c.selected() ? 1 : 0));
        } else if (e instanceof MenuEntry.Submenu s) {
            p.put("label", new Variant<>(s.label()));
            p.put("children-display", new Variant<>("submenu"));
            p.put("enabled", new Variant<>(!s.entries().isEmpty()));
        }
        return only(p, names);
    }

    /** Only the properties asked for, when a list is given. */
    private static Map<String, Variant<?>> only(Map<String, Variant<?>> properties, List<String> names) {
        if (names != null && !names.isEmpty()) {
            properties.keySet().retainAll(names);
        }
        return properties;
    }

    @Override
    public List<ItemProperties> GetGroupProperties(List<Integer> ids, List<String> propertyNames) {
        Numbered menu = shown;
        List<ItemProperties> out = new ArrayList<>();
        for (int id : ids) {
            Map<String, Variant<?>> properties = propertiesOf(menu, id, propertyNames);
            if (properties != null) {
                out.add(new ItemProperties(id, properties));
            }
        }
        return out;
    }

    @Override
    public Variant<?> GetProperty(int id, String name) {
        return GetGroupProperties(List.of(id), List.of(name)).stream().findFirst()
                .map(p -> p.properties.get(name)).orElseThrow(() -> new IllegalArgumentException(id + "/" + name));
    }

    @Override
    public void Event(int id, String eventId, Variant<?> data, UInt32 timestamp) {
        if (!eventId.equals("clicked")) {
            return; // "opened", "closed", "hovered": nothing to do
        }
        MenuEntry e = shown.byNumber().get(id);
        Runnable action = e == null ? null : action(e);
        if (action == null) {
            Logger.debug("a click on menu item {} ({}) does nothing", id, e);
            return;
        }
        Logger.info("tray menu: {}", e.id());
        uiThread.execute(action);
    }

    private static Runnable action(MenuEntry e) {
        if (e instanceof MenuEntry.Action a) {
            return a.run();
        }
        if (e instanceof MenuEntry.Toggle t) {
            return () -> t.set().accept(!t.checked());
        }
        if (e instanceof MenuEntry.Choice c) {
            return c.choose();
        }
        return null;
    }

    @Override
    public List<Integer> EventGroup(List<Event> events) {
        List<Integer> unknown = new ArrayList<>();
        for (Event e : events) {
            if (shown.byNumber().containsKey(e.id)) {
                Event(e.id, e.eventId, e.data, e.timestamp);
            } else {
                unknown.add(e.id);
            }
        }
        return unknown;
    }

    /** The menu is read afresh (settings may have changed in the dashboard); the host reloads it if it changed. */
    @Override
    public boolean AboutToShow(int id) {
        if (id != 0) {
            return false;
        }
        try {
            return replace(current.get());
        } catch (RuntimeException e) {
            Logger.warn("the tray menu could not read the agent's settings: {}", e.toString());
            return false;
        }
    }

    @Override
    public Pair<List<Integer>, List<Integer>> AboutToShowGroup(List<Integer> ids) {
        List<Integer> updated = ids.contains(0) && AboutToShow(0) ? List.of(0) : List.of();
        return new Pair<>(updated, List.of());
    }

    @Override
    public Map<String, Variant<?>> GetAll(String interfaceName) {
        if (!INTERFACE.equals(interfaceName)) {
            return Map.of();
        }
        return Map.of("Version", new Variant<>(new UInt32(3)), "TextDirection", new Variant<>("ltr"),
                "Status", new Variant<>("normal"), "IconThemePath", new Variant<>(List.of(), "as"));
    }

    @Override
    public String getObjectPath() {
        return PATH;
    }
}
