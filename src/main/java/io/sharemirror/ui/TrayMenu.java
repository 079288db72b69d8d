package io.sharemirror.ui;

import io.sharemirror.config.SyncInterval;
import io.sharemirror.ui.menu.MenuEntry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.swing.JPopupMenu;

/**
 * The tray's menu, described once ({@link #entries}) and drawn by Swing ({@link SwingMenu}) or exported over D-Bus
 * (io.sharemirror.ui.freedesktop). It is rebuilt from the agent's current state each time it opens, so per-database
 * entries, the pause, the conflicts to review and the interval shown are never stale.
 */
final class TrayMenu {

    static final List<Duration> PRESETS = List.of(Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(5));
    /** When "Until Tomorrow" ends: tomorrow morning at this hour. */
    static final LocalTime MORNING = LocalTime.of(8, 0);

    /** What the menu shows, read off the event thread before it opens. */
    record Settings(TrayLook look, List<String> mirrored, Optional<Duration> interval, boolean notifications,
                    boolean startAtLogin) {
    }

    private final Commands commands;
    private final Runnable openDashboard;
    private final Runnable openConflicts;
    private final Runnable openWaiting;
    private final Runnable quit;

    TrayMenu(Commands commands, Runnable openDashboard, Runnable openConflicts, Runnable openWaiting, Runnable quit) {
        this.commands = commands;
        this.openDashboard = openDashboard;
        this.openConflicts = openConflicts;
        this.openWaiting = openWaiting;
        this.quit = quit;
    }

    Settings read() {
        AgentControl a = commands.agent();
        return new Settings(look(a), a.mirroredNames(), a.commonInterval(), a.notificationsEnabled(),
                a.startsAtLogin());
    }

    /** The tray's look now; reads state.db, so off the event thread. */
    static TrayLook look(AgentControl a) {
        return new TrayLook(a.statusSnapshot(), a.paused(), a.unreviewedConflicts());
    }

    /** The popup for the Swing renderers: the tray icon's own menu and the dashboard's Menu button. */
    JPopupMenu build(Settings s) {
        return SwingMenu.popup("trayMenu", entries(s));
    }

    /** The menu's entries for these settings; both the Swing popup and the D-Bus menu are drawn from this list. */
    List<MenuEntry> entries(Settings s) {
        TrayLook look = s.look();
        List<MenuEntry> menu = new ArrayList<>();
        menu.add(new MenuEntry.Heading("header", "ShareMirror: " + look.headline(), look.icon()));
        menu.add(new MenuEntry.Separator());

        menu.add(new MenuEntry.Action("addDatabase", "Add Database…", () -> commands.addDatabase(null)));
        menu.add(new MenuEntry.Action("syncAll", "Force Sync", commands::syncAll));
        menu.add(perDatabase("Force Sync Database", "sync", s.mirrored(), commands::sync));
        menu.add(look.pause().isPresent()
                ? new MenuEntry.Action("resume", "Resume Sync (paused " + TrayLook.until(look.pause().get().until())
                        + ")", commands::resume)
                : pauses());
        menu.add(intervals(s.interval()));
        menu.add(perDatabase("Clear Cache", "clearCache", s.mirrored(), name -> commands.clearCache(null, name)));
        menu.add(new MenuEntry.Separator());

        if (look.attention()) {
            menu.add(new MenuEntry.Action("reviewConflicts", "Review Conflicts (" + look.unreviewed() + ")…",
                    openConflicts));
        }
        if (look.status().waiting() > 0) {
            menu.add(new MenuEntry.Action("rowsWaiting", "Rows Waiting (" + look.status().waiting() + ")…",
                    openWaiting));
        }
        menu.add(new MenuEntry.Action("openDashboard", "Open Dashboard", openDashboard));
        menu.add(new MenuEntry.Action("openLogs", "Open Logs Folder", () -> commands.openLogs(null)));
        menu.add(new MenuEntry.Toggle("notifications", "Notifications", s.notifications(), commands::setNotifications));
        menu.add(new MenuEntry.Toggle("startAtLogin", "Start at Login", s.startAtLogin(), commands::setStartAtLogin));
        menu.add(new MenuEntry.Separator());
        menu.add(new MenuEntry.Action("quit", "Quit", quit));
        return menu;
    }

    private MenuEntry pauses() {
        ZonedDateTime now = ZonedDateTime.now();
        Instant tomorrow = now.toLocalDate().plusDays(1).atTime(MORNING).atZone(now.getZone()).toInstant();
        return new MenuEntry.Submenu("pause", "Pause Sync", List.of(
                new MenuEntry.Action("pause-hour", "For 1 Hour",
                        () -> commands.pause(Instant.now().plus(Duration.ofHours(1)))),
                new MenuEntry.Action("pause-tomorrow", "Until Tomorrow, " + MORNING, () -> commands.pause(tomorrow)),
                new MenuEntry.Action("pause-resumed", "Until Resumed", () -> commands.pause(null))));
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
