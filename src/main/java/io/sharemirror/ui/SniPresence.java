package io.sharemirror.ui;

import io.sharemirror.status.StatusModel;
import io.sharemirror.status.StatusSnapshot;
import io.sharemirror.status.SyncState;
import io.sharemirror.ui.freedesktop.Pixels;
import io.sharemirror.ui.freedesktop.SessionBus;
import io.sharemirror.ui.freedesktop.StatusNotifier;
import io.sharemirror.ui.menu.MenuEntry;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.swing.SwingUtilities;
import org.freedesktop.dbus.exceptions.DBusException;
import org.tinylog.Logger;

/**
 * The icon as a StatusNotifierItem: its icon, tooltip and menu follow the status model, a click opens the
 * dashboard. Everything here runs off the event thread ({@code worker}): the bus may be slow, and the menu's
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
    private final Map<SyncState, List<Pixels>> icons = new EnumMap<>(SyncState.class);
    private final Map<SyncState, byte[]> headingIcons = new EnumMap<>(SyncState.class);
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private final StatusModel.Listener listener = s -> refresh();
    private volatile String stopping;

    /** Exports the item on the bus; call {@link #register()} to show it. Call on {@code worker}. */
    SniPresence(AgentControl agent, SessionBus bus, TrayMenu menu, Executor worker, Runnable openDashboard)
            throws DBusException {
        this.agent = agent;
        this.menu = menu;
        this.worker = worker;
        item = new StatusNotifier(bus, look(agent.status().snapshot()), entries(), SwingUtilities::invokeLater,
                this::entries, this::headingIcon, openDashboard);
        agent.status().addListener(listener);
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
            item.show(look(agent.status().snapshot()));
            item.menu(entries());
        } catch (DBusException | RuntimeException e) {
            Logger.warn("the StatusNotifierItem could not be updated: {}", e.getMessage());
        }
    }

    private List<MenuEntry> entries() {
        return menu.entries(menu.read());
    }

    private StatusNotifier.Look look(StatusSnapshot now) {
        String tooltip = stopping != null ? "ShareMirror: " + stopping : TrayPresence.tooltip(now);
        return new StatusNotifier.Look("ShareMirror", "ShareMirror", tooltip.replaceFirst("^ShareMirror: ", ""),
                icon(now.overall()));
    }

    private synchronized List<Pixels> icon(SyncState state) {
        return icons.computeIfAbsent(state, s -> Arrays.stream(SIZES)
                .mapToObj(size -> StateIcons.pixels(StateIcons.file(s), size)).toList());
    }

    private synchronized byte[] headingIcon(MenuEntry.Heading heading) {
        return headingIcons.computeIfAbsent(heading.state(), s -> StateIcons.png(StateIcons.file(s), HEADING_ICON));
    }

    @Override
    public void close() {
        agent.status().removeListener(listener);
        item.close();
    }
}
