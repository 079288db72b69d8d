package io.sharemirror.ui.freedesktop;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.types.Variant;
import org.tinylog.Logger;

/**
 * The StatusNotifierItem object a host reads: its properties (id, title, status, icon pixmaps, tooltip, menu path)
 * and the clicks it forwards. A change of look is announced with NewIcon / NewToolTip / NewTitle, after which the
 * host reads the properties again.
 */
final class ItemExport extends ReadOnlyProperties implements ItemInterface {

    static final String PATH = "/StatusNotifierItem";
    private static final String INTERFACE = "org.kde.StatusNotifierItem";
    private static final String PIXMAPS = "a(iiay)";

    private final DBusConnection connection;
    private final String id;
    private final Runnable activate;
    private volatile StatusNotifier.Look look;

    ItemExport(DBusConnection connection, String id, StatusNotifier.Look look, Runnable activate) {
        this.connection = connection;
        this.id = id;
        this.look = look;
        this.activate = activate;
    }

    /** Shows a new look, and tells the host which parts changed. */
    void show(StatusNotifier.Look next) throws DBusException {
        StatusNotifier.Look before = look;
        look = next;
        if (!next.icon().equals(before.icon())) {
            connection.sendMessage(new NewIcon(PATH));
        }
        if (!next.title().equals(before.title())) {
            connection.sendMessage(new NewTitle(PATH));
        }
        if (!next.tooltipTitle().equals(before.tooltipTitle()) || !next.tooltipText().equals(before.tooltipText())) {
            connection.sendMessage(new NewToolTip(PATH));
        }
    }

    @Override
    public void Activate(int x, int y) {
        activate.run();
    }

    @Override
    public void SecondaryActivate(int x, int y) {
        activate.run();
    }

    @Override
    public void ContextMenu(int x, int y) {
        Logger.debug("the tray host asked for a context menu at {},{}; it is exported at {}", x, y, MenuExport.PATH);
    }

    @Override
    public void Scroll(int delta, String orientation) {
        // Nothing scrolls.
    }

    @Override
    public Map<String, Variant<?>> GetAll(String interfaceName) {
        StatusNotifier.Look now = look;
        List<IconPixmap> pixmaps = now.icon().stream().map(IconPixmap::new).toList();
        Map<String, Variant<?>> all = new LinkedHashMap<>();
        all.put("Category", new Variant<>("ApplicationStatus"));
        all.put("Id", new Variant<>(id));
        all.put("Title", new Variant<>(now.title()));
        all.put("Status", new Variant<>("Active"));
        all.put("WindowId", new Variant<>(0));
        all.put("IconName", new Variant<>(""));
        all.put("IconThemePath", new Variant<>(""));
        all.put("IconPixmap", new Variant<>(pixmaps, PIXMAPS));
        all.put("OverlayIconName", new Variant<>(""));
        all.put("OverlayIconPixmap", new Variant<>(List.of(), PIXMAPS));
        all.put("AttentionIconName", new Variant<>(""));
        all.put("AttentionIconPixmap", new Variant<>(List.of(), PIXMAPS));
        all.put("AttentionMovieName", new Variant<>(""));
        all.put("ToolTip", new Variant<>(new ToolTip(now.tooltipTitle(), now.tooltipText()), "(sa(iiay)ss)"));
        all.put("ItemIsMenu", new Variant<>(false));
        all.put("Menu", new Variant<>(new DBusPath(MenuExport.PATH), "o"));
        return INTERFACE.equals(interfaceName) ? all : Map.of();
    }

    @Override
    public String getObjectPath() {
        return PATH;
    }
}
