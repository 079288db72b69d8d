package io.sharemirror.ui;

import io.sharemirror.status.StatusModel;
import io.sharemirror.ui.freedesktop.Pixels;
import io.sharemirror.ui.freedesktop.SessionBus;
import io.sharemirror.ui.freedesktop.StatusNotifier;
import io.sharemirror.ui.menu.MenuEntry;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.swing.SwingUtilities;
import org.freedesktop.dbus.exceptions.DBusException;
import org.tinylog.Logger;

/**
 * The icon as a StatusNotifierItem: its icon, tooltip and menu follow the status model, the pause and the conflicts to
 * review ({@link TrayLook}), a click opens the dashboard. Everything here runs off the event thread ({@code worker}): the bus may be slow, and the menu's
 * settings are read from the agent.
 */
final class SniPresence implements AutoCloseable {

    /** Sizes offered to the host, which picks the one nearest its panel's icon size and scale. */
    private static final int[] SIZES = {16, 22, 24, 32, 48, 64, 96, 128};
    private static final int HEADING_ICON = 16;

    private final AgentControl agent;
    private final TrayMenu menu;
    private final Executor worker;
    private final StatusNotifier item;
    /** Renderings by the look's icon and badges. */
    private final Map<String, List<Pixels>> icons = new HashMap<>();
    private final Map<String, byte[]> headingIcons = new HashMap<>();
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private final StatusModel.Listener listener = s -> refresh();
    private volatile String stopping;

    /** Exports the item on the bus; call {@link #register()} to show it. Call on {@code worker}. */
    SniPresence(AgentControl agent, SessionBus bus, TrayMenu menu, Executor worker, Runnable openDashboard)
            throws DBusException {
        this.agent = agent;
        this.menu = menu;
        this.worker = worker;
        item = new StatusNotifier(bus, look(), entries(), SwingUtilities::invokeLater,
                this::entries, this::headingIcon, openDashboard);
        agent.subscribe(listener);
    }

    /** Tells the panel's watcher about the item (again, after a panel restart). */
    void register() throws DBusException {
        item.register();
        Logger.info("tray icon registered as StatusNotifierItem {}", item.busName());
    }

    /** Quit in progress: the tooltip says why the icon is still there. */
    void stopping(String why) {
        stopping = why;
        refresh();
    }

    /** Shows the current state and menu soon; from any thread, many calls make one update. */
    void refresh() {
        if (refreshQueued.compareAndSet(false, true)) {
            worker.execute(this::update);
        }
    }

    private void update() {
        refreshQueued.set(false);
        try {
            item.show(look());
            item.menu(entries());
        } catch (DBusException | RuntimeException e) {
            Logger.warn("the StatusNotifierItem could not be updated: {}", e.getMessage());
        }
    }

    private List<MenuEntry> entries() {
        return menu.entries(menu.read());
    }

    /** What the item shows: the tray's look (read from the agent here, off the event thread). */
    private StatusNotifier.Look look() {
        TrayLook now = TrayMenu.look(agent);
        String tooltip = stopping != null ? "ShareMirror: " + stopping : now.tooltip();
        return new StatusNotifier.Look("ShareMirror", "ShareMirror", tooltip.replaceFirst("^ShareMirror: ", ""),
                icon(now));
    }

    private synchronized List<Pixels> icon(TrayLook look) {
        String key = look.icon() + (look.pause().isPresent() ? "+paused" : "") + (look.attention() ? "+attention" : "");
        return icons.computeIfAbsent(key, k -> Arrays.stream(SIZES).mapToObj(size -> StateIcons.pixels(look, size))
                .toList());
    }

    private synchronized byte[] headingIcon(MenuEntry.Heading heading) {
        return headingIcons.computeIfAbsent(heading.icon(), name -> StateIcons.png(name, HEADING_ICON));
    }

    @Override
    public void close() {
        agent.unsubscribe(listener);
        item.close();
    }
}
