package io.sharemirror.ui;

import io.sharemirror.config.SyncInterval;
import io.sharemirror.status.StatusSnapshot;
import io.sharemirror.ui.menu.MenuEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.swing.JPopupMenu;

/**
 * The tray's menu, described once ({@link #entries}) and drawn by Swing ({@link SwingMenu}) or exported over D-Bus
 * (io.sharemirror.ui.freedesktop). It is rebuilt from the agent's current state each time it opens, so per-database
 * entries, the paused flag and the interval shown are never stale.
 */
final class TrayMenu {

    static final List<Duration> PRESETS = List.of(Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(5));

    /** What the menu shows, read off the event thread before it opens. */
    record Settings(StatusSnapshot status, List<String> mirrored, boolean paused, Optional<Duration> interval,
                    boolean notifications, boolean startAtLogin) {
    }

    private final Commands commands;
    private final Runnable openDashboard;
    private final Runnable quit;

    TrayMenu(Commands commands, Runnable openDashboard, Runnable quit) {
        this.commands = commands;
        this.openDashboard = openDashboard;
        this.quit = quit;
    }

    Settings read() {
        AgentControl a = commands.agent();
        return new Settings(a.status().snapshot(), a.mirroredNames(), a.paused(), a.commonInterval(),
                a.notificationsEnabled(), a.startsAtLogin());
    }

    /** The popup for the Swing renderers: the tray icon's own menu and the dashboard's Menu button. */
    JPopupMenu build(Settings s) {
        return SwingMenu.popup("trayMenu", entries(s));
    }

    /** The menu's entries for these settings; both the Swing popup and the D-Bus menu are drawn from this list. */
    List<MenuEntry> entries(Settings s) {
        List<MenuEntry> menu = new ArrayList<>();
        menu.add(new MenuEntry.Heading("header", "ShareMirror: " + Format.state(s.status().overall())
                + (s.paused() ? " (paused)" : ""), s.status().overall()));
        menu.add(new MenuEntry.Separator());

        menu.add(new MenuEntry.Action("syncAll", "Force Sync", commands::syncAll));
        menu.add(perDatabase("Force Sync Database", "sync", s.mirrored(), commands::sync));
        menu.add(new MenuEntry.Toggle("pause", "Pause Sync", s.paused(), commands::setPaused));
        menu.add(intervals(s.interval()));
        menu.add(perDatabase("Clear Cache", "clearCache", s.mirrored(), name -> commands.clearCache(null, name)));
        menu.add(new MenuEntry.Separator());

        menu.add(new MenuEntry.Action("openDashboard", "Open Dashboard", openDashboard));
        menu.add(new MenuEntry.Action("openLogs", "Open Logs Folder", () -> commands.openLogs(null)));
        menu.add(new MenuEntry.Toggle("notifications", "Notifications", s.notifications(), commands::setNotifications));
        menu.add(new MenuEntry.Toggle("startAtLogin", "Start at Login", s.startAtLogin(), commands::setStartAtLogin));
        menu.add(new MenuEntry.Separator());
        menu.add(new MenuEntry.Action("quit", "Quit", quit));
        return menu;
    }

    private MenuEntry intervals(Optional<Duration> current) {
        List<MenuEntry> choices = new ArrayList<>();
        for (Duration d : PRESETS) {
            choices.add(new MenuEntry.Choice("interval-" + d.toSeconds(), SyncInterval.format(d),
                    current.equals(Optional.of(d)), () -> commands.setInterval(d)));
        }
        boolean custom = current.isPresent() && !PRESETS.contains(current.get());
        choices.add(new MenuEntry.Choice("interval-custom", custom
                ? "Custom (" + SyncInterval.format(current.get()) + ")…" : "Custom…", custom,
                () -> commands.customInterval(null)));
        return new MenuEntry.Submenu("interval", "Sync Interval", choices);
    }

    private static MenuEntry perDatabase(String title, String name, List<String> databases, Consumer<String> action) {
        return new MenuEntry.Submenu(name, title, databases.stream()
                .<MenuEntry>map(db -> new MenuEntry.Action(name + "-" + db, db, () -> action.accept(db))).toList());
    }
}
